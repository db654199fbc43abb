// The posture scan of a domain: the DNS lookups and HTTPS fetches of every check, run concurrently under one deadline,
// judged by lib/posture-checks.ts into a PostureReport. Hostile or unreachable DNS and web servers end in findings;
// a scan never throws and never outlives its deadline by more than one lookup's timeout.
import { checkHost, type SpfOutcome } from '../lib/spf/check-host.ts';
import { flattenSpf, type SpfFlattening } from '../lib/spf/flatten.ts';
import { isSpfRecord, parseSpfRecord } from '../lib/spf/record.ts';
import { BIMI_SVG_MAX_BYTES } from '../lib/bimi-assets.ts';
import type { DnsRecordType, DnsResolver, DnsResponse } from '../lib/dns.ts';
import type { FetchOutcome, FetchRequest, HttpsFetcher } from '../lib/fetch.ts';
import { finding, joinTxt, type Finding } from '../lib/findings.ts';
import {
  assessBimi,
  assessDkimSelector,
  assessDmarc,
  assessMtaSts,
  assessMx,
  assessParked,
  assessSpf,
  assessTlsRpt,
  bimiFallbackDomain,
  BIMI_EVIDENCE_MAX_BYTES,
  chooseSpfProbe,
  dmarcFallbackDomain,
  isDkimSelector,
  locateBimi,
  locateDmarc,
  MTA_STS_MAX_BYTES,
  mtaStsPolicyUrl,
  mtaStsRecord,
  normalizeDomain,
  parseSourceAddress,
} from '../lib/posture-checks.ts';
import { assembleReport, type DomainRole, type PostureReport, type PostureSections } from '../lib/posture.ts';
import { createCachingResolver, type CachingResolver } from '../dns/dns-cache.ts';
import { createDnsClient } from '../dns/dns-client.ts';
import type { DnsServerAddress } from '../dns/dns-config.ts';
import { createHttpsFetcher, type HostTarget } from './https-fetcher.ts';

export interface ScanInput {
  domain: string;
  /** 'parked': the domain never sends mail (checked for "v=spf1 -all", p=reject and a null MX). Default 'sends'. */
  role?: DomainRole;
  /** DKIM keys cannot be discovered: the selectors to check are given. */
  dkimSelectors?: readonly string[];
  /** Addresses or ranges the domain's mail is expected to come from; each must get SPF pass. */
  expectedSources?: readonly string[];
}

export interface ScanDeps {
  /** Share one caching resolver between concurrent scans (createScanDeps does). */
  dns: DnsResolver;
  https: HttpsFetcher;
  /** Milliseconds, for scannedAt, durationMs and certificate validity. Default Date.now. */
  clock?: () => number;
  /** The whole scan's budget. Default 30 s. */
  deadlineMs?: number;
  /** Each HTTPS fetch's budget, within the deadline. Default 10 s. */
  requestTimeoutMs?: number;
  /** Stops the scan early, as the deadline does. */
  signal?: AbortSignal;
}

const DEFAULT_DEADLINE_MS = 30_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
const MAX_SELECTORS = 20;
const MAX_EXPECTED_SOURCES = 20;

export async function scanDomain(input: ScanInput, deps: ScanDeps): Promise<PostureReport> {
  const clock = deps.clock ?? Date.now;
  const started = clock();
  const startedReal = Date.now();
  const role = input.role ?? 'sends';
  const domain = normalizeDomain(input.domain);
  const finish = (sections: PostureSections) =>
    assembleReport({ ...sections, durationMs: Math.max(0, clock() - started) });
  if (domain === null)
    return finish(
      emptySections(input.domain, role, started, [
        finding('domain-invalid', 'error', `"${input.domain}" is not a domain name that can be scanned`),
      ]),
    );

  const deadlineMs = Math.max(1, deps.deadlineMs ?? DEFAULT_DEADLINE_MS);
  const expiry = new AbortController();
  const timer = setTimeout(() => expiry.abort(), deadlineMs);
  const deadline = deps.signal ? AbortSignal.any([expiry.signal, deps.signal]) : expiry.signal;
  const ctx: ScanContext = {
    domain,
    role,
    dns: memoize(withDeadline(deps.dns, deadline)),
    https: deps.https,
    deadline,
    remaining: () => Math.max(1, startedReal + deadlineMs - Date.now()),
    requestTimeoutMs: deps.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
  };
  try {
    const sections = await scanSections(ctx, input, new Date(started));
    if (deadline.aborted)
      sections.domainFindings.push(
        finding(
          'scan-deadline',
          'warning',
          deps.signal?.aborted
            ? 'the scan was stopped: some checks are incomplete'
            : `the scan reached its deadline of ${deadlineMs} ms: some checks are incomplete`,
        ),
      );
    return finish(sections);
  } catch (err) {
    // A bug, not DNS trouble: the report says so rather than losing the other domains of a batch.
    return finish(
      emptySections(domain, role, started, [
        finding(
          'scan-failed',
          'error',
          `the scan failed: ${err instanceof Error ? err.message : String(err)}`,
        ),
      ]),
    );
  } finally {
    clearTimeout(timer);
  }
}

