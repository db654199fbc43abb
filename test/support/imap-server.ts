// A real IMAP server for tests: Debian's Dovecot (package dovecot-imapd), started as a child process with its own
// configuration, its users and maildirs in a temporary folder, on a free port of 127.0.0.1. It touches
// no system configuration. Mail goes in and is looked at through imapflow, as any client would.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ImapFlow } from 'imapflow';

const HOST = '127.0.0.1';
/** The maildirs' owner when the tests run as root: Dovecot gives no mail process uid 0. */
const NOBODY = 65534;

/**
 * The dovecot binary, or null when Dovecot is not installed. MAMORI_TEST_DOVECOT names another binary.
 */
export function findDovecot(): string | null {
  const named = process.env.MAMORI_TEST_DOVECOT;
  if (named) return fs.existsSync(named) ? named : null;
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const file = path.join(dir, 'dovecot');
    if (fs.existsSync(file)) return file;
  }
  return null;
}

/** The dovecot binary the tests use; null when it is not installed (the tests are then skipped, except in CI). */
export const dovecotBinary = findDovecot();

if (!dovecotBinary && process.env.CI) {
  throw new Error('Dovecot is missing; CI must run the IMAP tests (apt-get install dovecot-imapd)');
}

export interface TestMail {
  uid: number;
  subject: string;
  messageId: string;
  /** Without \Recent. */
  flags: string[];
  /** The message as the server hands it out. */
  source: Buffer;
}

/** One mailbox owner on the server. Folders are written with "/" between levels, whatever the server's delimiter. */
export interface TestImapAccount {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Appends a message; resolves with its UID. The folder is created when missing. */
  append(folder: string, raw: Buffer | string, flags?: string[]): Promise<number>;
  /** The messages of a folder, oldest first; throws when the folder does not exist. */
  list(folder: string): Promise<TestMail[]>;
  /** Every folder of the account, "/" between levels. */
  folders(): Promise<string[]>;
  /** Creates a folder (and its parents). */
  createFolder(folder: string): Promise<void>;
}

export interface TestImapServer extends TestImapAccount {
  /** The port of implicit TLS (IMAPS), when the server was started with a certificate. */
  tlsPort: number | null;
  /** A new account with empty mailboxes, so that a test starts from a known state. */
  addAccount(): Promise<TestImapAccount>;
  /** What Dovecot logged so far. */
  log(): string;
  close(): Promise<void>;
}

export interface ImapServerOptions {
  /**
   * A certificate (PEM) to serve: STARTTLS on the plain port and implicit TLS on `tlsPort`. Cleartext logins
   * stay allowed on the plain port, so that the tests can use both.
   */
  tls?: { key: string; cert: string };
}

