// The configured DMARC report mailbox: a poller whose mails go through the same import as files do.
import fs from 'node:fs';
import type { Config } from '../../platform/config.ts';
import { systemActor } from '../../platform/authz/permissions.ts';
import { createMailboxPoller } from './mailbox/mailbox-poller.ts';
import type { DmarcReportsService } from './dmarc-reports.service.ts';

export function createReportMailbox(
  config: Config,
  svc: DmarcReportsService,
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void },
) {
  const box = config.dmarcMailbox;
  if (!box) return undefined;
  const ca = config.scans.extraCaFile ? fs.readFileSync(config.scans.extraCaFile, 'utf8') : undefined;
  const actor = systemActor('dmarc-mailbox');
  return createMailboxPoller(
    {
      host: box.host,
      port: box.port,
      secure: box.tls === 'implicit',
      allowPlaintext: box.tls === 'plain',
      user: box.user,
      password: box.password,
      mailbox: box.mailbox,
      processedFolder: box.processedFolder,
      failedFolder: box.failedFolder,
      ...(ca ? { tls: { ca } } : {}),
    },
    (file, meta) => svc.importFile(actor, file, { name: meta.name, channel: 'imap' }),
    log,
  );
}
