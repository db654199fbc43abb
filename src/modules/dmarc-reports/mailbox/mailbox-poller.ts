// The report mailbox poller: fetches the mails waiting in an IMAP mailbox, hands each one (as a temporary file) to
// the importer, and moves it to the processed or the failed folder only once the importer has answered, that is
// once its data is committed or refused. A mail whose import throws (the database is down) stays where it was and
// the round stops; if the process dies between the commit and the move, the next round imports the mail again,
// the importer finds it a duplicate, and it moves on.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ImapFlow, type FetchMessageObject } from 'imapflow';
import { DEFAULT_INGEST_LIMITS } from '../ingest/limits.ts';
import { formatBytes } from '../lib/report-rejection.ts';
import { mailFileName } from './mail-file-name.ts';

export interface MailboxPollerOptions {
  host: string;
  port: number;
  /** Implicit TLS (IMAPS, port 993). Without it the connection must be upgraded with STARTTLS. */
  secure: boolean;
  /**
   * Lets the login go in cleartext when the server offers no STARTTLS: only for a server on the same host or a
   * private link. Off by default, so that the password never crosses the wire unencrypted.
   */
  allowPlaintext?: boolean;
  user: string;
  password: string;
  /** Where report mails arrive; every mail in it is taken for a report mail. */
  mailbox?: string;
  /** "/" between levels, whatever the server's own delimiter. Created when missing. */
  processedFolder?: string;
  failedFolder?: string;
  tls?: {
    /** Certificates (PEM) to trust besides the system's, e.g. a private CA. */
    ca?: string | Buffer | (string | Buffer)[];
    /** The name the certificate must bear, when `host` is an address or another name. */
    servername?: string;
  };
  /** A larger mail goes to the failed folder without being imported (the default is the ingest limit). */
  maxMessageBytes?: number;
  /** Mails per round, oldest first; the rest wait for the next round. */
  batch?: number;
  /** Where mails are saved while they are imported (the system's temporary folder by default). */
  tempDir?: string;
  /** How often the idle connection is kept alive with a NOOP while a long import runs. */
  keepAliveMs?: number;
}

export type MailImportStatus = 'imported' | 'duplicate' | 'rejected';

/** What the importer answers for a file; the service's FileResult has this shape (and more). */
export interface MailImportResult {
  status: MailImportStatus;
  reason: string | null;
}

/**
 * Imports one mail, saved as a file (an .eml). Resolves only after the mail's data is committed (or refused);
 * throws only when it could not decide (infrastructure), and then the mail is left in the mailbox.
 */
export type ImportMail = (file: string, meta: { name: string }) => Promise<MailImportResult>;

export interface MailOutcome {
  uid: number;
  name: string;
  /** 'failed': the mail was not handed to the importer (too large). */
  status: MailImportStatus | 'failed';
  reason: string | null;
  /** The folder it was moved to ("/" between levels). */
  folder: string;
}

export interface PollResult {
  /** Mails taken from the mailbox in this round: imported + duplicate + rejected + failed. */
  fetched: number;
  imported: number;
  duplicate: number;
  rejected: number;
  failed: number;
  /** Mails left in the mailbox for the next round (beyond the batch). */
  remaining: number;
  mails: MailOutcome[];
}

/** The logger's shape (pino's, as Fastify's app.log has it). */
export interface MailboxLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface MailboxPoller {
  /** One round; concurrent calls share the round in progress. Rejects when a mail's import throws. */
  pollOnce(): Promise<PollResult>;
  /** Lets the round in progress finish the mail it is on, then stops; later rounds are refused. */
  close(): Promise<void>;
}

/** The largest report email the importer reads (64 MiB). */
export const DEFAULT_MAX_MESSAGE_BYTES = DEFAULT_INGEST_LIMITS.maxEmailBytes;

const SILENT: MailboxLogger = { info: () => {}, warn: () => {} };