/** Starts Dovecot. Throws, with Dovecot's log, when it is not installed or does not come up. */
export async function startImapServer(options: ImapServerOptions = {}): Promise<TestImapServer> {
  const dovecot = dovecotBinary;
  if (!dovecot) {
    throw new Error('Dovecot is not installed: apt-get install dovecot-imapd (or set MAMORI_TEST_DOVECOT)');
  }
  let lastError: unknown;
  // A port found free may be taken by someone else before Dovecot binds it: try again on another.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await launch(dovecot, options);
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

async function launch(dovecot: string, options: ImapServerOptions): Promise<TestImapServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-imap-'));
  // Dovecot's unprivileged helpers (dovenull, dovecot, nobody) must reach the sockets and maildirs under it.
  fs.chmodSync(dir, 0o755);
  const file = (name: string) => path.join(dir, name);
  const root = process.getuid?.() === 0;
  const me = os.userInfo();
  const mailUid = root ? NOBODY : me.uid;
  const mailGid = root ? NOBODY : me.gid;
  fs.mkdirSync(file('mail'));
  if (root) fs.chownSync(file('mail'), mailUid, mailGid);

  const port = await freePort();
  const tlsPort = options.tls ? await freePort() : null;
  if (options.tls) {
    fs.writeFileSync(file('server.crt'), options.tls.cert);
    fs.writeFileSync(file('server.key'), options.tls.key, { mode: 0o600 });
  }
  // Every user name logs in with this password and gets a maildir of its own (a static passdb): an account is
  // just a new name.
  const password = randomBytes(12).toString('hex');
  fs.writeFileSync(
    file('dovecot.conf'),
    dovecotConfig({
      dir,
      port,
      tlsPort,
      mailUid,
      mailGid,
      password,
      owner: root
        ? null
        : { user: me.username, group: execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim() },
    }),
  );

  const child = spawn(dovecot, ['-F', '-c', file('dovecot.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString('utf8')));
  const log = () => {
    let text = output;
    try {
      text += fs.readFileSync(file('dovecot.log'), 'utf8');
    } catch {
      // Not written yet.
    }
    return text;
  };
  // A test process that ends without close() must not leave a Dovecot behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.off('exit', killOnExit);
    await stopChild(child);
    fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    await waitForGreeting(port, child, 15_000);
  } catch (err) {
    const text = log();
    await stop();
    throw new Error(`Dovecot did not start: ${(err as Error).message}\n${text}`, { cause: err });
  }

  let accounts = 0;
  const addAccount = async (): Promise<TestImapAccount> => {
    accounts += 1;
    return account(HOST, port, `mamori${accounts}`, password);
  };
  const first = await addAccount();
  return {
    ...first,
    tlsPort,
    addAccount,
    log,
    close: stop,
  };
}

function dovecotConfig(o: {
  dir: string;
  port: number;
  tlsPort: number | null;
  mailUid: number;
  mailGid: number;
  password: string;
  /** Who runs every Dovecot process when the tests do not run as root. */
  owner: { user: string; group: string } | null;
}): string {
  const f = (name: string) => path.join(o.dir, name);
  return `# Written by test/support/imap-server.ts
base_dir = ${f('run')}
state_dir = ${f('state')}
instance_name = mamori-test-${o.port}
log_path = ${f('dovecot.log')}
protocols = imap
listen = ${HOST}
${
  o.tlsPort
    ? `ssl = yes
ssl_cert = <${f('server.crt')}
ssl_key = <${f('server.key')}`
    : 'ssl = no'
}
disable_plaintext_auth = no
auth_mechanisms = plain login
${
  o.owner
    ? `default_login_user = ${o.owner.user}
default_internal_user = ${o.owner.user}
default_internal_group = ${o.owner.group}
`
    : ''
}first_valid_uid = ${Math.min(o.mailUid, 500)}
mail_location = maildir:${f('mail')}/%u
namespace inbox {
  inbox = yes
}
passdb {
  driver = static
  args = password=${o.password}
}
userdb {
  driver = static
  args = uid=${o.mailUid} gid=${o.mailGid} home=${f('mail')}/%u
}
protocol imap {
  mail_max_userip_connections = 100
}
service imap-login {
  chroot =
  inet_listener imap {
    port = ${o.port}
  }
  inet_listener imaps {
    port = ${o.tlsPort ?? 0}
  }
}
service anvil {
  chroot =
}
`;
}

function account(host: string, port: number, user: string, password: string): TestImapAccount {
  async function withClient<T>(work: (client: ImapFlow) => Promise<T>): Promise<T> {
    const client = new ImapFlow({
      host,
      port,
      secure: false,
      doSTARTTLS: false,
      auth: { user, pass: password },
      logger: false,
      disableAutoIdle: true,
    });
    client.on('error', () => {
      // Surfaces as the rejection of the command in progress.
    });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.logout().catch(() => client.close());
    }
  }
  const segments = (folder: string) => folder.split('/');
  const createFolder = async (client: ImapFlow, folder: string) => {
    if (folder.toUpperCase() !== 'INBOX') await client.mailboxCreate(segments(folder));
  };

  return {
    host,
    port,
    user,
    password,
    append: (folder, raw, flags = []) =>
      withClient(async (client) => {
        await createFolder(client, folder);
        const content = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
        const result = await client.append(segments(folder), content, flags);
        if (!result || typeof result.uid !== 'number') throw new Error(`append to ${folder} failed`);
        return result.uid;
      }),
    list: (folder) =>
      withClient(async (client) => {
        const box = await client.mailboxOpen(segments(folder), { readOnly: true });
        if (box.exists === 0) return [];
        const mails = await client.fetchAll(
          '1:*',
          { uid: true, envelope: true, flags: true, source: true },
          { uid: false },
        );
        return mails
          .map((m) => ({
            uid: m.uid,
            subject: m.envelope?.subject ?? '',
            messageId: m.envelope?.messageId ?? '',
            // \Recent says which session saw the mail first, not anything about the mail.
            flags: [...(m.flags ?? [])].filter((f) => f !== '\\Recent').sort(),
            source: m.source ?? Buffer.alloc(0),
          }))
          .sort((a, b) => a.uid - b.uid);
      }),
    folders: () =>
      withClient(async (client) => {
        const boxes = await client.list();
        return boxes.map((b) => [...b.parent, b.name].join('/')).sort();
      }),
    createFolder: (folder) => withClient((client) => createFolder(client, folder)),
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once the server answers a connection with its "ready" greeting. */
async function waitForGreeting(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: string | null = null;
  child.once('exit', (code, signal) => (exited = `exited with ${signal ?? code}`));
  while (Date.now() < deadline) {
    if (exited) throw new Error(exited);
    if (await greets(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no IMAP greeting on port ${port} within ${timeoutMs} ms`);
}

function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, HOST);
    let text = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('data', (d: Buffer) => {
      text += d.toString('latin1');
      // "* OK Waiting for authentication process to respond.." comes first while auth is starting.
      if (/^\* OK .*ready/im.test(text)) done(true);
      else if (/^\* (BYE|NO)/m.test(text)) done(false);
    });
    socket.on('close', () => done(false));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
