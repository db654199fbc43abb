// Posture scans end to end: a real DNS server and a real HTTPS server (with a CA made for the test) on 127.0.0.1, a
// well-protected domain, a weak one, parked ones and a hostile one; through scanDomain and through
// `mamori email check` as scripts run it.
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import dgram from 'node:dgram';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCachingResolver } from '../../src/modules/email-auth/dns/dns-cache.ts';
import { createDnsClient } from '../../src/modules/email-auth/dns/dns-client.ts';
import type { PostureReport } from '../../src/modules/email-auth/lib/posture.ts';
import { createHttpsFetcher, parseHostMap } from '../../src/modules/email-auth/scan/https-fetcher.ts';
import {
  scanDomain,
  scanMany,
  type ScanDeps,
  type ScanInput,
} from '../../src/modules/email-auth/scan/posture-scan.ts';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.ts';
import {
  createTestCa,
  startHttpsServer,
  type TestCa,
  type TestHttpsServer,
} from '../support/https-server.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/mamori.js');

const rsaKey = (bits: number) =>
  generateKeyPairSync('rsa', { modulusLength: bits })
    .publicKey.export({ type: 'spki', format: 'der' })
    .toString('base64');
const ed25519Key = () =>
  generateKeyPairSync('ed25519')
    .publicKey.export({ type: 'spki', format: 'der' })
    .subarray(-32)
    .toString('base64');
/** A TXT record's text as DNS character-strings of at most 255 bytes. */
const strings = (text: string) => text.match(/.{1,255}/g)!;

const LOGO = `<?xml version="1.0" encoding="UTF-8"?>
<svg version="1.2" baseProfile="tiny-ps" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
  <title>Good Test Corp</title>
  <rect width="100" height="100" fill="#0a6"/>
</svg>`;
const BAD_LOGO = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 100"><script>alert(1)</script></svg>`;
const POLICY = [
  'version: STSv1',
  'mode: enforce',
  'mx: mx1.good.test',
  'mx: *.relay.good.test',
  'max_age: 604800',
  '',
].join('\r\n');
const HUGE = Array.from({ length: 150 }, (_, i) => `${String(i).padStart(3, '0')}${'h'.repeat(252)}`);
const CHAIN = Object.fromEntries(
  Array.from({ length: 20 }, (_, i) => [
    i === 0 ? '_dmarc.hostile.test' : `c${i}.hostile.test`,
    [{ CNAME: `c${i + 1}.hostile.test` }],
  ]),
);

