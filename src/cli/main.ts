// The `mamori` command line. Commands call services, never SQL.
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { assertSupportedNode } from '../platform/node-version.ts';
import { loadConfig } from '../platform/config.ts';
import { AppError, UsageError } from '../platform/errors.ts';
import {
  systemActor,
  ROLES,
  TOKEN_SCOPES,
  type Role,
  type TokenScope,
} from '../platform/authz/permissions.ts';
import type { AppContext } from '../app/context.ts';

// The application is loaded only by the commands that need it, so that `mamori email …` starts fast.
const appContext = () => import('../app/context.ts');
const server = () => import('../app/server.ts');

const USAGE = `Usage: mamori <command> [options]

Commands:
  serve [--demo]                         start the HTTP server (migrates first; --demo loads the demo group once)
  migrate                                apply database migrations and exit
  demo                                   load the fictional demo group into the database
  people import FILE [--commit]          check an HR CSV export (dry run), or import it all-or-nothing with --commit
  assets import FILE --company ID|CODE [--dry-run] [--json]
                                         import a company's inventory CSV all-or-nothing (UTF-8 or Shift_JIS), or
                                         only check it with --dry-run; any bad row is listed and exits 1
  frameworks list [--json]               the control catalogs, with their number of assessable requirements
  frameworks import FILE [--ref REF]     import a NIST OSCAL catalog (JSON) whole, or refuse it naming where it is wrong
  frameworks export REF --format oscal   print a catalog as OSCAL JSON
  email spf --ip IP --sender ADDRESS --helo NAME [--dns-server HOST:PORT | --zone FILE]
                                         print the SPF verdict as JSON: result, explanation, lookups
  email spf-suite FILE                   run an SPF test suite (openspf YAML); exits 1 when any case fails
  email check DOMAIN [--selector S]... [--parked] [--dns-server HOST:PORT] [--json] [--timeout MS]
                                         SPF, DMARC, DKIM, MTA-STS, TLS-RPT and BIMI posture; exits 1 on errors
                                         (mamori email check --help for all options)
  dmarc import PATH... [--json]          import DMARC aggregate and failure report files and folders; one result per file
  dmarc poll                             fetch and import the report mails waiting in MAMORI_DMARC_IMAP_HOST's mailbox
  audit verify                           check the audit trail's hash chain; non-zero exit names the first broken entry
  user create --email E --name N [--role ROLE] [--company CODE]
                                         create a user; the password is read from MAMORI_NEW_PASSWORD or stdin
  token create --email E --name N [--expires-days N] [--scopes a,b]
                                         print a new API token for that user
  backup FILE                            write a consistent copy of the SQLite database (safe while serving)

Environment: MAMORI_DATA_DIR (./data), DATABASE_URL (postgres://… instead of SQLite), PORT (8080), HOST,
MAMORI_ADMIN_EMAIL / MAMORI_ADMIN_PASSWORD (first administrator), MAMORI_PUBLIC_URL.`;

const cliActor = () => systemActor(`cli:${os.userInfo().username}`);

