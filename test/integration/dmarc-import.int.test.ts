// DMARC report files into a real database over HTTP and through `mamori dmarc import`: every container, one
// transaction per report, duplicates stored once, unclaimed reports kept for group-wide users, hostile files
// refused with a reason while the rest of a batch goes in, and the audit trail.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, dialectsUnderTest, type TestEnv } from '../support/harness.ts';
import { userFactory, type TestUser } from '../factories/user.factory.ts';
import { companyFactory, factoryActor } from '../factories/org.factory.ts';
import { buildEmail, buildZip, smallReport } from '../../src/modules/dmarc-reports/lib/fixtures/archives.ts';
import { dovecotBinary, startImapServer } from '../support/imap-server.ts';
import type { CompanyDto } from '../../src/modules/org/index.ts';
import {
  FILE_REASON_CODES,
  type FileResult,
  type ImportResult,
  type ReportDto,
} from '../../src/modules/dmarc-reports/index.ts';

type Page<T> = { items: T[]; nextCursor: string | null };
const BIN = path.resolve(import.meta.dirname, '../../bin/mamori.js');

const report = (id: string, domain = 'shop.example', records = [{ ip: '192.0.2.1', count: 3 }]) =>
  smallReport({ reportId: id, domain, orgName: 'Receiver Inc.', records });

