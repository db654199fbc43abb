// The mailbox poller against a real IMAP server (Dovecot, started by the tests): what is imported, where each
// mail ends up and when, what stays for the next round, and how the connection is secured.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCa, type TestCa } from '../../../../test/support/https-server.ts';
import {
  dovecotBinary,
  startImapServer,
  type TestImapAccount,
  type TestImapServer,
} from '../../../../test/support/imap-server.ts';
import { parseReportFile } from '../ingest/parse-report-file.ts';
import { buildEmail, smallReport } from '../lib/fixtures/archives.ts';
import {
  createMailboxPoller,
  type ImportMail,
  type MailboxPollerOptions,
  type MailImportResult,
} from './mailbox-poller.ts';

if (!dovecotBinary) {
  console.warn(
    'Skipping the IMAP mailbox poller tests: Dovecot is not installed (apt-get install dovecot-imapd).',
  );
}

const SUBJECT = 'Report Domain: example.com Submitter: reporter.example';
const NAME = 'Report Domain example.com Submitter reporter.example.eml';

/** A report email as a reporter sends it: the aggregate report gzipped, base64 in an attachment. */
function reportMail(reportId: string, subject = SUBJECT): Buffer {
  return buildEmail({
    subject,
    parts: [
      { contentType: 'text/plain', data: 'This is an aggregate report from reporter.example.' },
      {
        contentType: 'application/gzip',
        filename: `reporter.example!example.com!1700000000!1700086399!${reportId}.xml.gz`,
        data: zlib.gzipSync(smallReport({ reportId, records: [{ ip: '192.0.2.1', count: 3 }] })),
      },
    ],
  });
}

