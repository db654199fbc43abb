import pg from 'pg';
import { loadConfig } from '../src/platform/config.ts';
import { createContext } from '../src/app/context.ts';
import { systemActor } from '../src/platform/authz/permissions.ts';
import { BENCH_COMPANIES, planBenchCorpus } from './dmarc-generate.ts';
const corpus = planBenchCorpus(new Date());
const admin = new pg.Client({ connectionString: 'postgres://mamori_ci:mamori_ci@127.0.0.1:5432/mamori_ci' });
await admin.connect();
await admin.query('DROP DATABASE IF EXISTS mamori_di_pristine WITH (FORCE)');
await admin.query('CREATE DATABASE mamori_di_pristine');
await admin.end();
const env = { ...process.env, DATABASE_URL: 'postgres://mamori_ci:mamori_ci@127.0.0.1:5432/mamori_di_pristine', MAMORI_DATA_DIR: '/tmp/di/pgdata', MAMORI_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'), MAMORI_SCAN_SCHEDULER: 'false' };
const ctx = await createContext(loadConfig(env));
const actor = systemActor('bench');
const companies: string[] = [];
for (let i = 0; i < BENCH_COMPANIES; i++)
  companies.push((await ctx.services.org.createCompany(actor, { legalName: `C ${i + 1}`, shortCode: `D${String(i + 1).padStart(3, '0')}`, country: 'JP', parentId: i === 0 ? null : companies[0]!, status: 'active' })).id);
for (const d of corpus.domains)
  await ctx.services.emailAuth.createDomain(actor, { companyId: companies[d.company]!, name: d.name, service: 'Bench mail', role: 'sends', ownerPersonId: null, dkimSelectors: [], expectedSources: [], scanIntervalHours: 24, raiseRisks: false });
await ctx.close();
console.log('ok');