export function createMailboxPoller(
  options: MailboxPollerOptions,
  importMail: ImportMail,
  log: MailboxLogger = SILENT,
): MailboxPoller {
  const settings = {
    mailbox: options.mailbox ?? 'INBOX',
    processedFolder: options.processedFolder ?? 'DMARC/Processed',
    failedFolder: options.failedFolder ?? 'DMARC/Failed',
    maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    batch: options.batch ?? 50,
    tempDir: options.tempDir ?? os.tmpdir(),
    keepAliveMs: options.keepAliveMs ?? 60_000,
  };
  if (!(settings.batch >= 1)) throw new RangeError('batch must be at least 1');
  if (!(settings.maxMessageBytes >= 1)) throw new RangeError('maxMessageBytes must be at least 1');

  let running: Promise<PollResult> | null = null;
  let closing = false;

  function connect(): ImapFlow {
    const client = new ImapFlow({
      host: options.host,
      port: options.port,
      secure: options.secure,
      // Required unless cleartext is allowed; then it is still used when the server offers it.
      doSTARTTLS: options.secure || options.allowPlaintext ? undefined : true,
      servername: options.tls?.servername,
      tls: { ca: options.tls?.ca, minVersion: 'TLSv1.2' },
      auth: { user: options.user, pass: options.password },
      logger: false,
      disableAutoIdle: true,
    });
    // Without a listener an 'error' event would end the process; the command in progress rejects anyway.
    client.on('error', (err: Error) => log.warn({ err: err.message }, 'IMAP connection error'));
    return client;
  }

  async function round(): Promise<PollResult> {
    const result: PollResult = {
      fetched: 0,
      imported: 0,
      duplicate: 0,
      rejected: 0,
      failed: 0,
      remaining: 0,
      mails: [],
    };
    const client = connect();
    await client.connect();
    let tmp: string | null = null;
    try {
      const mailbox = mailboxPath(client, settings.mailbox);
      const folders = {
        processed: mailboxPath(client, settings.processedFolder),
        failed: mailboxPath(client, settings.failedFolder),
      };
      await ensureFolders(client, Object.values(folders), log);
      tmp = await fs.promises.mkdtemp(path.join(settings.tempDir, 'mamori-mail-'));

      const lock = await client.getMailboxLock(mailbox);
      try {
        // Every mail still in the mailbox is unprocessed (the handled ones were moved out), read or not.
        const found = await client.search({ deleted: false }, { uid: true });
        if (!Array.isArray(found)) throw new Error(`the server refused to search ${settings.mailbox}`);
        const uids = [...found].sort((a, b) => a - b);
        const taken = uids.slice(0, settings.batch);
        result.remaining = uids.length - taken.length;
        if (taken.length === 0) return result;

        const heads = await client.fetchAll(
          taken.join(','),
          { uid: true, size: true, envelope: true },
          { uid: true },
        );
        heads.sort((a, b) => a.uid - b.uid);
        for (const [i, head] of heads.entries()) {
          if (closing) {
            result.remaining += heads.length - i;
            break;
          }
          const mail = await handle(client, head, tmp, folders);
          if (!mail) continue;
          result.mails.push(mail);
          result.fetched += 1;
          result[mail.status] += 1;
        }
      } finally {
        lock.release();
      }
      return result;
    } finally {
      if (tmp) await fs.promises.rm(tmp, { recursive: true, force: true });
      await client.logout().catch(() => client.close());
    }
  }

  /** One mail: saved, imported, moved. Null when it is gone (another poller took it). */
  async function handle(
    client: ImapFlow,
    head: FetchMessageObject,
    tmp: string,
    folders: { processed: string; failed: string },
  ): Promise<MailOutcome | null> {
    const uid = head.uid;
    const name = mailFileName({ uid, subject: head.envelope?.subject, messageId: head.envelope?.messageId });
    const tooLarge = () => `the mail is larger than ${formatBytes(settings.maxMessageBytes)}: not imported`;

    let answer: MailImportResult | 'too-large';
    if (head.size !== undefined && head.size > settings.maxMessageBytes) {
      answer = 'too-large';
    } else {
      const file = path.join(tmp, `${uid}.eml`);
      try {
        const bytes = await saveMail(client, uid, file, settings.maxMessageBytes);
        if (bytes === null) return null;
        answer =
          bytes > settings.maxMessageBytes
            ? 'too-large'
            : await withKeepAlive(client, settings.keepAliveMs, () => importMail(file, { name }));
      } catch (err) {
        log.warn(
          { uid, name, err: err instanceof Error ? err.message : String(err) },
          'report mail not imported; it stays in the mailbox for the next round',
        );
        throw err;
      } finally {
        await fs.promises.rm(file, { force: true });
      }
    }

    const outcome: MailOutcome =
      answer === 'too-large'
        ? { uid, name, status: 'failed', reason: tooLarge(), folder: settings.failedFolder }
        : {
            uid,
            name,
            status: answer.status,
            reason: answer.reason,
            folder: answer.status === 'rejected' ? settings.failedFolder : settings.processedFolder,
          };
    const target = outcome.folder === settings.processedFolder ? folders.processed : folders.failed;
    // A processed mail is marked read; a failed one stays unread, for someone to look at.
    if (target === folders.processed) await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
    const moved = await client.messageMove(String(uid), target, { uid: true });
    if (!moved) throw new Error(`could not move the mail (UID ${uid}) to ${outcome.folder}`);
    if (outcome.folder === settings.failedFolder) {
      log.warn(
        { uid, name, status: outcome.status, reason: outcome.reason },
        'report mail moved to the failed folder',
      );
    } else {
      log.info({ uid, name, status: outcome.status }, 'report mail processed');
    }
    return outcome;
  }

  return {
    pollOnce() {
      if (closing) return Promise.reject(new Error('the mailbox poller is closed'));
      running ??= round().finally(() => {
        running = null;
      });
      return running;
    },
    async close() {
      closing = true;
      await running?.catch(() => {});
    },
  };
}

/** The server's name of a folder written with "/" between levels: its delimiter, and its namespace prefix. */
function mailboxPath(client: ImapFlow, folder: string): string {
  if (folder.toUpperCase() === 'INBOX') return 'INBOX';
  const delimiter = client.namespace?.delimiter || '/';
  const prefix = client.namespace?.prefix ?? '';
  const joined = folder.split('/').join(delimiter);
  return prefix && !joined.startsWith(prefix) ? prefix + joined : joined;
}

async function ensureFolders(client: ImapFlow, paths: string[], log: MailboxLogger): Promise<void> {
  const existing = new Set((await client.list()).map((box) => box.path));
  for (const folder of paths) {
    if (existing.has(folder)) continue;
    const created = await client.mailboxCreate(folder);
    if (created.created) log.info({ folder }, 'IMAP folder created');
  }
}

/**
 * Streams a mail (without setting \Seen) to a file, reading at most one byte over the limit. Resolves with the
 * bytes written, or null when the mail is gone.
 */
async function saveMail(
  client: ImapFlow,
  uid: number,
  file: string,
  maxBytes: number,
): Promise<number | null> {
  const download = await client.download(String(uid), undefined, { uid: true, maxBytes: maxBytes + 1 });
  if (!download.content) return null;
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(download.content, counter, fs.createWriteStream(file, { mode: 0o600 }));
  return bytes;
}

/** Runs `work` while a NOOP now and then keeps the otherwise silent connection from timing out. */
async function withKeepAlive<T>(client: ImapFlow, everyMs: number, work: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => {
    client.noop().catch(() => {
      // A dead connection shows when the mail is moved.
    });
  }, everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
