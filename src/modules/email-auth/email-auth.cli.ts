// `mamori email …`: SPF checks and the posture check of a domain from the command line, against the system's DNS, a
// given server or a zone file. No database: these commands only read DNS (and HTTPS for MTA-STS and BIMI). Scripts
// depend on the output shapes.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { AppError, UsageError } from '../../platform/errors.ts';
import type { DnsResolver } from './lib/dns.ts';
import { checkSender } from './lib/spf/check-host.ts';
import { parseClientIp } from '../../platform/net/ip.ts';
import { describeFailedCase, parseSuite, runSuiteCase, type CaseOutcome } from './lib/spf/suite.ts';
import { compileZone, zoneResolver } from './lib/zonedata.ts';
import { createDnsClient } from './dns/dns-client.ts';
import { parseServerAddress } from './dns/dns-config.ts';
import { normalizeDomain } from './lib/posture-checks.ts';
import { formatPostureReport } from './lib/posture-format.ts';
import { parseHostMap } from './scan/https-fetcher.ts';
import { createScanDeps, scanDomain } from './scan/posture-scan.ts';

export const CHECK_USAGE = `Usage: mamori email check DOMAIN [options]

Checks how DOMAIN is protected against spoofing: SPF, DMARC, DKIM (for the given selectors), MX, MTA-STS (the
policy is fetched over HTTPS), TLS-RPT and BIMI (logo and evidence fetched); with --parked, that it refuses all mail.
Prints the findings grouped by check, worst first, and a summary line. Exit status: 0 when no finding is an error,
1 when some are, 2 for bad usage.

Options:
  --dns-server HOST:PORT   ask this DNS server (IP, IP:PORT, [IPv6]:PORT) instead of the system's
  --selector S             a DKIM selector to check; repeat for several
  --expect IP[/LEN]        an address or range the domain's mail comes from (must get SPF pass); repeatable
  --parked                 the domain sends no mail: check "v=spf1 -all", DMARC p=reject and a null MX
  --json                   print the whole report as one JSON object
  --timeout MS             budget of the whole check, 100 to 600000 (default 30000)

Environment, for tests and operations:
  MAMORI_HTTPS_HOSTS       NAME=IP[:PORT],…: connect to IP:PORT for these HTTPS host names, e.g. to check a
                           policy host before its DNS is changed; the certificate is still verified for NAME
  NODE_EXTRA_CA_CERTS      a PEM file of further trusted CAs, read by Node.js at start (verification stays on)`;

/**
 * `mamori email spf …` prints one JSON object {"result", "explanation", "lookups"}; `mamori email spf-suite FILE`
 * prints a line per failed case, then "N passed, N failed", and exits 1 when any failed. Bad usage throws
 * UsageError (exit 2); a file that is missing or not what it should be throws AppError (exit 1).
 */
export async function emailCommand(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'spf':
      return spf(rest);
    case 'spf-suite':
      return spfSuite(rest);
    case 'check':
      return check(rest);
    default:
      throw new UsageError(`Unknown email command: ${command ?? '(none)'}`);
  }
}

async function spf(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ip: { type: 'string' },
      sender: { type: 'string' },
      helo: { type: 'string' },
      'dns-server': { type: 'string' },
      zone: { type: 'string' },
      verbose: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.ip === undefined || !parseClientIp(values.ip))
    throw new UsageError('--ip must be an IPv4 or IPv6 address');
  if (values.sender === undefined) throw new UsageError('--sender is required (--sender "" for a bounce)');
  if (values.helo === undefined || values.helo.trim() === '') throw new UsageError('--helo is required');
  if (values['dns-server'] !== undefined && values.zone !== undefined)
    throw new UsageError('Give --dns-server or --zone, not both');
  const resolver = values.zone !== undefined ? zoneFile(values.zone) : dnsServer(values['dns-server']);
  const outcome = await checkSender({ ip: values.ip, mailFrom: values.sender, helo: values.helo }, resolver);
  console.log(
    JSON.stringify({
      result: outcome.result,
      explanation: outcome.explanation ?? null,
      lookups: outcome.lookups,
    }),
  );
  if (values.verbose) for (const p of outcome.problems ?? []) console.error(p);
  return 0;
}