function zone(keys: { strong: string; ed: string; weak: string }) {
  const weakIncludes = Array.from({ length: 6 }, (_, i) => `include:l${i}.weak.test`).join(' ');
  return {
    // Well protected: SPF -all, DMARC reject with an authorised external destination, DKIM 2048 and ed25519,
    // MTA-STS enforce covering both MX hosts, TLS-RPT, BIMI with an SVG Tiny PS logo and a mark certificate.
    'good.test': [
      { TXT: 'v=spf1 ip4:198.51.100.0/24 include:_spf.mailer.test -all' },
      { TXT: 'google-site-verification=abc' },
      { MX: [10, 'mx1.good.test'] },
      { MX: [20, 'mx2.relay.good.test'] },
    ],
    '_spf.mailer.test': [{ TXT: 'v=spf1 ip4:203.0.113.0/25 ip6:2001:db8:10::/48 -all' }],
    '_dmarc.good.test': [
      { TXT: 'v=DMARC1; p=reject; rua=mailto:dmarc@good.test,mailto:agg@collector.test; adkim=s; aspf=s' },
    ],
    'good.test._report._dmarc.collector.test': [{ TXT: 'v=DMARC1' }],
    'news.good.test': [{ TXT: 'v=spf1 include:_spf.mailer.test -all' }],
    's2048._domainkey.good.test': [{ TXT: strings(`v=DKIM1; k=rsa; p=${keys.strong}`) }],
    'ed._domainkey.good.test': [{ TXT: `v=DKIM1; k=ed25519; p=${keys.ed}` }],
    '_mta-sts.good.test': [{ TXT: 'v=STSv1; id=20250101T000000' }],
    '_smtp._tls.good.test': [{ TXT: 'v=TLSRPTv1; rua=mailto:tlsrpt@good.test' }],
    'default._bimi.good.test': [
      { TXT: 'v=BIMI1; l=https://bimi.good.test/logo.svg; a=https://bimi.good.test/vmc.pem' },
    ],

    // Weak: every branch of SPF needs 19 lookups and half the Internet passes, p=none with an unauthorised
    // external destination, a 1024-bit key, nothing else.
    'weak.test': [{ TXT: `v=spf1 ${weakIncludes} ip4:0.0.0.0/1 ip4:128.0.0.0/1 ?all` }],
    ...Object.fromEntries(
      Array.from({ length: 6 }, (_, i) => [
        `l${i}.weak.test`,
        [{ TXT: 'v=spf1 a mx -all' }, { A: `192.0.2.${10 + i}` }, { MX: [10, `l${i}.weak.test`] }],
      ]),
    ),
    '_dmarc.weak.test': [{ TXT: 'v=DMARC1; p=none; rua=mailto:agg@vendor.test' }],
    'sel1024._domainkey.weak.test': [{ TXT: strings(`v=DKIM1; k=rsa; p=${keys.weak}`) }],
    '_mta-sts.weak.test': [{ TXT: 'v=STSv1; id=1' }],
    'default._bimi.weak.test': [{ TXT: 'v=BIMI1; l=https://bimi.weak.test/logo.svg' }],

    // Parked properly, and parked in name only.
    'parked.test': [{ TXT: 'v=spf1 -all' }, { MX: [0, ''] }],
    '_dmarc.parked.test': [{ TXT: 'v=DMARC1; p=reject' }],
    'halfparked.test': [{ TXT: 'v=spf1 ~all' }, { MX: [10, 'mx.halfparked.test'] }],
    '_dmarc.halfparked.test': [{ TXT: 'v=DMARC1; p=quarantine; pct=50' }],

    // Hostile: a huge TXT set (TCP only) holding an SPF include-redirect loop, a CNAME chain too long to follow at _dmarc,
    // and lookups that time out or come back malformed.
    'hostile.test': [{ TXT: HUGE }, { TXT: 'v=spf1 include:loop1.hostile.test -all' }],
    'loop1.hostile.test': [{ TXT: 'v=spf1 include:loop2.hostile.test -all' }],
    'loop2.hostile.test': [{ TXT: 'v=spf1 redirect=loop1.hostile.test' }],
    ...CHAIN,
    '_mta-sts.hostile.test': ['TIMEOUT'],
    '_smtp._tls.hostile.test': [{ TXT: 'v=TLSRPTv1; rua=mailto:x@hostile.test' }],
    'default._bimi.hostile.test': [{ TXT: 'v=BIMI1; l=https://bimi.hostile.test/logo.svg' }],
    'sel._domainkey.hostile.test': [{ TXT: 'v=DKIM1; p=' }],

    // MTA-STS served wrongly: a redirect, and a certificate for another name.
    'redirect.test': [{ TXT: 'v=spf1 -all' }, { MX: [10, 'mx.redirect.test'] }],
    '_mta-sts.redirect.test': [{ TXT: 'v=STSv1; id=2' }],
    'badcert.test': [{ TXT: 'v=spf1 -all' }, { MX: [10, 'mx.badcert.test'] }],
    '_mta-sts.badcert.test': [{ TXT: 'v=STSv1; id=3' }],
  };
}

let dns: TestDnsServer;
let ca: TestCa;
let web: TestHttpsServer;
let hostMap: string;