export interface ScanManyOptions {
  /** Scans at once. Default 8. */
  concurrency?: number;
  /** Called as each report is ready (in completion order). */
  onReport?: (report: PostureReport, index: number) => void;
}

/** Scans many domains, `concurrency` at a time, sharing deps (and so the DNS cache); reports in input order. */
export function scanMany(
  inputs: readonly ScanInput[],
  deps: ScanDeps,
  options: ScanManyOptions = {},
): Promise<PostureReport[]> {
  return mapConcurrent(inputs, options.concurrency ?? 8, async (input, i) => {
    const report = await scanDomain(input, deps);
    options.onReport?.(report, i);
    return report;
  });
}

/** fn over items with at most `limit` calls pending; results in input order. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

export interface ScanSetup {
  /** Default: the system's resolvers (/etc/resolv.conf). */
  dnsServers?: DnsServerAddress[];
  dnsTimeoutMs?: number;
  dnsRetries?: number;
  /** A cache to share (e.g. across batches); false for none. Default: a new one. */
  cache?: CachingResolver | false;
  extraCa?: string[];
  httpsHosts?: ReadonlyMap<string, HostTarget>;
  allowPrivateAddresses?: boolean;
  deadlineMs?: number;
  requestTimeoutMs?: number;
}

/**
 * The network dependencies of scans: a DNS client behind a cache, and the HTTPS fetcher (which resolves its hosts
 * through the same DNS servers when they are given, through the system otherwise).
 */
export function createScanDeps(setup: ScanSetup = {}): ScanDeps {
  const client = createDnsClient({
    ...(setup.dnsServers ? { servers: setup.dnsServers } : {}),
    ...(setup.dnsTimeoutMs === undefined ? {} : { timeoutMs: setup.dnsTimeoutMs }),
    ...(setup.dnsRetries === undefined ? {} : { retries: setup.dnsRetries }),
  });
  const dns = setup.cache === false ? client : (setup.cache ?? createCachingResolver(client));
  return {
    dns,
    https: createHttpsFetcher({
      ...(setup.extraCa ? { extraCa: setup.extraCa } : {}),
      ...(setup.httpsHosts ? { hosts: setup.httpsHosts } : {}),
      ...(setup.allowPrivateAddresses ? { allowPrivateAddresses: true } : {}),
      // Asked to use given DNS servers, the scan uses them for its HTTPS hosts too.
      ...(setup.dnsServers ? { resolver: dns } : {}),
    }),
    ...(setup.deadlineMs === undefined ? {} : { deadlineMs: setup.deadlineMs }),
    ...(setup.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: setup.requestTimeoutMs }),
  };
}

interface ScanContext {
  domain: string;
  role: DomainRole;
  dns: DnsResolver;
  https: HttpsFetcher;
  deadline: AbortSignal;
  remaining: () => number;
  requestTimeoutMs: number;
}