async function spfSuite(args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError('spf-suite needs exactly one FILE');
  const file = positionals[0]!;
  const text = readFile(file);
  let scenarios;
  try {
    scenarios = parseSuite(text);
  } catch (err) {
    throw new AppError('bad_request', 400, `${file} is not an SPF test suite: ${(err as Error).message}`);
  }
  let passed = 0;
  let failed = 0;
  for (const scenario of scenarios) {
    let resolver: DnsResolver | null = null;
    let zoneError = '';
    try {
      resolver = zoneResolver(scenario.zonedata);
    } catch (err) {
      zoneError = (err as Error).message;
    }
    for (const c of scenario.cases) {
      const outcome: CaseOutcome = resolver
        ? await runSuiteCase(c, resolver)
        : {
            case: c,
            outcome: { result: 'none', lookups: 0, voidLookups: 0 },
            passed: false,
            reason: zoneError,
          };
      if (outcome.passed) passed += 1;
      else {
        failed += 1;
        console.log(describeFailedCase(outcome));
      }
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

async function check(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      'dns-server': { type: 'string' },
      selector: { type: 'string', multiple: true },
      expect: { type: 'string', multiple: true },
      parked: { type: 'boolean' },
      json: { type: 'boolean' },
      timeout: { type: 'string' },
      help: { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    console.log(CHECK_USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('email check needs exactly one DOMAIN');
  const domain = normalizeDomain(positionals[0]!);
  if (domain === null) throw new UsageError(`"${positionals[0]}" is not a domain name`);
  const timeout = values.timeout === undefined ? 30_000 : Number(values.timeout);
  if (!/^\d+$/.test(values.timeout ?? '0') || timeout < 100 || timeout > 600_000)
    throw new UsageError('--timeout must be a number of milliseconds from 100 to 600000');
  let server;
  if (values['dns-server'] !== undefined) {
    server = parseServerAddress(values['dns-server']);
    if (!server)
      throw new UsageError(`--dns-server must be IP or IP:PORT ([IPv6]:PORT), not "${values['dns-server']}"`);
  }
  let httpsHosts;
  try {
    httpsHosts = parseHostMap(process.env.MAMORI_HTTPS_HOSTS ?? '');
  } catch (err) {
    throw new UsageError(`MAMORI_HTTPS_HOSTS: ${(err as Error).message}`);
  }
  const deps = createScanDeps({
    ...(server ? { dnsServers: [server] } : {}),
    // Lookups still in flight at the deadline run to their own timeout: keep that well inside the budget.
    dnsTimeoutMs: Math.min(2000, Math.max(100, Math.floor(timeout / 4))),
    httpsHosts,
    deadlineMs: timeout,
    requestTimeoutMs: Math.min(10_000, timeout),
  });
  const report = await scanDomain(
    {
      domain,
      role: values.parked ? 'parked' : 'sends',
      dkimSelectors: values.selector ?? [],
      expectedSources: values.expect ?? [],
    },
    deps,
  );
  console.log(values.json ? JSON.stringify(report) : formatPostureReport(report));
  return report.summary.error > 0 ? 1 : 0;
}

function zoneFile(file: string): DnsResolver {
  const text = readFile(file);
  try {
    const data = (parseYaml(text) ?? {}) as Record<string, unknown>;
    // A suite scenario is taken too: its zonedata is the zone.
    const zone = typeof data.zonedata === 'object' && data.zonedata !== null ? data.zonedata : data;
    return zoneResolver(compileZone(zone as Record<string, unknown>));
  } catch (err) {
    throw new AppError('bad_request', 400, `--zone ${file}: ${(err as Error).message}`);
  }
}

function dnsServer(address: string | undefined): DnsResolver {
  if (address === undefined) return createDnsClient();
  const server = parseServerAddress(address);
  if (!server) throw new UsageError(`--dns-server must be IP or IP:PORT ([IPv6]:PORT), not "${address}"`);
  return createDnsClient({ servers: [server] });
}

function readFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT')
      throw new AppError('not_found', 404, `File not found: ${file}`);
    throw new AppError('bad_request', 400, `Cannot read ${file}: ${(err as Error).message}`);
  }
}