beforeAll(async () => {
  const keys = { strong: rsaKey(2048), ed: ed25519Key(), weak: rsaKey(1024) };
  dns = await startDnsServer({
    zone: zone(keys),
    faults: {
      '_smtp._tls.hostile.test': 'garbage',
      'default._bimi.hostile.test': 'cut',
      'sel._domainkey.hostile.test': 'wrong-id',
    },
  });
  ca = createTestCa();
  const vmc = ca.issue(['good.test'], ['extendedKeyUsage=1.3.6.1.5.5.7.3.31', '1.3.6.1.5.5.7.1.12=DER:3000']);
  web = await startHttpsServer({
    ...ca.issue([
      'mta-sts.good.test',
      'bimi.good.test',
      'bimi.weak.test',
      'mta-sts.weak.test',
      'mta-sts.redirect.test',
    ]),
    routes: {
      'mta-sts.good.test/.well-known/mta-sts.txt': {
        headers: { 'content-type': 'text/plain' },
        body: POLICY,
      },
      'bimi.good.test/logo.svg': { headers: { 'content-type': 'image/svg+xml' }, body: LOGO },
      'bimi.good.test/vmc.pem': {
        headers: { 'content-type': 'application/pem-certificate-chain' },
        body: vmc.cert,
      },
      'bimi.weak.test/logo.svg': { headers: { 'content-type': 'image/svg+xml' }, body: BAD_LOGO },
      'mta-sts.weak.test/.well-known/mta-sts.txt': {
        headers: { 'content-type': 'text/html' },
        body: '<html>hello</html>',
      },
      'mta-sts.redirect.test/.well-known/mta-sts.txt': {
        status: 301,
        headers: { location: 'https://mta-sts.redirect.test/policy.txt' },
      },
    },
  });
  hostMap = [
    'mta-sts.good.test',
    'bimi.good.test',
    'bimi.weak.test',
    'mta-sts.weak.test',
    'mta-sts.redirect.test',
    'mta-sts.badcert.test',
  ]
    .map((h) => `${h}=${web.address}`)
    .join(',');
});

afterAll(async () => {
  await dns?.close();
  await web?.close();
  ca?.dispose();
});

function deps(overrides: Partial<ScanDeps> = {}): ScanDeps {
  return {
    dns: createCachingResolver(
      createDnsClient({ servers: [{ host: dns.host, port: dns.port }], timeoutMs: 1500, retries: 0 }),
    ),
    https: createHttpsFetcher({ extraCa: [ca.cert], hosts: parseHostMap(hostMap) }),
    deadlineMs: 10_000,
    requestTimeoutMs: 2000,
    ...overrides,
  };
}

const codes = (r: PostureReport, check?: string) =>
  r.findings.filter((f) => check === undefined || f.check === check).map((f) => `${f.severity} ${f.code}`);

