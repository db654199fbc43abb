// npm run bench:compliance — 44 companies with ISO/IEC 27001 and PCI DSS adopted, 500 applied controls each and
// 200,000 evidence records in all; times the group dashboard and one company's SoA against a trivial
// authenticated endpoint in the same run, and the OSCAL SP 800-53 import.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/platform/config.ts';
import { createContext } from '../src/app/context.ts';
import { systemActor } from '../src/platform/authz/permissions.ts';
import { newId } from '../src/platform/ids.ts';
import { complianceRepository } from '../src/modules/compliance/compliance.repository.ts';
import type { AppliedControlRow, EvidenceRow } from '../src/modules/compliance/compliance.tables.ts';
import { generateGroup } from './generate.ts';
import { benchDataDir, benchToken, load, medianLatency, printRows, startBenchServer } from './support.ts';

const COMPANIES = Number(process.env.BENCH_COMPANIES ?? 44);
const CONTROLS_PER_COMPANY = Number(process.env.BENCH_CONTROLS ?? 500);
const EVIDENCE = Number(process.env.BENCH_EVIDENCE ?? 200_000);
const OSCAL = path.resolve(
  import.meta.dirname,
  '..',
  '..',
  'shared',
  'conformance',
  'oscal',
  'NIST_SP-800-53_rev5_catalog.json',
);

const { env, cleanup } = benchDataDir('compliance');
const ctx = await createContext(loadConfig(env));
const actor = systemActor('bench');
const { compliance, frameworks } = ctx.services;

console.log(
  `Generating ${COMPANIES} companies, ISO/IEC 27001 + PCI DSS each, ${CONTROLS_PER_COMPANY} applied controls each, ${EVIDENCE.toLocaleString('en')} evidence records …`,
);
const t0 = performance.now();
const group = await generateGroup(ctx, { companies: COMPANIES, people: COMPANIES * 20 });
const all = await frameworks.list(actor);
const adopted = ['iso27001-2022', 'pci-dss-4.0'].map((ref) => all.find((f) => f.ref === ref)!);
let rand = 7;
const next = () => (rand = (rand * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const evidencePerCompany = Math.ceil(EVIDENCE / COMPANIES);
let evidenceMade = 0;
for (const company of group.companies) {
  const requirementIds: string[] = [];
  for (const f of adopted) {
    await compliance.adopt(actor, company.id, { frameworkId: f.id, scopeStatement: null });
    const soa = await compliance.soa(actor, company.id, f.id);
    requirementIds.push(...soa.items.map((i) => i.requirementId));
  }
  // Controls, links and evidence go straight into the tables: generating bench data, not exercising the API.
  await ctx.db.transaction(async (tx) => {
    const r = complianceRepository(tx);
    const at = new Date().toISOString();
    const controls: AppliedControlRow[] = Array.from({ length: CONTROLS_PER_COMPANY }, (_, i) => ({
      id: newId(),
      company_id: company.id,
      code: `C-${String(i + 1).padStart(4, '0')}`,
      name: `Applied control ${i + 1}`,
      description: null,
      owner_person_id: null,
      status: 'active',
      version: 1,
      created_at: at,
      updated_at: at,
    }));
    for (const c of controls) {
      await r.insertControl(c);
      await r.setControlRequirements(
        c.id,
        company.id,
        Array.from(
          { length: 1 + Math.floor(next() * 3) },
          () => requirementIds[Math.floor(next() * requirementIds.length)]!,
        ),
      );
    }
    const evidence: EvidenceRow[] = [];
    for (let i = 0; i < evidencePerCompany && evidenceMade < EVIDENCE; i++, evidenceMade++) {
      const c = controls[i % controls.length]!;
      const start = -Math.floor(next() * 700);
      evidence.push({
        id: newId(),
        company_id: company.id,
        applied_control_id: c.id,
        kind: 'note',
        title: `Record ${i}`,
        url: null,
        note: 'generated',
        file_sha256: null,
        file_name: null,
        file_size: null,
        media_type: null,
        valid_from: day(start),
        valid_until: day(start + 365),
        version: 1,
        created_by: null,
        created_at: at,
        updated_at: at,
      });
    }
    await r.insertEvidenceBatch(evidence);
  });
  const soa = await compliance.soa(actor, company.id, adopted[0]!.id);
  for (const e of soa.items.filter((_, i) => i % 3 === 0))
    await compliance.updateSoaEntry(actor, e.id, { version: e.version, status: 'implemented' });
}
console.log(`  generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const t1 = performance.now();
for (const c of group.companies) await compliance.refreshScores(c.id);
console.log(
  `  recomputing every company's scores (a day's first dashboard call does this): ${((performance.now() - t1) / 1000).toFixed(2)} s`,
);

if (fs.existsSync(OSCAL)) {
  const text = fs.readFileSync(OSCAL, 'utf8');
  const t2 = performance.now();
  const f = await frameworks.importOscal(actor, text, { ref: 'nist-sp-800-53-rev5' });
  const s = (performance.now() - t2) / 1000;
  console.log(
    `  OSCAL SP 800-53 rev5 import: ${f.requirements} requirements in ${s.toFixed(2)} s (target < 5 s) ${s < 5 ? 'MET' : 'MISSED'}`,
  );
} else {
  console.log(`  OSCAL import skipped: ${OSCAL} not found`);
}
const token = await benchToken(ctx, ['compliance:read', 'identity:read']);
const one = group.companies[0]!;
await ctx.close();

const server = await startBenchServer(env);
try {
  const auth = { authorization: `Bearer ${token}` };
  const soaUrl = `/api/v1/companies/${one.id}/frameworks/${adopted[0]!.id}/soa`;
  const trivial = await medianLatency(server.base, '/api/v1/auth/session', auth);
  const dashboard = await medianLatency(server.base, '/api/v1/compliance/dashboard', auth);
  const soa = await medianLatency(server.base, soaUrl, auth, 50);
  console.log(
    `\nmedian latency, sequential requests: trivial authenticated ${trivial.toFixed(2)} ms, dashboard ${dashboard.toFixed(2)} ms, one company's SoA ${soa.toFixed(2)} ms`,
  );
  console.log(
    `dashboard / trivial median: ${(dashboard / trivial).toFixed(1)} x (target <= 10 x) ${dashboard / trivial <= 10 ? 'MET' : 'MISSED'}`,
  );
  console.log(`SoA / trivial median:       ${(soa / trivial).toFixed(1)} x`);
  printRows([
    await load(
      server.base,
      'GET /api/v1/auth/session (trivial, authenticated)',
      '/api/v1/auth/session',
      auth,
    ),
    await load(
      server.base,
      'GET /api/v1/compliance/dashboard (group scope)',
      '/api/v1/compliance/dashboard',
      auth,
    ),
    await load(server.base, 'GET …/soa (one company, ISO/IEC 27001)', soaUrl, auth),
  ]);
} finally {
  await server.stop();
  cleanup();
}