async function withContext<T>(fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const ctx = await (await appContext()).createContext(loadConfig());
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

function readStdin(): string {
  try {
    return fs.readFileSync(0, 'utf8').split(/\r?\n/)[0] ?? '';
  } catch {
    return '';
  }
}

async function serve(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { demo: { type: 'boolean' } }, strict: true });
  const config = loadConfig();
  const { createServer, bootstrapFirstAdmin } = await server();
  const ctx = await (await appContext()).createContext(config);
  const link = await bootstrapFirstAdmin(ctx);
  if (values.demo) {
    const demo = await (await import('../app/demo.ts')).loadDemo(ctx);
    console.log(demo.loaded ? `Demo group loaded: ${demo.summary}` : 'Demo group already loaded');
    if (demo.loaded) console.log(demo.credentials);
  }
  const app = await createServer(ctx);
  const purge = setInterval(
    () => void ctx.services.identity.purgeExpiredSessions().catch(() => undefined),
    10 * 60_000,
  );
  purge.unref();
  // Posture rescans: each round scans the domains that are due (claimed, so that replicas share the work).
  let scanning = false;
  const rescans = config.scans.scheduler
    ? setInterval(() => {
        if (scanning) return;
        scanning = true;
        void ctx.services.emailAuth
          .runDueScans({ limit: 200, concurrency: config.scans.concurrency })
          // The reverse DNS names of the busiest new DMARC report sources, in the same quiet round.
          .then(() => ctx.services.dmarcReports.nameSources(100))
          .catch((err: unknown) => app.log.error(err, 'posture rescans failed'))
          .finally(() => (scanning = false));
      }, config.scans.tickSeconds * 1000)
    : undefined;
  rescans?.unref();
  // The notification outbox: mails and webhook calls, each claimed so that replicas never deliver one twice.
  let delivering = false;
  const deliveries = config.notifications.delivery
    ? setInterval(() => {
        if (delivering) return;
        delivering = true;
        void ctx.services.notifications
          .deliverDue({ limit: 100 })
          .then((r) => {
            if (r.failed > 0) app.log.warn(r, 'notification deliveries given up');
          })
          .catch((err: unknown) => app.log.error(err, 'notification delivery failed'))
          .finally(() => (delivering = false));
      }, config.notifications.tickSeconds * 1000)
    : undefined;
  deliveries?.unref();
  // The DMARC report mailbox, when configured: one round at a time.
  const mailbox = (await import('../modules/dmarc-reports/index.ts')).createReportMailbox(
    config,
    ctx.services.dmarcReports,
    app.log,
  );
  let polling = false;
  const polls = mailbox
    ? setInterval(() => {
        if (polling) return;
        polling = true;
        void mailbox
          .pollOnce()
          .then((r) => {
            if (r.fetched > 0) app.log.info(r, 'DMARC report mailbox polled');
          })
          .catch((err: unknown) => app.log.error(err, 'DMARC report mailbox failed'))
          .finally(() => (polling = false));
      }, config.dmarcMailbox!.intervalSeconds * 1000)
    : undefined;
  polls?.unref();
  const shutdown = async (signal: string) => {
    app.log.info(`${signal}: shutting down`);
    clearInterval(purge);
    clearInterval(rescans);
    clearInterval(deliveries);
    clearInterval(polls);
    await mailbox?.close();
    await app.close();
    await ctx.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(
    `Mamori is listening on http://${config.host}:${port} (database: ${ctx.db.dialect}${config.database.kind === 'sqlite' ? ` ${config.database.file}` : ''})`,
  );
  if (link) {
    console.log(
      `\nNo administrator yet. Open this one-time setup link (valid 24 hours) to create one:\n  ${link}\n`,
    );
  }
}

