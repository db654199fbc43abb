// `mamori email spf` and `mamori email spf-suite` as scripts run them: real processes, a real DNS server, real files.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceFile, hasConformance } from '../support/conformance.ts';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/mamori.js');

/** Asynchronous on purpose: the DNS server answering the child lives in this process. */
function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, MAMORI_LOG_LEVEL: 'silent' },
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

const ZONE = {
  'example.com': [{ TXT: 'v=spf1 a:mail.example.com ip4:192.0.2.0/24 -all exp=why.example.com' }],
  'mail.example.com': [{ A: '198.51.100.25' }, { TXT: 'v=spf1 a -all' }],
  'why.example.com': [{ TXT: '%{i} may not send for %{d}' }],
};

let dir: string;
let server: TestDnsServer;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-email-'));
  server = await startDnsServer({ zone: ZONE });
  fs.writeFileSync(
    path.join(dir, 'zone.yml'),
    Object.entries(ZONE)
      .map(([name, records]) => `${name}:\n${records.map((r) => `  - ${JSON.stringify(r)}`).join('\n')}\n`)
      .join(''),
  );
  fs.writeFileSync(
    path.join(dir, 'suite.yml'),
    [
      'description: Local checks',
      'tests:',
      '  allowed: {host: 192.0.2.7, mailfrom: a@example.com, helo: mail.example.com, result: pass}',
      '  wrongly-expected: {host: 203.0.113.9, mailfrom: a@example.com, helo: mail.example.com, result: [pass, neutral]}',
      'zonedata:',
      ...Object.entries(ZONE).map(([name, records]) => `  ${name}: ${JSON.stringify(records)}`),
    ].join('\n'),
  );
});

afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('mamori email spf', () => {
  it('prints one JSON object, from a zone file and from a DNS server, for a sender and for a bounce', async () => {
    const [zoneFail, wirePass, bounce] = await Promise.all([
      run([
        'email',
        'spf',
        '--ip',
        '203.0.113.9',
        '--sender',
        'a@example.com',
        '--helo',
        'x.example.net',
        '--zone',
        path.join(dir, 'zone.yml'),
      ]),
      run([
        'email',
        'spf',
        '--ip',
        '198.51.100.25',
        '--sender',
        'a@EXAMPLE.com',
        '--helo',
        'mail.example.com',
        '--dns-server',
        server.address,
      ]),
      run([
        'email',
        'spf',
        '--ip',
        '198.51.100.25',
        '--sender',
        '',
        '--helo',
        'mail.example.com',
        '--dns-server',
        server.address,
      ]),
    ]);
    expect(zoneFail).toEqual({
      code: 0,
      stdout: '{"result":"fail","explanation":"203.0.113.9 may not send for example.com","lookups":1}\n',
      stderr: '',
    });
    expect(wirePass).toEqual({
      code: 0,
      stdout: '{"result":"pass","explanation":null,"lookups":1}\n',
      stderr: '',
    });
    expect(JSON.parse(bounce.stdout)).toEqual({ result: 'pass', explanation: null, lookups: 1 });
    expect(server.queries.map((q) => q.name.toLowerCase())).toContain('mail.example.com');
  });

  it('answers bad usage with a message on stderr and exit 2, and a missing zone file with exit 1', async () => {
    const results = await Promise.all([
      run(['email', 'spf', '--sender', 'a@example.com', '--helo', 'h.example.com']),
      run([
        'email',
        'spf',
        '--ip',
        '192.0.2.1',
        '--sender',
        'a@example.com',
        '--helo',
        'h',
        '--dns-server',
        'dns.example.com',
      ]),
      run([
        'email',
        'spf',
        '--ip',
        '192.0.2.1',
        '--sender',
        'a@example.com',
        '--helo',
        'h',
        '--zone',
        'z.yml',
        '--dns-server',
        '127.0.0.1',
      ]),
      run([
        'email',
        'spf',
        '--ip',
        '192.0.2.1',
        '--sender',
        'a@example.com',
        '--helo',
        'h',
        '--zone',
        path.join(dir, 'none.yml'),
      ]),
    ]);
    expect(results.map((r) => r.code)).toEqual([2, 2, 2, 1]);
    expect(results.map((r) => r.stdout)).toEqual(['', '', '', '']);
    expect(results[0]!.stderr).toMatch(/^mamori: --ip must be an IPv4 or IPv6 address/);
    expect(results[1]!.stderr).toMatch(/--dns-server must be IP or IP:PORT/);
    expect(results[2]!.stderr).toMatch(/not both/);
    expect(results[3]!.stderr).toMatch(/File not found/);
  });
});

describe('mamori email spf-suite', () => {
  it.runIf(hasConformance)('passes every case of the RFC 7208 suite', async () => {
    const r = await run(['email', 'spf-suite', conformanceFile('spf', 'rfc7208-tests.yml')]);
    expect(r).toEqual({ code: 0, stdout: '203 passed, 0 failed\n', stderr: '' });
  });

  it('prints a line per failure and the count last, and exits 1', async () => {
    const r = await run(['email', 'spf-suite', path.join(dir, 'suite.yml')]);
    expect(r.code).toBe(1);
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      'FAIL Local checks / wrongly-expected: expected pass or neutral, got fail',
      '1 passed, 1 failed',
    ]);
  });
});