describe('scanDomain', () => {
  it('finds a well-protected domain at reject, with MTA-STS enforced, TLS-RPT and BIMI', async () => {
    const r = await scanDomain(
      {
        domain: 'Good.Test.',
        dkimSelectors: ['s2048', 'ed'],
        expectedSources: ['203.0.113.7', '198.51.100.0/24'],
      },
      deps(),
    );
    expect(r.posture).toEqual({
      spf: 'pass',
      dmarcPolicy: 'reject',
      dmarcPct: 100,
      dkimStrong: true,
      mtaSts: 'enforce',
      tlsRpt: true,
      bimi: true,
    });
    expect(r.summary).toMatchObject({ error: 0, warning: 0 });
    expect(r.complete).toBe(true);
    expect(r.domain).toBe('good.test');
    expect(r.spf).toMatchObject({
      record: 'v=spf1 ip4:198.51.100.0/24 include:_spf.mailer.test -all',
      result: 'fail',
      probe: '192.0.2.254',
      lookups: 1,
      voidLookups: 0,
      authorised: { ip4: ['198.51.100.0/24', '203.0.113.0/25'], ip6: ['2001:db8:10::/48'] },
      expectedSources: [
        { source: '203.0.113.7', result: 'pass' },
        { source: '198.51.100.0/24', result: 'pass' },
      ],
    });
    expect(r.dmarc).toMatchObject({
      recordDomain: 'good.test',
      organisationalDomain: 'good.test',
      inherited: false,
      policy: { p: 'reject', effective: 'reject', pct: 100, adkim: 's', aspf: 's' },
      rua: [
        { uri: 'mailto:dmarc@good.test', external: false, authorised: null },
        { uri: 'mailto:agg@collector.test', domain: 'collector.test', external: true, authorised: true },
      ],
    });
    expect(r.dkim.map((d) => [d.selector, d.keyType, d.bits, d.strong])).toEqual([
      ['s2048', 'rsa', 2048, true],
      ['ed', 'ed25519', null, true],
    ]);
    expect(r.mtaSts).toMatchObject({
      id: '20250101T000000',
      fetch: {
        url: 'https://mta-sts.good.test/.well-known/mta-sts.txt',
        status: 200,
        contentType: 'text/plain',
      },
      policy: { mode: 'enforce', mx: ['mx1.good.test', '*.relay.good.test'], maxAge: 604800 },
      mxHosts: [
        { host: 'mx1.good.test', matched: true },
        { host: 'mx2.relay.good.test', matched: true },
      ],
    });
    expect(r.tlsRpt).toMatchObject({ rua: ['mailto:tlsrpt@good.test'], findings: [] });
    expect(r.bimi).toMatchObject({
      recordDomain: 'good.test',
      logo: {
        status: 200,
        svg: { svg: true, baseProfile: 'tiny-ps', tinyPs: true, title: 'Good Test Corp' },
      },
      evidence: { status: 200, certificate: { names: ['good.test'], bimiUsage: true, logotype: true } },
    });
    expect(r.parked).toBeNull();
    expect(web.requests).toEqual(
      expect.arrayContaining([
        'mta-sts.good.test/.well-known/mta-sts.txt',
        'bimi.good.test/logo.svg',
        'bimi.good.test/vmc.pem',
      ]),
    );
  });

  it('lets a subdomain without a record inherit the organisational domain’s DMARC policy', async () => {
    const r = await scanDomain({ domain: 'news.good.test' }, deps());
    expect(r.dmarc).toMatchObject({
      recordDomain: 'good.test',
      inherited: true,
      policy: { effective: 'reject' },
    });
    expect(codes(r, 'dmarc')).toContain('info dmarc-inherited');
    expect(r.posture.dmarcPolicy).toBe('reject');
  });

  it('finds the weaknesses of a weak domain', async () => {
    const r = await scanDomain({ domain: 'weak.test', dkimSelectors: ['sel1024', 'gone'] }, deps());
    expect(r.posture).toEqual({
      spf: 'fail',
      dmarcPolicy: 'none',
      dmarcPct: 100,
      dkimStrong: false,
      mtaSts: 'missing',
      tlsRpt: false,
      bimi: false,
    });
    expect(r.spf.lookups).toBe(18);
    expect(r.spf.result).toBe('permerror');
    expect(r.spf.authorised.ip4).toEqual(
      expect.arrayContaining(['0.0.0.0/1', '128.0.0.0/1', '192.0.2.10/32']),
    );
    expect(codes(r, 'spf')).toEqual(
      expect.arrayContaining([
        'error spf-permerror',
        'error spf-limit-exceeded',
        'error spf-overly-broad',
        'warning spf-broad-range',
      ]),
    );
    expect(codes(r, 'dmarc')).toEqual(
      expect.arrayContaining(['warning dmarc-policy-none', 'warning dmarc-report-unauthorised']),
    );
    expect(r.dkim.map((d) => [d.selector, d.found, d.bits, d.strong])).toEqual([
      ['sel1024', true, 1024, false],
      ['gone', false, null, false],
    ]);
    expect(codes(r, 'dkim')).toEqual(['warning dkim-key-short', 'error dkim-key-missing']);
    expect(codes(r, 'mta-sts')).toEqual(expect.arrayContaining(['error mta-sts-policy-content-type']));
    expect(codes(r, 'tls-rpt')).toEqual(['info tlsrpt-missing']);
    expect(codes(r, 'bimi')).toEqual(
      expect.arrayContaining([
        'error bimi-dmarc-not-enforced',
        'error bimi-svg-profile',
        'error bimi-svg-script',
        'warning bimi-svg-not-square',
        'warning bimi-evidence-missing',
      ]),
    );
    expect(r.summary.worst).toBe('error');
  });

  it('checks a parked domain for -all, p=reject and a null MX, and nothing a sending domain needs', async () => {
    const [good, half] = await scanMany(
      [
        { domain: 'parked.test', role: 'parked' },
        { domain: 'halfparked.test', role: 'parked' },
      ],
      deps(),
      { concurrency: 2 },
    );
    expect(good!.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(good!).toMatchObject({
      parked: { findings: [] },
      mtaSts: null,
      tlsRpt: null,
      bimi: null,
      dkim: [],
    });
    expect(good!.posture).toMatchObject({ spf: 'pass', dmarcPolicy: 'reject' });
    expect(codes(half!, 'parked')).toEqual([
      'error parked-spf-not-reject-all',
      'error parked-dmarc-not-reject',
      'error parked-dmarc-pct',
      'error parked-null-mx-missing',
    ]);
  });

  it('ends hostile DNS in permerror and temperror findings, without hanging', async () => {
    const started = Date.now();
    const r = await scanDomain({ domain: 'hostile.test', dkimSelectors: ['sel'] }, deps());
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.spf.records).toEqual(['v=spf1 include:loop1.hostile.test -all']);
    expect(codes(r)).toEqual(
      expect.arrayContaining([
        'error spf-permerror',
        'error spf-loop',
        'warning dmarc-temperror',
        'warning dkim-temperror',
        'warning mta-sts-temperror',
        'warning tlsrpt-temperror',
        'warning bimi-temperror',
      ]),
    );
    expect(r.posture).toMatchObject({ spf: 'fail', dmarcPolicy: 'missing', mtaSts: 'missing' });
    expect(r.complete).toBe(false);
    expect(dns.queries.some((q) => q.name === 'hostile.test' && q.transport === 'tcp')).toBe(true);
  });

  it('reports an MTA-STS policy behind a redirect or a certificate for another name', async () => {
    const [redirect, badcert] = await scanMany(
      [{ domain: 'redirect.test' }, { domain: 'badcert.test' }],
      deps(),
    );
    expect(codes(redirect!, 'mta-sts')).toEqual(['error mta-sts-policy-redirect']);
    expect(redirect!.mtaSts?.fetch).toMatchObject({ status: 301 });
    expect(codes(badcert!, 'mta-sts')).toEqual(['error mta-sts-policy-tls']);
    expect(badcert!.posture.mtaSts).toBe('missing');
  });

  it('keeps to its deadline when the DNS server stops answering', async () => {
    // A UDP port that takes every query and answers none.
    const silent = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    try {
      const started = Date.now();
      const r = await scanDomain(
        { domain: 'good.test', dkimSelectors: ['s2048'] },
        deps({
          dns: createDnsClient({
            servers: [{ host: '127.0.0.1', port: silent.address().port }],
            timeoutMs: 5000,
            retries: 0,
          }),
          deadlineMs: 300,
        }),
      );
      expect(Date.now() - started).toBeLessThan(1500);
      expect(codes(r, 'domain')).toContain('warning scan-deadline');
      expect(r.summary.error).toBe(0);
      expect(r.complete).toBe(false);
      expect(r.posture).toMatchObject({ spf: 'warn', dmarcPolicy: 'missing' });
    } finally {
      silent.close();
    }
  });

  it('reports an invalid name as a finding, and scans many domains concurrently over one cache', async () => {
    const bad = await scanDomain({ domain: 'not a domain' }, deps());
    expect(codes(bad)).toEqual(['error domain-invalid']);

    const shared = deps();
    const inputs: ScanInput[] = Array.from({ length: 30 }, (_, i) => ({
      domain: i % 3 === 0 ? 'good.test' : i % 3 === 1 ? 'weak.test' : `missing${i}.test`,
    }));
    dns.queries.length = 0;
    const seen: number[] = [];
    const reports = await scanMany(inputs, shared, { concurrency: 10, onReport: (_, i) => seen.push(i) });
    expect(reports.map((r) => r.domain)).toEqual(inputs.map((i) => i.domain));
    expect(seen.sort((a, b) => a - b)).toEqual(inputs.map((_, i) => i));
    expect(reports[2]!.findings.map((f) => f.code)).toContain('domain-nxdomain');
    // good.test's TXT was asked once for all ten scans of it.
    expect(dns.queries.filter((q) => q.name === 'good.test' && q.type === 'TXT')).toHaveLength(1);
  });
});