describe.each(dialectsUnderTest())('DMARC report import on %s', (dialect) => {
  let env: TestEnv;
  let admin: TestUser;
  let officer: TestUser;
  let otherOfficer: TestUser;
  let shop: CompanyDto;

  const upload = (user: TestUser, name: string, body: Buffer | string) =>
    env.app.inject({
      method: 'POST',
      url: `/api/v1/dmarc/files?name=${encodeURIComponent(name)}`,
      headers: { ...user.headers, 'content-type': 'application/octet-stream' },
      payload: body,
    });
  const imported = async (user: TestUser, name: string, body: Buffer | string) => {
    const res = await upload(user, name, body);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<ImportResult>();
  };

  const get = async <T>(user: TestUser, url: string): Promise<T> => {
    const res = await env.app.inject({ method: 'GET', url, headers: user.headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<T>();
  };

  /** A file none of whose reports could be stored: 422 with the reason, and its code for the screens. */
  const refusedWith = async (user: TestUser, name: string, body: Buffer | string) => {
    const res = await upload(user, name, body);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const p = res.json<{ detail: string; code: string; reasonCode: string }>();
    expect(p.code).toBe('report_rejected');
    expect(FILE_REASON_CODES).toContain(p.reasonCode);
    return p;
  };
  const refused = async (user: TestUser, name: string, body: Buffer | string) =>
    (await refusedWith(user, name, body)).detail;

  beforeAll(async () => {
    env = await createTestEnv(dialect);
    shop = await companyFactory(env.ctx)({ shortCode: 'DSHOP', legalName: 'Kumo DMARC Shop' });
    const other = await companyFactory(env.ctx)({ shortCode: 'DOTHER', legalName: 'Kumo Other' });
    admin = await userFactory(env.ctx)([{ role: 'group_admin', companyId: null }]);
    officer = await userFactory(env.ctx)([{ role: 'security_officer', companyId: shop.id }]);
    otherOfficer = await userFactory(env.ctx)([{ role: 'security_officer', companyId: other.id }]);
    await env.ctx.services.emailAuth.createDomain(factoryActor, {
      companyId: shop.id,
      name: 'shop.example',
      service: 'Shop',
      role: 'sends',
      ownerPersonId: null,
      dkimSelectors: [],
      expectedSources: [],
      scanIntervalHours: 24,
      raiseRisks: false,
    });
  });
  afterAll(() => env?.close());

  it('imports xml, gzip, zip and report emails, and stores a report once', async () => {
    expect(await imported(officer, 'a.xml', report('x-1'))).toEqual({
      file: 'a.xml',
      status: 'imported',
      reason: null,
      reasonCode: null,
      reports: 1,
      records: 1,
      messages: 3,
    });
    expect(await imported(officer, 'a-again.xml.gz', gzipSync(report('x-1')))).toMatchObject({
      status: 'duplicate',
      reports: 0,
    });
    const zip = buildZip([
      {
        name: 'one.xml',
        data: report('z-1', 'shop.example', [
          { ip: '192.0.2.2', count: 10 },
          { ip: '198.51.100.7', count: 5 },
        ]),
      },
      { name: 'two.xml', data: report('z-2', 'news.shop.example') },
    ]);
    expect(await imported(officer, 'two.zip', zip)).toMatchObject({
      status: 'imported',
      reports: 2,
      records: 3,
      messages: 18,
    });
    const mail = buildEmail({
      subject: '=?UTF-8?B?UmVwb3J0IERvbWFpbjogc2hvcC5leGFtcGxl?=',
      parts: [
        { contentType: 'text/plain', data: 'A DMARC aggregate report.' },
        { contentType: 'application/gzip', filename: 'report.xml.gz', data: gzipSync(report('m-1')) },
      ],
    });
    expect(await imported(officer, 'report.eml', mail)).toMatchObject({ status: 'imported', reports: 1 });

    const list = (
      await env.app.inject({ method: 'GET', url: '/api/v1/dmarc/reports', headers: officer.headers })
    ).json<Page<ReportDto>>();
    expect(list.items.map((r) => r.reportId).sort()).toEqual(['m-1', 'x-1', 'z-1', 'z-2']);
    const sub = list.items.find((r) => r.reportId === 'z-2')!;
    expect(sub).toMatchObject({
      policyDomain: 'news.shop.example',
      claimDomain: 'shop.example',
      companyId: shop.id,
    });
    expect(
      (
        await env.app.inject({ method: 'GET', url: '/api/v1/dmarc/reports', headers: otherOfficer.headers })
      ).json<Page<ReportDto>>().items,
    ).toEqual([]);

    const audit = await env.app.inject({
      method: 'GET',
      url: '/api/v1/audit?action=dmarc_report.import&limit=50',
      headers: admin.headers,
    });
    expect(
      audit
        .json<Page<{ after: { reportId: string } }>>()
        .items.map((e) => e.after.reportId)
        .sort(),
    ).toEqual(['m-1', 'x-1', 'z-1', 'z-2']);
  });

  it('keeps reports for domains no company owns as unclaimed, for group-wide users only, until one claims it', async () => {
    expect(await refusedWith(officer, 'stranger.xml', report('s-1', 'stranger.example'))).toMatchObject({
      reasonCode: 'unclaimed-not-permitted',
    });
    expect(await refused(officer, 'stranger.xml', report('s-1', 'stranger.example'))).toMatch(
      /stranger\.example: no company has this domain/,
    );
    expect(await imported(admin, 'stranger.xml', report('s-1', 'stranger.example'))).toMatchObject({
      status: 'imported',
    });
    const unclaimed = await env.app.inject({
      method: 'GET',
      url: '/api/v1/dmarc/reports?unclaimed=true',
      headers: admin.headers,
    });
    expect(unclaimed.json<Page<ReportDto>>().items.map((r) => [r.policyDomain, r.companyId])).toEqual([
      ['stranger.example', null],
    ]);
    expect(
      (
        await env.app.inject({
          method: 'GET',
          url: '/api/v1/dmarc/reports?unclaimed=true',
          headers: officer.headers,
        })
      ).statusCode,
    ).toBe(403);
    // Another company's officer may not file reports for the shop's domain.
    expect(await refusedWith(otherOfficer, 'b.xml', report('o-1'))).toMatchObject({
      reasonCode: 'not-permitted',
    });
    expect(await refused(otherOfficer, 'b.xml', report('o-1'))).toMatch(
      /not a domain of a company you may import/,
    );

    await env.ctx.services.emailAuth.createDomain(factoryActor, {
      companyId: shop.id,
      name: 'stranger.example',
      service: 'Acquired brand',
      role: 'sends',
      ownerPersonId: null,
      dkimSelectors: [],
      expectedSources: [],
      scanIntervalHours: 24,
      raiseRisks: false,
    });
    const after = await env.app.inject({
      method: 'GET',
      url: '/api/v1/dmarc/reports?unclaimed=true',
      headers: admin.headers,
    });
    expect(after.json<Page<ReportDto>>().items).toEqual([]);
    const mine = await env.app.inject({
      method: 'GET',
      url: '/api/v1/dmarc/reports?domain=stranger.example',
      headers: officer.headers,
    });
    expect(mine.json<Page<ReportDto>>().items.map((r) => r.companyId)).toEqual([shop.id]);
  });

  it('refuses hostile and broken files with a reason, stores nothing of a broken report, and keeps the good ones of a zip', async () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE feedback [<!ENTITY x SYSTEM "file:///etc/passwd">]><feedback>&x;</feedback>`;
    expect(await refusedWith(officer, 'xxe.xml', xxe)).toMatchObject({ reasonCode: 'dtd', detail: /DTD/ });
    const truncated = report('t-1', 'shop.example', [
      { ip: '192.0.2.9', count: 1 },
      { ip: '192.0.2.10', count: 1 },
    ]).slice(0, -300);
    expect(await refused(officer, 'cut.xml', truncated)).toBeTruthy();
    const count = async (id: string) =>
      (await env.ctx.db.kysely.selectFrom('dmarc_reports').select('id').where('report_id', '=', id).execute())
        .length;
    expect(await count('t-1')).toBe(0);
    const evil = buildZip([{ name: '../../evil.xml', data: report('e-1') }]);
    expect(await refusedWith(officer, 'evil.zip', evil)).toMatchObject({
      reasonCode: 'unsafe-entry-name',
      detail: /evil\.xml/,
    });
    expect(await count('e-1')).toBe(0);
    const mixed = buildZip([
      { name: 'broken.xml', data: report('b-1').slice(0, -200) },
      { name: 'good.xml', data: report('g-1') },
    ]);
    const r3 = await imported(officer, 'mixed.zip', mixed);
    expect(r3).toMatchObject({ status: 'imported', reports: 1 });
    expect(r3.reason).toMatch(/^1 report\(s\) not stored: zip entry "broken.xml"/);
    expect(r3.reasonCode).toMatch(/^(truncated|malformed-xml)$/);
    expect(await count('b-1')).toBe(0);
    expect(await count('g-1')).toBe(1);
    expect(await refusedWith(officer, 'notes.txt', 'hello, not a report')).toMatchObject({
      reasonCode: 'unknown-format',
    });
    const json = await env.app.inject({
      method: 'POST',
      url: '/api/v1/dmarc/files?name=x.json',
      headers: { ...officer.headers, 'content-type': 'application/json' },
      payload: '{"a":1}',
    });
    expect(json.statusCode).toBe(415);
    // Every file handed in is in the history, refused ones with their reason.
    const files = await env.app.inject({
      method: 'GET',
      url: '/api/v1/dmarc/files?limit=200',
      headers: officer.headers,
    });
    const history = files.json<Page<ImportResult & { importedBy: string }>>().items;
    expect(history.find((f) => f.file === 'xxe.xml')).toMatchObject({
      status: 'rejected',
      reasonCode: 'dtd',
      importedBy: officer.email,
    });
    expect(history.find((f) => f.file === 'mixed.zip')).toMatchObject({
      status: 'imported',
      reasonCode: r3.reasonCode,
    });
    expect(history.every((f) => f.importedBy === officer.email)).toBe(true);
  });

  it('imports many files side by side in their order, then checks the alerts once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-dmarc-many-'));
    const spoof = smallReport({
      reportId: 'many-spoof',
      domain: 'shop.example',
      orgName: 'Receiver Inc.',
      records: [{ ip: '203.0.113.77', count: 150, dkim: 'fail', spf: 'fail' }],
    });
    const files = [
      ...Array.from({ length: 9 }, (_, i) => {
        const f = path.join(dir, `r${i}.xml.gz`);
        fs.writeFileSync(
          f,
          gzipSync(report(`many-${i}`, 'shop.example', [{ ip: `192.0.2.${10 + i}`, count: 2 }])),
        );
        return f;
      }),
      path.join(dir, 'spoof.xml'),
      path.join(dir, 'spoof-again.xml'),
      path.join(dir, 'missing.xml'),
    ];
    fs.writeFileSync(files[9]!, spoof);
    fs.writeFileSync(files[10]!, spoof);
    const seen: [number, string, string][] = [];
    await env.ctx.services.dmarcReports.importFiles(factoryActor, files, {
      channel: 'cli',
      workers: 2,
      onResult: (r, i) => seen.push([i, path.basename(r.file), r.status]),
    });
    expect(seen).toEqual([
      ...Array.from({ length: 9 }, (_, i) => [i, `r${i}.xml.gz`, 'imported'] as [number, string, string]),
      [9, 'spoof.xml', 'imported'],
      [10, 'spoof-again.xml', 'duplicate'],
      [11, 'missing.xml', 'rejected'],
    ]);
    const stored = (await get<Page<ReportDto>>(admin, '/api/v1/dmarc/reports?domain=shop.example&limit=100'))
      .items;
    expect(stored.filter((r) => r.reportId.startsWith('many-'))).toHaveLength(10);
    const alerts = await get<{ items: { regressions: { code: string; message: string }[] }[] }>(
      admin,
      '/api/v1/email/alerts?limit=50',
    );
    const unknown = alerts.items
      .flatMap((a) => a.regressions)
      .filter((r) => r.code === 'dmarc-unknown-source');
    expect(unknown.map((r) => r.message).join('\n')).toMatch(/203\.0\.113\.77, sent 150 messages/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports files and folders from the command line, one JSON line per file', () => {
    if (dialect !== 'sqlite') return;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-dmarc-'));
    fs.mkdirSync(path.join(dir, 'batch'));
    fs.writeFileSync(
      path.join(dir, 'batch', 'a.xml.gz'),
      gzipSync(report('cli-1', 'shop.example', [{ ip: '192.0.2.1', count: 7 }])),
    );
    fs.writeFileSync(path.join(dir, 'batch', 'b.xml'), report('cli-1'));
    fs.writeFileSync(path.join(dir, 'batch', 'c.txt'), 'garbage');
    const run = (args: string[]) =>
      spawnSync(process.execPath, [BIN, 'dmarc', 'import', ...args], {
        env: {
          ...process.env,
          MAMORI_DATA_DIR: env.dataDir,
          MAMORI_SECRET_KEY: env.config.secretKey ?? '',
          MAMORI_LOG_LEVEL: 'silent',
        },
        encoding: 'utf8',
      });
    const r = run([path.join(dir, 'batch'), path.join(dir, 'missing.xml'), '--json']);
    expect(r.status, r.stderr).toBe(1);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as FileResult);
    expect(lines.map((l) => [path.basename(l.file), l.status, l.reports, l.records, l.messages])).toEqual([
      ['a.xml.gz', 'imported', 1, 1, 7],
      ['b.xml', 'duplicate', 0, 0, 0],
      ['c.txt', 'rejected', 0, 0, 0],
      ['missing.xml', 'rejected', 0, 0, 0],
    ]);
    expect(lines[2]!.reason).toBeTruthy();
    // Exactly the fields scripts depend on, no more (the API's reasonCode is not among them).
    for (const l of lines)
      expect(Object.keys(l)).toEqual(['file', 'status', 'reason', 'reports', 'records', 'messages']);
    const human = run([path.join(dir, 'batch', 'b.xml')]);
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(/duplicate {2}.*b\.xml/);
    expect(human.stdout).toMatch(/1 files: 0 imported, 1 duplicate, 0 rejected/);
    expect(run([]).status).toBe(2);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!dovecotBinary)(
    'polls a real mailbox with `mamori dmarc poll`, moving mails once their reports are stored',
    async () => {
      if (dialect !== 'sqlite') return;
      const imap = await startImapServer();
      try {
        const mail = (id: string) =>
          buildEmail({
            subject: `Report Domain: shop.example Submitter: receiver.example Report-ID: ${id}`,
            parts: [
              { contentType: 'application/gzip', filename: `${id}.xml.gz`, data: gzipSync(report(id)) },
            ],
          });
        await imap.append('INBOX', mail('imap-1'));
        await imap.append('INBOX', 'Subject: hello\r\n\r\nnot a report\r\n');
        const r = spawnSync(process.execPath, [BIN, 'dmarc', 'poll'], {
          env: {
            ...process.env,
            MAMORI_DATA_DIR: env.dataDir,
            MAMORI_SECRET_KEY: env.config.secretKey ?? '',
            MAMORI_LOG_LEVEL: 'silent',
            MAMORI_DMARC_IMAP_HOST: imap.host,
            MAMORI_DMARC_IMAP_PORT: String(imap.port),
            MAMORI_DMARC_IMAP_TLS: 'plain',
            MAMORI_DMARC_IMAP_USER: imap.user,
            MAMORI_DMARC_IMAP_PASSWORD: imap.password,
          },
          encoding: 'utf8',
        });
        expect(r.status, r.stderr).toBe(1);
        expect(r.stdout).toMatch(/2 mails: 1 imported, 0 duplicate, 1 rejected, 0 failed/);
        expect((await imap.list('INBOX')).length).toBe(0);
        const folders = await imap.folders();
        const processed = folders.find((f) => /Processed$/.test(f))!;
        const failed = folders.find((f) => /Failed$/.test(f))!;
        expect((await imap.list(processed)).map((m) => m.subject)).toEqual([
          expect.stringContaining('imap-1'),
        ]);
        expect((await imap.list(failed)).map((m) => m.subject)).toEqual(['hello']);
        const stored = await env.ctx.db.kysely
          .selectFrom('dmarc_reports')
          .select('report_id')
          .where('report_id', '=', 'imap-1')
          .execute();
        expect(stored).toHaveLength(1);
        const files = await env.ctx.db.kysely
          .selectFrom('dmarc_files')
          .select(['channel', 'status'])
          .where('channel', '=', 'imap')
          .execute();
        expect(files.map((f) => f.status).sort()).toEqual(['imported', 'rejected']);
      } finally {
        await imap.close();
      }
    },
  );
});
