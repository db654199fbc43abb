// `mamori dmarc import PATH…`: report files and folders into the database, one result per file. With --json,
// one JSON object per file and line ({file, status, reason, reports, records, messages}); scripts depend on it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../../platform/errors.ts';
import type { Actor } from '../../platform/authz/permissions.ts';
import type { Config } from '../../platform/config.ts';
import type { DmarcReportsService } from './dmarc-reports.service.ts';
import { createReportMailbox } from './dmarc-reports.mailbox.ts';
import { fileResultOf } from './dmarc-reports.contract.ts';

/** The files named, folders walked (sorted, hidden entries skipped); a missing path stays, to be reported. */
export function expandPaths(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      out.push(p);
      return;
    }
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) if (!name.startsWith('.')) walk(path.join(p, name));
    } else out.push(p);
  };
  for (const p of paths) walk(p);
  return out;
}

function bar(done: number, total: number, width = 30): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} files`;
}

export async function dmarcCommand(
  args: string[],
  actor: Actor,
  open: (fn: (svc: DmarcReportsService, config: Config) => Promise<number>) => Promise<number>,
): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'poll') {
    if (rest.length > 0) throw new UsageError('dmarc poll takes no arguments');
    return open(async (svc, config) => {
      const mailbox = createReportMailbox(config, svc);
      if (!mailbox)
        throw new UsageError('Set MAMORI_DMARC_IMAP_HOST (and _USER, _PASSWORD) to poll a mailbox');
      try {
        const r = await mailbox.pollOnce();
        for (const m of r.mails) console.log(JSON.stringify(m));
        console.log(
          `${r.fetched} mails: ${r.imported} imported, ${r.duplicate} duplicate, ${r.rejected} rejected, ${r.failed} failed; ${r.remaining} left for the next round`,
        );
        return r.rejected + r.failed > 0 ? 1 : 0;
      } finally {
        await mailbox.close();
      }
    });
  }
  if (sub !== 'import') throw new UsageError(`Unknown dmarc command: ${sub ?? '(none)'}`);
  const { values, positionals } = parseArgs({
    args: rest,
    options: { json: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length === 0) throw new UsageError('dmarc import needs at least one FILE or FOLDER');
  const files = expandPaths(positionals);
  const progress = !values.json && process.stderr.isTTY;

  return open(async (svc) => {
    const totals = { imported: 0, duplicate: 0, rejected: 0, reports: 0, records: 0, messages: 0 };
    if (progress) process.stderr.write(`\r${bar(0, files.length)}`);
    await svc.importFiles(actor, files, {
      channel: 'cli',
      workers: os.availableParallelism(),
      onResult: (result, i) => {
        totals[result.status] += 1;
        totals.reports += result.reports;
        totals.records += result.records;
        totals.messages += result.messages;
        if (progress) process.stderr.write('\r\x1b[K');
        if (values.json) console.log(JSON.stringify(fileResultOf(result)));
        else {
          const counts = `${result.reports} reports, ${result.records} records, ${result.messages} messages`;
          const file = result.file;
          if (result.status === 'imported')
            console.log(`imported   ${file} (${counts})${result.reason ? `; ${result.reason}` : ''}`);
          else if (result.status === 'duplicate') console.log(`duplicate  ${file}`);
          else console.log(`rejected   ${file}: ${result.reason ?? 'not a DMARC report'}`);
        }
        if (progress)
          process.stderr.write(`\r${bar(i + 1, files.length)} ${path.basename(result.file).slice(0, 40)}`);
      },
    });
    if (progress) process.stderr.write(`\r${bar(files.length, files.length)}\n`);
    if (!values.json)
      console.log(
        `${files.length} files: ${totals.imported} imported, ${totals.duplicate} duplicate, ${totals.rejected} rejected; ${totals.reports} reports, ${totals.records} records, ${totals.messages} messages`,
      );
    return totals.rejected > 0 ? 1 : 0;
  });
}