async function scanSections(ctx: ScanContext, input: ScanInput, now: Date): Promise<PostureSections> {
  const { domain, role, dns } = ctx;
  const sends = role === 'sends';
  const txt = dns.resolve(domain, 'TXT');
  const mx = dns.resolve(domain, 'MX');
  const selectors = [...new Set(input.dkimSelectors ?? [])].slice(0, MAX_SELECTORS);

  const [spf, dmarc, dkim, mtaSts, tlsRpt, bimi] = await Promise.all([
    txt.then((r) => scanSpf(ctx, r, (input.expectedSources ?? []).slice(0, MAX_EXPECTED_SOURCES))),
    scanDmarc(ctx),
    sends
      ? Promise.all(
          selectors.map(async (s) =>
            assessDkimSelector(
              domain,
              s,
              isDkimSelector(s) ? await dns.resolve(`${s}._domainkey.${domain}`, 'TXT') : null,
            ),
          ),
        )
      : [],
    sends ? scanMtaSts(ctx, mx) : null,
    sends ? dns.resolve(`_smtp._tls.${domain}`, 'TXT').then((r) => assessTlsRpt(domain, r)) : null,
    sends ? fetchBimi(ctx) : null,
  ]);

  const domainFindings: Finding[] = [];
  const [txtR, mxR] = [await txt, await mx];
  if (txtR.rcode === 'NXDOMAIN' || mxR.rcode === 'NXDOMAIN')
    domainFindings.push(finding('domain-nxdomain', 'error', `${domain} does not exist in DNS`));
  if (sends && selectors.length === 0)
    domainFindings.push(
      finding(
        'dkim-no-selectors',
        'info',
        'no DKIM selector was given: DKIM keys cannot be discovered without one',
      ),
    );

  return {
    domain,
    role,
    scannedAt: now.toISOString(),
    durationMs: 0,
    domainFindings,
    spf,
    dmarc: dmarc.section,
    dkim,
    mx: assessMx(domain, role, mxR),
    mtaSts,
    tlsRpt,
    bimi: bimi ? assessBimi({ domain, ...bimi, dmarc: dmarc.section, now }) : null,
    parked: sends ? null : assessParked(domain, txtR, dmarc.section, dmarc.lookupFailed, mxR),
  };
}

async function scanSpf(ctx: ScanContext, txt: DnsResponse<'TXT'>, sources: readonly string[]) {
  const { domain, dns } = ctx;
  const records = txt.rcode === 'NOERROR' ? joinTxt(txt.answers).filter(isSpfRecord) : [];
  const valid = records.length === 1 && parseSpfRecord(records[0]!).ok;
  const evaluate = (ip: string): Promise<SpfOutcome> =>
    checkHost(ip, domain, `postmaster@${domain}`, domain, dns, { deadlineMs: ctx.remaining() });
  let flattening: SpfFlattening | null = null;
  let probe: { ip: string; outcome: SpfOutcome } | null = null;
  if (valid) {
    flattening = await flattenSpf(domain, dns, { deadlineMs: ctx.remaining() });
    const ip = chooseSpfProbe(flattening);
    probe = { ip, outcome: await evaluate(ip) };
  }
  const answered = txt.rcode === 'NOERROR' || txt.rcode === 'NXDOMAIN';
  const expected = await Promise.all(
    sources.map(async (source) => {
      const ip = parseSourceAddress(source);
      return { source, outcome: ip && answered ? await evaluate(ip) : null };
    }),
  );
  return assessSpf({
    domain,
    role: ctx.role,
    txt,
    probe,
    flattening,
    // Without an answer for the domain there is no verdict to give for the expected sources.
    expected: answered ? expected : [],
  });
}

async function scanDmarc(ctx: ScanContext) {
  const { domain, dns } = ctx;
  const own = await dns.resolve(`_dmarc.${domain}`, 'TXT');
  const fallback = dmarcFallbackDomain(domain, own);
  const org = fallback ? { domain: fallback, txt: await dns.resolve(`_dmarc.${fallback}`, 'TXT') } : null;
  const located = locateDmarc(domain, own, org);
  const authorisations = new Map(
    await Promise.all(
      located.authorisations.map(async (a) => [a.name, await dns.resolve(a.name, 'TXT')] as const),
    ),
  );
  const lookupFailed = located.findings.some((f) => f.code === 'dmarc-temperror');
  return { section: assessDmarc(domain, ctx.role, located, authorisations), lookupFailed };
}

async function scanMtaSts(ctx: ScanContext, mx: Promise<DnsResponse<'MX'>>) {
  const txt = await ctx.dns.resolve(`_mta-sts.${ctx.domain}`, 'TXT');
  const fetch = mtaStsRecord(txt)
    ? await fetchWithin(ctx, {
        url: mtaStsPolicyUrl(ctx.domain),
        maxBytes: MTA_STS_MAX_BYTES,
        redirects: 'none',
        accept: 'text/plain',
      })
    : null;
  return assessMtaSts({ domain: ctx.domain, txt, fetch, mx: await mx });
}