async function main(argv: string[]): Promise<number> {
  assertSupportedNode();
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      await serve(rest);
      return -1; // keeps running
    case 'migrate':
      await withContext(async () => console.log('Database is up to date'));
      return 0;
    case 'demo':
      return withContext(async (ctx) => {
        await (await server()).bootstrapFirstAdmin(ctx);
        const demo = await (await import('../app/demo.ts')).loadDemo(ctx);
        console.log(
          demo.loaded
            ? `Demo group loaded: ${demo.summary}\n${demo.credentials}`
            : 'Demo group already loaded',
        );
        return 0;
      });
    case 'people': {
      const [sub, ...args] = rest;
      if (sub !== 'import') throw new UsageError('Unknown people command');
      const { values, positionals } = parseArgs({
        args,
        options: { commit: { type: 'boolean' } },
        allowPositionals: true,
      });
      const file = positionals[0];
      if (!file || positionals.length > 1) throw new UsageError('people import needs exactly one FILE');
      if (!fs.existsSync(file)) throw new AppError('not_found', 404, `File not found: ${file}`);
      const bytes = fs.readFileSync(file);
      return withContext(async (ctx) => {
        const r = await ctx.services.org.importPeople(
          cliActor(),
          bytes,
          values.commit === true,
          Number.MAX_SAFE_INTEGER,
        );
        console.log(
          `${r.rows} rows: ${r.created} to create, ${r.updated} to update, ${r.unchanged} unchanged, ${r.errors.length}${r.errorsTruncated ? '+' : ''} with errors`,
        );
        for (const e of r.errors) console.error(`line ${e.line}: ${e.message}`);
        if (r.errors.length > 0) {
          console.error(
            values.commit
              ? 'Nothing was imported: fix the rows above and run again.'
              : 'Fix the rows above before committing.',
          );
          return 1;
        }
        console.log(r.committed ? 'Imported.' : 'Dry run only: run again with --commit to import.');
        return 0;
      });
    }
    case 'assets':
      return (await import('../modules/assets/index.ts')).assetsCommand(rest, cliActor(), (fn) =>
        withContext((ctx) => fn(ctx.services.assets)),
      );
    case 'frameworks':
      return withContext(async (ctx) =>
        (await import('../modules/frameworks/index.ts')).frameworksCommand(
          ctx.services.frameworks,
          cliActor(),
          rest,
        ),
      );
    case 'email':
      return (await import('../modules/email-auth/index.ts')).emailCommand(rest);
    case 'dmarc':
      return (await import('../modules/dmarc-reports/index.ts')).dmarcCommand(rest, cliActor(), (fn) =>
        withContext((ctx) => fn(ctx.services.dmarcReports, ctx.config)),
      );
    case 'audit': {
      if (rest[0] !== 'verify') throw new UsageError('Unknown audit command');
      return withContext(async (ctx) => {
        const r = await ctx.services.auditTrail.verify(cliActor(), (n) =>
          process.stderr.write(`\rchecked ${n} entries`),
        );
        if (r.ok) {
          console.log(`Audit trail intact: ${r.entries} entries, head ${r.headHash}`);
          return 0;
        }
        console.error(
          `Audit trail BROKEN at entry #${r.brokenSeq}${r.brokenId ? ` (${r.brokenId})` : ''}: ${r.reason}`,
        );
        console.error(`${r.entries} entries before it verified.`);
        return 1;
      });
    }
    case 'user': {
      const [sub, ...args] = rest;
      if (sub !== 'create') throw new UsageError('Unknown user command');
      const { values } = parseArgs({
        args,
        options: {
          email: { type: 'string' },
          name: { type: 'string' },
          role: { type: 'string' },
          company: { type: 'string' },
          locale: { type: 'string' },
        },
      });
      if (!values.email || !values.name) throw new UsageError('user create needs --email and --name');
      if (values.role && !(ROLES as readonly string[]).includes(values.role))
        throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
      const password = process.env.MAMORI_NEW_PASSWORD ?? readStdin();
      if (!password) throw new UsageError('Give the password in MAMORI_NEW_PASSWORD or on stdin');
      return withContext(async (ctx) => {
        let companyId: string | null = null;
        if (values.company) {
          const page = await ctx.services.org.listCompanies(cliActor(), { q: values.company, limit: 200 });
          const c = page.items.find((x) => x.shortCode === values.company);
          if (!c) throw new AppError('not_found', 404, `No company with short code ${values.company}`);
          companyId = c.id;
        }
        const user = await ctx.services.identity.createUserWithRoles(
          cliActor(),
          {
            email: values.email!,
            displayName: values.name!,
            password,
            personId: null,
            locale: values.locale === 'ja' ? 'ja' : 'en',
          },
          values.role ? [{ role: values.role as Role, companyId }] : [],
        );
        console.log(
          `Created user ${user.email} (${user.id})${values.role ? ` with role ${values.role}` : ''}`,
        );
        return 0;
      });
    }
    case 'token': {
      const [sub, ...args] = rest;
      if (sub !== 'create') throw new UsageError('Unknown token command');
      const { values } = parseArgs({
        args,
        options: {
          email: { type: 'string' },
          name: { type: 'string' },
          'expires-days': { type: 'string' },
          scopes: { type: 'string' },
        },
      });
      if (!values.email || !values.name) throw new UsageError('token create needs --email and --name');
      const days = values['expires-days'] === undefined ? 90 : Number(values['expires-days']);
      if (!Number.isInteger(days) || days < 1 || days > 366)
        throw new UsageError('--expires-days must be a whole number from 1 to 366');
      const scopes = (
        values.scopes ? values.scopes.split(',').map((s) => s.trim()) : [...TOKEN_SCOPES]
      ) as TokenScope[];
      const bad = scopes.filter((s) => !(TOKEN_SCOPES as readonly string[]).includes(s));
      if (bad.length || scopes.length === 0)
        throw new UsageError(`--scopes must be a comma-separated subset of ${TOKEN_SCOPES.join(',')}`);
      return withContext(async (ctx) => {
        const { token } = await ctx.services.identity.createTokenForEmail(cliActor(), values.email!, {
          name: values.name!,
          scopes,
          expiresInDays: days,
        });
        console.log(token);
        return 0;
      });
    }
    case 'backup': {
      const file = rest[0];
      if (!file || rest.length > 1) throw new UsageError('backup needs exactly one FILE');
      return withContext(async (ctx) => {
        await ctx.db.backupTo(file);
        console.log(`Backup written to ${file}`);
        return 0;
      });
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`Unknown command: ${command}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      console.error(`mamori: ${err.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else if (err instanceof AppError) {
      console.error(`mamori: ${err.message}`);
      for (const i of err.issues ?? []) console.error(`  ${i.path}: ${i.message}`);
      process.exitCode = 1;
    } else if (
      (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ||
      (err as { code?: string }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' ||
      (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL'
    ) {
      console.error(`mamori: ${(err as Error).message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else {
      console.error('mamori: unexpected error:', err);
      process.exitCode = 1;
    }
  },
);