/** Asynchronous on purpose: the servers answering the child live in this process. */
function run(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, MAMORI_LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill(), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('mamori email check', () => {
  const env = () => ({ NODE_EXTRA_CA_CERTS: ca.certFile, MAMORI_HTTPS_HOSTS: hostMap });

  it('prints the report as one JSON object and exits 0 for a domain without errors', async () => {
    const r = await run(
      [
        'email',
        'check',
        'good.test',
        '--dns-server',
        dns.address,
        '--selector',
        's2048',
        '--selector',
        'ed',
        '--json',
      ],
      env(),
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as PostureReport;
    expect(report.posture).toEqual({
      spf: 'pass',
      dmarcPolicy: 'reject',
      dmarcPct: 100,
      dkimStrong: true,
      mtaSts: 'enforce',
      tlsRpt: true,
      bimi: true,
    });
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('lists findings grouped by check with a summary line, and exits 1 when there are errors', async () => {
    const r = await run(
      ['email', 'check', 'weak.test', '--dns-server', dns.address, '--selector', 'sel1024'],
      env(),
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^weak\.test \(sends mail\), scanned /);
    expect(r.stdout).toMatch(/\nSPF {11}fail {2}v=spf1 include:l0\.weak\.test/);
    expect(r.stdout).toMatch(/\n {2}error {3}evaluations end in permerror: .* \[spf-permerror\]/);
    expect(r.stdout).toMatch(/\nDKIM {10}sel1024 rsa-1024 \(weak\)\n {2}warning .*\[dkim-key-short\]/);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(
      /^\d+ errors, \d+ warnings, \d+ info\. SPF fail \| DMARC none \| DKIM not strong \| MTA-STS missing \| TLS-RPT no \| BIMI no$/,
    );
  });

  it('checks a parked domain, and refuses the certificate without the test CA', async () => {
    const [parked, untrusted] = await Promise.all([
      run(['email', 'check', 'parked.test', '--parked', '--dns-server', dns.address, '--json'], env()),
      run(['email', 'check', 'good.test', '--dns-server', dns.address, '--json'], {
        MAMORI_HTTPS_HOSTS: hostMap,
      }),
    ]);
    expect(parked.code).toBe(0);
    expect((JSON.parse(parked.stdout) as PostureReport).parked).toEqual({ findings: [] });
    expect(untrusted.code).toBe(1);
    const report = JSON.parse(untrusted.stdout) as PostureReport;
    expect(report.findings.map((f) => f.code)).toEqual(
      expect.arrayContaining(['mta-sts-policy-tls', 'bimi-logo-tls', 'bimi-evidence-tls']),
    );
  });

  it('answers bad usage with exit 2 and a clear message', async () => {
    const results = await Promise.all([
      run(['email', 'check']),
      run(['email', 'check', 'not_a domain']),
      run(['email', 'check', 'good.test', '--timeout', 'soon']),
      run(['email', 'check', 'good.test', '--dns-server', 'dns.example.com']),
      run(['email', 'check', 'good.test', '--frobnicate']),
      run(['email', 'check', 'good.test'], { MAMORI_HTTPS_HOSTS: 'mta-sts.good.test=somewhere' }),
    ]);
    expect(results.map((r) => r.code)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(results.map((r) => r.stdout)).toEqual(['', '', '', '', '', '']);
    expect(results[0]!.stderr).toMatch(/^mamori: email check needs exactly one DOMAIN/);
    expect(results[1]!.stderr).toMatch(/is not a domain name/);
    expect(results[2]!.stderr).toMatch(/--timeout must be/);
    expect(results[3]!.stderr).toMatch(/--dns-server must be IP or IP:PORT/);
    expect(results[4]!.stderr).toMatch(/frobnicate/);
    expect(results[5]!.stderr).toMatch(/MAMORI_HTTPS_HOSTS/);

    const help = await run(['email', 'check', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/MAMORI_HTTPS_HOSTS/);
  });

  it('turns an unreachable DNS server into findings, not a crash', async () => {
    const r = await run([
      'email',
      'check',
      'good.test',
      '--dns-server',
      '127.0.0.1:9',
      '--timeout',
      '1500',
      '--json',
    ]);
    expect([0, 1]).toContain(r.code);
    const report = JSON.parse(r.stdout) as PostureReport;
    expect(report.findings.map((f) => f.code)).toEqual(
      expect.arrayContaining(['spf-temperror', 'dmarc-temperror']),
    );
  });
});
