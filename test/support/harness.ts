// Test harness: a fresh database on each dialect under test, the real services, and the real HTTP app.
import { startDnsServer } from './dns-server.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/platform/config.ts';
import type { DatabaseTarget } from '../../src/platform/db/database.ts';
import { createContext, type AppContext } from '../../src/app/context.ts';
import { createServer } from '../../src/app/server.ts';
import type { ApiApp, AppOptions } from '../../src/platform/http/app.ts';

export type TestDialect = 'sqlite' | 'pglite' | 'postgres';

/** sqlite and pglite always; a real PostgreSQL server too when MAMORI_TEST_PG_URL is set. */
export function dialectsUnderTest(): TestDialect[] {
  const only = process.env.MAMORI_TEST_DIALECTS?.split(',').map((d) => d.trim()) as TestDialect[] | undefined;
  if (only && only.length > 0) return only;
  return process.env.MAMORI_TEST_PG_URL ? ['sqlite', 'pglite', 'postgres'] : ['sqlite', 'pglite'];
}

export interface TestEnv {
  dialect: TestDialect;
  dataDir: string;
  config: Config;
  ctx: AppContext;
  app: ApiApp;
  routes: { method: string; url: string; access: string | undefined }[];
  /** The database target, to open it again from another process or context. */
  target: DatabaseTarget;
  close(): Promise<void>;
}

/** A new, empty database on the PostgreSQL server of MAMORI_TEST_PG_URL, and how to drop it. */
export async function freshPostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = process.env.MAMORI_TEST_PG_URL;
  if (!adminUrl) throw new Error('MAMORI_TEST_PG_URL is not set');
  const name = `mamori_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } catch (err) {
        // Cleaning up must not fail a test that passed; the database is left for the server's owner.
        console.warn(`could not drop test database ${name}: ${(err as Error).message}`);
      } finally {
        await c.end();
      }
    },
  };
}

export async function createTestEnv(
  dialect: TestDialect,
  env: Record<string, string> = {},
  opts: { onRoute?: AppOptions['onRoute'] } = {},
): Promise<TestEnv> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-test-'));
  // Posture scans ask a real DNS server of the tests' own, never the machine's resolvers: an empty zone by default.
  const dns = env.MAMORI_DNS_SERVERS ? undefined : await startDnsServer({});
  const config = loadConfig({
    ...(dns ? { MAMORI_DNS_SERVERS: dns.address } : {}),
    MAMORI_DATA_DIR: dataDir,
    MAMORI_SECRET_KEY: randomBytes(32).toString('base64'),
    MAMORI_LOG_LEVEL: 'silent',
    MAMORI_VERIFY_RESPONSES: 'true',
    ...env,
  });
  let drop: (() => Promise<void>) | undefined;
  let target: DatabaseTarget;
  if (dialect === 'sqlite') target = { kind: 'sqlite', file: path.join(dataDir, 'mamori.sqlite') };
  else if (dialect === 'pglite') target = { kind: 'pglite' };
  else {
    const pgdb = await freshPostgres();
    drop = pgdb.drop;
    target = { kind: 'postgres', url: pgdb.url, poolSize: 4 };
  }
  const ctx = await createContext(config, target);
  const routes: TestEnv['routes'] = [];
  const app = await createServer(ctx, {
    logLevel: 'silent',
    webDist: '',
    onRoute: (r) => {
      for (const m of [r.method].flat()) {
        if (m !== 'HEAD') routes.push({ method: m, url: r.url, access: r.access });
      }
      opts.onRoute?.(r);
    },
  });
  await app.ready();
  return {
    dialect,
    dataDir,
    config,
    ctx,
    app,
    routes,
    target,
    async close() {
      await app.close();
      await ctx.close();
      await drop?.();
      await dns?.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