/** Hostile garbage: an attachment that claims to be a gzipped report and is noise, under an encoded subject. */
function garbageMail(): Buffer {
  const noise = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
  return buildEmail({
    subject: `=?UTF-8?B?${Buffer.from('不正なレポート').toString('base64')}?=`,
    parts: [{ contentType: 'application/gzip', filename: 'report.xml.gz', data: noise }],
  });
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

interface ImportCall {
  name: string;
  bytes: Buffer;
  /** The UIDs still in INBOX while the importer runs. */
  inboxUids: number[];
}

/** An importer that answers from a script, keyed by the mail's name (one answer per call, in order). */
function scriptedImporter(box: TestImapAccount, script: Record<string, MailImportResult[]>) {
  const calls: ImportCall[] = [];
  const importMail: ImportMail = async (file, meta) => {
    const bytes = await fs.promises.readFile(file);
    const inboxUids = (await box.list('INBOX')).map((m) => m.uid);
    calls.push({ name: meta.name, bytes, inboxUids });
    const answer = script[meta.name]?.shift();
    if (!answer) throw new Error(`no scripted answer for ${meta.name}`);
    return answer;
  };
  return { calls, importMail };
}

/**
 * An importer like the service: reads the file with the real parser, keeps each report once (by report id),
 * refuses what holds no report. `failNext` makes the next call throw, as a database outage would.
 */
function parsingImporter() {
  const committed = new Set<string>();
  const calls: { name: string; sha256: string }[] = [];
  const state = { failNext: null as null | 'before-commit' | 'after-commit' };
  const importMail: ImportMail = async (file, meta) => {
    calls.push({ name: meta.name, sha256: sha256(await fs.promises.readFile(file)) });
    if (state.failNext === 'before-commit') {
      state.failNext = null;
      throw new Error('database unavailable');
    }
    const ids: string[] = [];
    const outcome = await parseReportFile(file, {
      onAggregate: async (stream) => {
        for await (const _batch of stream) {
          // Read to the end, as the service does before committing.
        }
        ids.push(stream.report.reporter.reportId);
      },
    });
    if (outcome.kind === 'rejected') return { status: 'rejected', reason: outcome.reason };
    const fresh = ids.filter((id) => !committed.has(id));
    for (const id of fresh) committed.add(id);
    if (state.failNext === 'after-commit') {
      state.failNext = null;
      throw new Error('the process died after the commit');
    }
    return fresh.length > 0 ? { status: 'imported', reason: null } : { status: 'duplicate', reason: null };
  };
  return { calls, committed, state, importMail };
}

describe.skipIf(!dovecotBinary)('DMARC report mailbox poller (IMAP, Dovecot)', () => {
  let ca: TestCa;
  let server: TestImapServer;

  beforeAll(async () => {
    ca = createTestCa();
    server = await startImapServer({ tls: ca.issue(['imap.test']) });
  });
  afterAll(async () => {
    await server?.close();
    ca?.dispose();
  });

  /** The poller's options for an account: STARTTLS on the plain port, trusting the test CA. */
  const optionsFor = (
    box: TestImapAccount,
    extra: Partial<MailboxPollerOptions> = {},
  ): MailboxPollerOptions => ({
    host: box.host,
    port: box.port,
    secure: false,
    user: box.user,
    password: box.password,
    tls: { ca: ca.cert, servername: 'imap.test' },
    ...extra,
  });

  const subjects = async (box: TestImapAccount, folder: string) =>
    (await box.list(folder)).map((m) => m.subject);

  it('moves a report to processed, garbage to failed and a duplicate to processed, each after its import', async () => {
    const box = await server.addAccount();
    const good = reportMail('imap-1');
    const garbage = garbageMail();
    const goodUid = await box.append('INBOX', good);
    const garbageUid = await box.append('INBOX', garbage);
    const duplicateUid = await box.append('INBOX', good);
    const { calls, importMail } = scriptedImporter(box, {
      [NAME]: [
        { status: 'imported', reason: null },
        { status: 'duplicate', reason: null },
      ],
      '不正なレポート.eml': [{ status: 'rejected', reason: 'attachment "report.xml.gz": not a gzip stream' }],
    });
    const logged: string[] = [];
    const poller = createMailboxPoller(optionsFor(box), importMail, {
      info: (_details, message) => logged.push(message),
      warn: (_details, message) => logged.push(message),
    });

    const result = await poller.pollOnce();
    await poller.close();

    expect(result).toMatchObject({
      fetched: 3,
      imported: 1,
      duplicate: 1,
      rejected: 1,
      failed: 0,
      remaining: 0,
    });
    expect(result.mails).toEqual([
      { uid: goodUid, name: NAME, status: 'imported', reason: null, folder: 'DMARC/Processed' },
      {
        uid: garbageUid,
        name: '不正なレポート.eml',
        status: 'rejected',
        reason: 'attachment "report.xml.gz": not a gzip stream',
        folder: 'DMARC/Failed',
      },
      { uid: duplicateUid, name: NAME, status: 'duplicate', reason: null, folder: 'DMARC/Processed' },
    ]);
    // Oldest first, the bytes as appended, and each mail still in INBOX while it was being imported.
    expect(calls.map((c) => c.name)).toEqual([NAME, '不正なレポート.eml', NAME]);
    expect(calls.map((c) => sha256(c.bytes))).toEqual([sha256(good), sha256(garbage), sha256(good)]);
    expect(calls[0]!.inboxUids).toEqual([goodUid, garbageUid, duplicateUid]);
    expect(calls[1]!.inboxUids).toEqual([garbageUid, duplicateUid]);
    expect(calls[2]!.inboxUids).toEqual([duplicateUid]);

    expect(await box.list('INBOX')).toEqual([]);
    const processed = await box.list('DMARC/Processed');
    expect(processed.map((m) => [m.subject, m.flags])).toEqual([
      [SUBJECT, ['\\Seen']],
      [SUBJECT, ['\\Seen']],
    ]);
    expect(processed.map((m) => sha256(m.source))).toEqual([sha256(good), sha256(good)]);
    const failed = await box.list('DMARC/Failed');
    // Left unread, for someone to look at.
    expect(failed.map((m) => [m.subject, m.flags])).toEqual([['不正なレポート', []]]);
    expect(logged).toContain('report mail moved to the failed folder');
  });

  it('hands over the mail intact: the real parser reads the report from the fetched file', async () => {
    const box = await server.addAccount();
    const good = reportMail('imap-intact');
    await box.append('INBOX', good);
    await box.append('INBOX', garbageMail());
    await box.append('INBOX', good);
    let parsed: Awaited<ReturnType<typeof parseReportFile>> | null = null;
    let received: Buffer | null = null;
    const importer = parsingImporter();
    const poller = createMailboxPoller(optionsFor(box), async (file, meta) => {
      if (!parsed) {
        received = await fs.promises.readFile(file);
        parsed = await parseReportFile(file);
      }
      return importer.importMail(file, meta);
    });

    const result = await poller.pollOnce();

    expect(sha256(received!)).toBe(sha256(good));
    expect(parsed!.kind).toBe('aggregate');
    const [first] = parsed!.reports;
    expect(first).toMatchObject({ kind: 'aggregate', status: 'accepted' });
    expect(first!.kind === 'aggregate' && first!.report.reporter.reportId).toBe('imap-intact');
    expect(first!.source.containers).toEqual(['email', 'gzip']);
    expect(result.mails.map((m) => [m.status, m.folder])).toEqual([
      ['imported', 'DMARC/Processed'],
      ['rejected', 'DMARC/Failed'],
      ['duplicate', 'DMARC/Processed'],
    ]);
    expect(result.mails[1]!.reason).toMatch(/report\.xml\.gz/);
    expect(await subjects(box, 'DMARC/Processed')).toEqual([SUBJECT, SUBJECT]);
    expect(await subjects(box, 'DMARC/Failed')).toEqual(['不正なレポート']);
    await poller.close();
  });

  it('leaves a mail whose import throws in INBOX, unread, stops the round, and takes it in a later round', async () => {
    const box = await server.addAccount();
    const first = await box.append('INBOX', reportMail('outage-1'));
    const second = await box.append('INBOX', reportMail('outage-2', 'second report'));
    const importer = parsingImporter();
    const poller = createMailboxPoller(optionsFor(box), importer.importMail);

    importer.state.failNext = 'before-commit';
    await expect(poller.pollOnce()).rejects.toThrow('database unavailable');
    // Nothing moved, nothing marked read, and the second mail was not tried.
    expect((await box.list('INBOX')).map((m) => [m.uid, m.flags])).toEqual([
      [first, []],
      [second, []],
    ]);
    expect(importer.calls).toHaveLength(1);
    expect(await box.list('DMARC/Processed')).toEqual([]);

    const later = await poller.pollOnce();
    expect(later).toMatchObject({ fetched: 2, imported: 2, duplicate: 0, rejected: 0, failed: 0 });
    expect(await box.list('INBOX')).toEqual([]);
    expect(await subjects(box, 'DMARC/Processed')).toEqual([SUBJECT, 'second report']);
    await poller.close();
  });

  it('after a crash between the commit and the move, the re-import answers duplicate and the mail moves on', async () => {
    const box = await server.addAccount();
    await box.append('INBOX', reportMail('crash-1'));
    const importer = parsingImporter();
    const poller = createMailboxPoller(optionsFor(box), importer.importMail);

    importer.state.failNext = 'after-commit';
    await expect(poller.pollOnce()).rejects.toThrow('died after the commit');
    expect(importer.committed).toEqual(new Set(['crash-1']));
    expect(await subjects(box, 'INBOX')).toEqual([SUBJECT]);

    const later = await poller.pollOnce();
    expect(later.mails.map((m) => [m.status, m.folder])).toEqual([['duplicate', 'DMARC/Processed']]);
    expect(await box.list('INBOX')).toEqual([]);
    expect(await subjects(box, 'DMARC/Processed')).toEqual([SUBJECT]);
    await poller.close();
  });

  it('moves a mail over the size cap to failed without importing it', async () => {
    const box = await server.addAccount();
    const small = reportMail('small');
    const big = buildEmail({
      subject: 'huge report',
      parts: [{ contentType: 'application/gzip', filename: 'big.xml.gz', data: Buffer.alloc(20_000, 1) }],
    });
    await box.append('INBOX', big);
    await box.append('INBOX', small);
    const importer = parsingImporter();
    const poller = createMailboxPoller(
      optionsFor(box, { maxMessageBytes: small.length + 100 }),
      importer.importMail,
    );

    const result = await poller.pollOnce();

    expect(importer.calls.map((c) => c.name)).toEqual([NAME]);
    expect(result).toMatchObject({ fetched: 2, imported: 1, failed: 1 });
    expect(result.mails[0]).toMatchObject({
      name: 'huge report.eml',
      status: 'failed',
      folder: 'DMARC/Failed',
    });
    expect(result.mails[0]!.reason).toMatch(/^the mail is larger than \d+(\.\d)? KiB: not imported$/);
    expect(await subjects(box, 'DMARC/Failed')).toEqual(['huge report']);
    expect(await subjects(box, 'DMARC/Processed')).toEqual([SUBJECT]);
    await poller.close();
  });

  it('creates missing folders, nested, and leaves existing ones be', async () => {
    const box = await server.addAccount();
    expect(await box.folders()).toEqual(['INBOX']);
    await box.append('INBOX', reportMail('folders-1'));
    const importer = parsingImporter();
    const poller = createMailboxPoller(
      optionsFor(box, { processedFolder: 'Reports/DMARC/Done', failedFolder: 'Reports/DMARC/Bad' }),
      importer.importMail,
    );

    await poller.pollOnce();
    expect(await box.folders()).toEqual([
      'INBOX',
      'Reports',
      'Reports/DMARC',
      'Reports/DMARC/Bad',
      'Reports/DMARC/Done',
    ]);
    expect(await subjects(box, 'Reports/DMARC/Done')).toEqual([SUBJECT]);

    // A second round, with the folders there and nothing new.
    await expect(poller.pollOnce()).resolves.toMatchObject({ fetched: 0, remaining: 0 });
    await poller.close();
  });

  it('takes the oldest mails first, a batch per round, and shares a round between concurrent calls', async () => {
    const box = await server.addAccount();
    for (const id of ['b-1', 'b-2', 'b-3']) await box.append('INBOX', reportMail(id, `report ${id}`));
    const importer = parsingImporter();
    const poller = createMailboxPoller(optionsFor(box, { batch: 2 }), importer.importMail);

    const [a, b] = await Promise.all([poller.pollOnce(), poller.pollOnce()]);
    expect(a).toBe(b);
    expect(a).toMatchObject({ fetched: 2, imported: 2, remaining: 1 });
    expect(importer.calls.map((c) => c.name)).toEqual(['report b-1.eml', 'report b-2.eml']);

    await expect(poller.pollOnce()).resolves.toMatchObject({ fetched: 1, imported: 1, remaining: 0 });
    expect(await subjects(box, 'DMARC/Processed')).toEqual(['report b-1', 'report b-2', 'report b-3']);

    await poller.close();
    await expect(poller.pollOnce()).rejects.toThrow('closed');
  });

  it('connects with implicit TLS, and refuses a certificate it does not trust', async () => {
    const box = await server.addAccount();
    await box.append('INBOX', reportMail('tls-1'));
    const importer = parsingImporter();

    const untrusted = createMailboxPoller(
      optionsFor(box, { secure: true, port: server.tlsPort!, tls: { servername: 'imap.test' } }),
      importer.importMail,
    );
    await expect(untrusted.pollOnce()).rejects.toThrow(/certificate/i);

    const poller = createMailboxPoller(
      optionsFor(box, { secure: true, port: server.tlsPort! }),
      importer.importMail,
    );
    await expect(poller.pollOnce()).resolves.toMatchObject({ fetched: 1, imported: 1 });
    await poller.close();
  });

  it('does not log in over cleartext unless told to', async () => {
    const plain = await startImapServer();
    try {
      await plain.append('INBOX', reportMail('plain-1'));
      const importer = parsingImporter();
      const options = {
        host: plain.host,
        port: plain.port,
        secure: false,
        user: plain.user,
        password: plain.password,
      };
      const refusing = createMailboxPoller(options, importer.importMail);
      await expect(refusing.pollOnce()).rejects.toThrow(/STARTTLS/);
      expect(importer.calls).toEqual([]);

      const allowed = createMailboxPoller({ ...options, allowPlaintext: true }, importer.importMail);
      await expect(allowed.pollOnce()).resolves.toMatchObject({ fetched: 1, imported: 1 });
    } finally {
      await plain.close();
    }
  });
});