async function fetchBimi(ctx: ScanContext) {
  const { domain, dns } = ctx;
  const own = await dns.resolve(`default._bimi.${domain}`, 'TXT');
  const fallback = bimiFallbackDomain(domain, own);
  const org = fallback
    ? { domain: fallback, txt: await dns.resolve(`default._bimi.${fallback}`, 'TXT') }
    : null;
  const located = locateBimi(domain, own, org);
  const [logo, evidence] = await Promise.all([
    located.logo
      ? fetchWithin(ctx, {
          url: located.logo,
          maxBytes: BIMI_SVG_MAX_BYTES,
          redirects: 'same-host',
          accept: 'image/svg+xml',
        })
      : null,
    located.evidence
      ? fetchWithin(ctx, {
          url: located.evidence,
          maxBytes: BIMI_EVIDENCE_MAX_BYTES,
          redirects: 'same-host',
          accept: 'application/pem-certificate-chain, application/x-pem-file, */*',
        })
      : null,
  ]);
  return { located, logo, evidence };
}

function fetchWithin(
  ctx: ScanContext,
  request: Omit<FetchRequest, 'timeoutMs' | 'signal'>,
): Promise<FetchOutcome> {
  return ctx.https
    .fetch({ ...request, timeoutMs: Math.min(ctx.requestTimeoutMs, ctx.remaining()), signal: ctx.deadline })
    .catch((err: unknown) => ({
      ok: false as const,
      url: request.url,
      failure: 'network' as const,
      message: err instanceof Error ? err.message : String(err),
    }));
}

/** Every lookup of the resolver ends by the deadline: TIMEOUT once it has passed. A throwing resolver gives ERROR. */
function withDeadline(inner: DnsResolver, signal: AbortSignal): DnsResolver {
  return {
    resolve<T extends DnsRecordType>(name: string, type: T): Promise<DnsResponse<T>> {
      const expired: DnsResponse<T> = { rcode: 'TIMEOUT', answers: [], error: 'the scan deadline passed' };
      if (signal.aborted) return Promise.resolve(expired);
      return new Promise((resolve) => {
        const onAbort = () => resolve(expired);
        signal.addEventListener('abort', onAbort, { once: true });
        let lookup: Promise<DnsResponse<T>>;
        try {
          lookup = inner.resolve(name, type);
        } catch (err) {
          lookup = Promise.reject(err);
        }
        lookup
          .then(resolve, (err: unknown) =>
            resolve({ rcode: 'ERROR', answers: [], error: err instanceof Error ? err.message : String(err) }),
          )
          .finally(() => signal.removeEventListener('abort', onAbort));
      });
    },
  };
}

/** One lookup per name and type for the whole scan: SPF evaluation, flattening and the checks share answers. */
function memoize(inner: DnsResolver): DnsResolver {
  const seen = new Map<string, Promise<DnsResponse>>();
  return {
    resolve<T extends DnsRecordType>(name: string, type: T): Promise<DnsResponse<T>> {
      const key = `${type} ${name.toLowerCase().replace(/\.$/, '')}`;
      let hit = seen.get(key);
      if (!hit) {
        hit = inner.resolve(name, type);
        seen.set(key, hit);
      }
      return hit as Promise<DnsResponse<T>>;
    },
  };
}

function emptySections(
  domain: string,
  role: DomainRole,
  started: number,
  findings: Finding[],
): PostureSections {
  return {
    domain,
    role,
    scannedAt: new Date(started).toISOString(),
    durationMs: 0,
    domainFindings: findings,
    spf: {
      records: [],
      record: null,
      result: null,
      probe: null,
      lookups: 0,
      voidLookups: 0,
      authorised: { ip4: [], ip6: [] },
      via: [],
      unflattenable: [],
      expectedSources: [],
      findings: [],
    },
    dmarc: {
      record: null,
      recordDomain: null,
      organisationalDomain: domain,
      inherited: false,
      policy: null,
      rua: [],
      ruf: [],
      findings: [],
    },
    dkim: [],
    mx: { hosts: [], nullMx: false, findings: [] },
    mtaSts: null,
    tlsRpt: null,
    bimi: null,
    parked: null,
  };
}
