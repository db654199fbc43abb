// The posture checks as judgements on what DNS and HTTPS returned: each takes the lookups' responses (and, for SPF,
// the evaluations already run) and returns its section of the report. No I/O here; scan/posture-scan.ts asks.
import { domainToASCII } from 'node:url';
import { checkBimiEvidence, checkBimiSvg } from './bimi-assets.ts';
import { parseBimiRecord } from './bimi.ts';
import { parseDkimKey } from './dkim-key.ts';
import {
  externalReportAuthorizations,
  isDmarcRecord,
  organizationalDomain,
  parseDmarcRecord,
  selectDmarcRecord,
  type DmarcRecord,
  type DmarcUri,
  type ReportAuthorization,
} from './dmarc.ts';
import { describeFailure, type DnsResponse } from './dns.ts';
import { mediaType, type FetchOutcome } from './fetch.ts';
import { finding, joinTxt, quote, type Finding, type Severity } from './findings.ts';
import { mxMatches, parseMtaStsPolicy, parseMtaStsTxt, selectMtaStsTxt } from './mta-sts.ts';
import { checkParkedDomain } from './parked.ts';
import type {
  BimiSection,
  DkimSelectorSection,
  DmarcSection,
  DomainRole,
  FetchSummary,
  MtaStsSection,
  MxSection,
  ParkedSection,
  ReportDestination,
  SpfSection,
  TlsRptSection,
} from './posture.ts';
import type { SpfOutcome } from './spf/check-host.ts';
import type { SpfFlattening, SpfFlattenIssueKind } from './spf/flatten.ts';
import { inNetwork, parseIp, type Ip } from '../../../platform/net/ip.ts';
import { isSpfRecord, parseSpfRecord } from './spf/record.ts';
import { parseTlsRptRecord, selectTlsRptRecord } from './tlsrpt.ts';

const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The domain to scan in the form names are compared in: lower case, A-labels (IDNA), no trailing dot; null for
 * anything that is not a host name of two labels or more.
 */
export function normalizeDomain(text: string): string | null {
  const trimmed = text.trim().replace(/\.$/, '');
  if (trimmed === '' || /[\s/@:\\[\]]/.test(trimmed)) return null;
  const ascii = domainToASCII(trimmed).toLowerCase();
  if (ascii === '' || ascii.length > 253) return null;
  const labels = ascii.split('.');
  return labels.length >= 2 && labels.every((l) => LDH_LABEL.test(l)) && !/^\d+$/.test(labels.at(-1)!)
    ? ascii
    : null;
}

/** Whether a lookup got an answer (records or none), as opposed to a failure. */
const answered = (r: DnsResponse): boolean => r.rcode === 'NOERROR' || r.rcode === 'NXDOMAIN';
const txtOf = (r: DnsResponse<'TXT'>): string[] => (r.rcode === 'NOERROR' ? joinTxt(r.answers) : []);
const lookupFailed = (code: string, name: string, r: DnsResponse, what: string): Finding =>
  finding(code, 'warning', `the lookup of ${name} ${describeFailure(r)}: ${what} could not be checked`);

// ---------------------------------------------------------------------------------------------------------------- SPF

// Documentation addresses, tried in turn: the first that no listed range covers shows what strangers get.
const PROBES = ['192.0.2.254', '198.51.100.254', '203.0.113.254'];

/** An IPv4 address outside every range the record lists (but "all"), to evaluate the record for a stranger. */
export function chooseSpfProbe(flattening: SpfFlattening | null): string {
  const ranges = (flattening?.ranges ?? [])
    .map((r) => {
      const [network, prefix] = r.cidr.split('/');
      return { ip: parseIp(network!), prefix: Number(prefix) };
    })
    .filter((r): r is { ip: Ip; prefix: number } => r.ip !== null && r.prefix > 0);
  return PROBES.find((p) => !ranges.some((r) => inNetwork(parseIp(p)!, r.ip, r.prefix))) ?? PROBES[0]!;
}

/** "192.0.2.1" or "192.0.2.0/24" (the network address is evaluated); null for anything else. */
export function parseSourceAddress(source: string): string | null {
  const m = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(source.trim());
  const ip = m ? parseIp(m[1]!) : null;
  if (!ip) return null;
  const prefix = m![2] === undefined ? (ip.family === 4 ? 32 : 128) : Number(m![2]);
  return prefix <= (ip.family === 4 ? 32 : 128) ? m![1]! : null;
}

export interface SpfEvidence {
  domain: string;
  role: DomainRole;
  txt: DnsResponse<'TXT'>;
  /** check_host() for chooseSpfProbe()'s address; null when there was no record to evaluate. */
  probe: { ip: string; outcome: SpfOutcome } | null;
  /** flattenSpf() of the domain; null when there was no valid record. */
  flattening: SpfFlattening | null;
  expected: { source: string; outcome: SpfOutcome | null }[];
}

const FLATTEN_FINDINGS: Record<SpfFlattenIssueKind, { code: string; severity: Severity }> = {
  dns: { code: 'spf-dns-failure', severity: 'warning' },
  record: { code: 'spf-include-invalid', severity: 'error' },
  loop: { code: 'spf-loop', severity: 'error' },
  limit: { code: 'spf-limit-exceeded', severity: 'error' },
  name: { code: 'spf-invalid-target', severity: 'warning' },
  expansion: { code: 'spf-too-large', severity: 'warning' },
};

export function assessSpf(e: SpfEvidence): SpfSection {
  const findings: Finding[] = [];
  const sends = e.role === 'sends';
  const records = txtOf(e.txt).filter(isSpfRecord);
  const record = records.length === 1 ? records[0]! : null;
  if (!answered(e.txt)) findings.push(lookupFailed('spf-temperror', e.domain, e.txt, 'SPF'));
  else if (records.length === 0 && sends)
    findings.push(finding('spf-missing', 'error', `${e.domain} publishes no SPF record`));
  else if (records.length > 1 && sends)
    findings.push(
      finding(
        'spf-multiple',
        'error',
        `${records.length} SPF records are published: evaluations end in permerror`,
      ),
    );

  if (record !== null) {
    const parsed = parseSpfRecord(record);
    if (!parsed.ok)
      findings.push(finding('spf-syntax', 'error', `the SPF record is invalid: ${parsed.error}`));
    if (Buffer.byteLength(record, 'latin1') > 450)
      findings.push(
        finding(
          'spf-record-long',
          'info',
          `the SPF record is ${Buffer.byteLength(record, 'latin1')} bytes; long records need EDNS or TCP to be read`,
        ),
      );
  }

  const outcome = e.probe?.outcome;
  if (outcome && e.probe) {
    const by = outcome.mechanism ? ` (${outcome.mechanism})` : '';
    const problem = outcome.problems?.at(-1);
    switch (outcome.result) {
      case 'pass':
        findings.push(
          finding(
            'spf-pass-all',
            'error',
            `an arbitrary address (${e.probe.ip}) gets pass${by}: any host may send as ${e.domain}`,
          ),
        );
        break;
      case 'neutral':
        findings.push(
          finding(
            'spf-neutral',
            'warning',
            `hosts not listed get neutral${by || ' (no "all" term)'}: end the record with -all or ~all`,
          ),
        );
        break;
      case 'softfail':
        findings.push(finding('spf-softfail', 'info', `hosts not listed get softfail${by}`));
        break;
      case 'permerror':
        findings.push(
          finding('spf-permerror', 'error', `evaluations end in permerror${problem ? `: ${problem}` : ''}`),
        );
        break;
      case 'temperror':
        findings.push(
          finding('spf-temperror', 'warning', `evaluations end in temperror${problem ? `: ${problem}` : ''}`),
        );
        break;
      default:
        break;
    }
  }

  const flattening = e.flattening;
  const ip4: string[] = [];
  const ip6: string[] = [];
  if (flattening) {
    for (const issue of flattening.issues) {
      const { code, severity } = FLATTEN_FINDINGS[issue.kind];
      findings.push(finding(code, severity, issue.message));
    }
    if (flattening.lookups >= 8 && flattening.lookups <= 10)
      findings.push(
        finding(
          'spf-lookups-near-limit',
          'warning',
          `${flattening.lookups} of the 10 DNS-querying terms allowed are used; one more include may break SPF`,
        ),
      );
    for (const cidr of flattening.authorised) (cidr.includes(':') ? ip6 : ip4).push(cidr);
    findings.push(...breadthFindings(ip4, ip6, findings));
    for (const u of flattening.unflattenable)
      findings.push(
        u.term
          .toLowerCase()
          .replace(/^[+?~-]/, '')
          .startsWith('ptr')
          ? finding(
              'spf-ptr',
              'warning',
              `${u.term} in ${u.domain}: "ptr" is slow and unreliable (RFC 7208 section 5.5)`,
            )
          : finding('spf-unflattenable', 'info', `${u.term} in ${u.domain} ${u.reason}`),
      );
  }

  const expectedSources = e.expected.map(({ source, outcome: o }) => ({
    source,
    result: o ? o.result : ('invalid' as const),
  }));
  for (const s of expectedSources)
    if (s.result === 'invalid')
      findings.push(
        finding(
          'spf-source-invalid',
          'warning',
          `expected source ${quote(s.source)} is not an IP address or range`,
        ),
      );
    else if (s.result !== 'pass')
      findings.push(
        finding(
          'spf-source-not-authorised',
          'error',
          `expected source ${s.source} gets ${s.result}, not pass`,
        ),
      );

  return {
    records,
    record,
    result: outcome?.result ?? null,
    probe: e.probe?.ip ?? null,
    lookups: flattening?.lookups ?? outcome?.lookups ?? 0,
    voidLookups: flattening?.voidLookups ?? outcome?.voidLookups ?? 0,
    authorised: { ip4, ip6 },
    via: (flattening?.ranges ?? [])
      .filter((r) => r.qualifier === '+')
      .slice(0, 1000)
      .map((r) => ({ cidr: r.cidr, path: r.path })),
    unflattenable: flattening?.unflattenable ?? [],
    expectedSources,
    findings,
  };
}

function breadthFindings(ip4: string[], ip6: string[], sofar: readonly Finding[]): Finding[] {
  const prefix = (cidr: string) => Number(cidr.split('/')[1]);
  if (ip4.some((c) => prefix(c) === 0) || ip6.some((c) => prefix(c) === 0))
    return sofar.some((f) => f.code === 'spf-pass-all')
      ? []
      : [finding('spf-pass-all', 'error', 'the record authorises every address ("+all" or a /0 range)')];
  const out: Finding[] = [];
  const v4Addresses = ip4.reduce((n, c) => n + 2 ** (32 - prefix(c)), 0);
  if (v4Addresses >= 2 ** 24)
    out.push(
      finding(
        'spf-overly-broad',
        'error',
        `the record authorises ${v4Addresses.toLocaleString('en')} IPv4 addresses: about as good as "+all"`,
      ),
    );
  const broad = [...ip4.filter((c) => prefix(c) < 16), ...ip6.filter((c) => prefix(c) < 32)];
  if (broad.length > 0)
    out.push(finding('spf-broad-range', 'warning', `very large ranges are authorised: ${broad.join(', ')}`));
  return out;
}

// -------------------------------------------------------------------------------------------------------------- DMARC

export interface DmarcLocation {
  text: string | null;
  record: DmarcRecord | null;
  recordDomain: string | null;
  inherited: boolean;
  /** The external report destinations to look up. */
  authorisations: ReportAuthorization[];
  findings: Finding[];
}

/** The organisational domain to look up _dmarc at, when the domain's own lookup found no record; else null. */
export function dmarcFallbackDomain(domain: string, own: DnsResponse<'TXT'>): string | null {
  const org = organizationalDomain(domain);
  if (org === domain || !answered(own)) return null;
  return txtOf(own).filter(isDmarcRecord).length === 0 ? org : null;
}

/**
 * RFC 7489 section 6.6.3: the record at _dmarc.<domain>, else at _dmarc.<organisational domain>; several records at
 * either mean no policy. A lookup failure stops discovery.
 */
export function locateDmarc(
  domain: string,
  own: DnsResponse<'TXT'>,
  org: { domain: string; txt: DnsResponse<'TXT'> } | null,
): DmarcLocation {
  const none = (findings: Finding[]): DmarcLocation => ({
    text: null,
    record: null,
    recordDomain: null,
    inherited: false,
    authorisations: [],
    findings,
  });
  if (!answered(own)) return none([lookupFailed('dmarc-temperror', `_dmarc.${domain}`, own, 'DMARC')]);
  const mine = selectDmarcRecord(own.answers);
  let text = mine.text;
  let recordDomain = domain;
  let findings = mine.findings;
  const multiple = findings.some((f) => f.code === 'dmarc-multiple');
  if (text === null && !multiple && org) {
    if (!answered(org.txt))
      return none([
        ...findings.filter((f) => f.code !== 'dmarc-missing'),
        lookupFailed('dmarc-temperror', `_dmarc.${org.domain}`, org.txt, 'DMARC'),
      ]);
    const theirs = selectDmarcRecord(org.txt.answers);
    findings = [...findings.filter((f) => f.code !== 'dmarc-missing'), ...theirs.findings];
    if (theirs.findings.some((f) => f.code === 'dmarc-missing'))
      findings = findings.map((f) =>
        f.code === 'dmarc-missing'
          ? { ...f, message: `no DMARC record is published at _dmarc.${domain} or _dmarc.${org.domain}` }
          : f,
      );
    text = theirs.text;
    recordDomain = org.domain;
  }
  if (text === null) return none(findings);
  const parsed = parseDmarcRecord(text);
  const inherited = recordDomain !== domain;
  if (inherited)
    findings.push(
      finding(
        'dmarc-inherited',
        'info',
        `no record at _dmarc.${domain}: the organisational domain's record (_dmarc.${recordDomain}) applies`,
      ),
    );
  findings.push(...parsed.findings);
  return {
    text,
    record: parsed.record,
    recordDomain,
    inherited,
    authorisations: parsed.record
      ? externalReportAuthorizations(recordDomain, [...parsed.record.rua, ...parsed.record.ruf])
      : [],
    findings,
  };
}

// Findings the parked-domain check states more precisely for a domain that never sends.
const PARKED_COVERS = new Set(['dmarc-missing', 'dmarc-policy-none', 'dmarc-policy-quarantine']);

export function assessDmarc(
  domain: string,
  role: DomainRole,
  located: DmarcLocation,
  authorisations: ReadonlyMap<string, DnsResponse<'TXT'>>,
): DmarcSection {
  const findings = located.findings.filter((f) => role === 'sends' || !PARKED_COVERS.has(f.code));
  const r = located.record;
  const byDomain = new Map(located.authorisations.map((a) => [a.destinationDomain, a]));
  const destination = (u: DmarcUri): ReportDestination => {
    const auth = u.domain ? byDomain.get(u.domain) : undefined;
    if (!auth) return { uri: u.uri, domain: u.domain ?? null, external: false, authorised: null };
    const response = authorisations.get(auth.name);
    const authorised =
      response === undefined || !answered(response) ? null : txtOf(response).some(isDmarcRecord);
    return { uri: u.uri, domain: u.domain ?? null, external: true, authorised };
  };
  const rua = r?.rua.map(destination) ?? [];
  const ruf = r?.ruf.map(destination) ?? [];
  const reported = new Set<string>();
  for (const d of [...rua, ...ruf]) {
    if (!d.external || d.domain === null || reported.has(d.domain)) continue;
    reported.add(d.domain);
    const name = byDomain.get(d.domain)!.name;
    if (d.authorised === false)
      findings.push(
        finding(
          'dmarc-report-unauthorised',
          'warning',
          `${d.domain} does not accept reports for ${located.recordDomain} (no "v=DMARC1" at ${name}): receivers send it none`,
        ),
      );
    else if (d.authorised === null)
      findings.push(
        finding(
          'dmarc-report-auth-temperror',
          'warning',
          `the lookup of ${name} failed: whether ${d.domain} accepts the reports is unknown`,
        ),
      );
  }
  const effective = r ? (located.inherited ? (r.sp ?? r.p) : r.p) : undefined;
  return {
    record: located.text,
    recordDomain: located.recordDomain,
    organisationalDomain: organizationalDomain(domain),
    inherited: located.inherited,
    policy: r
      ? {
          p: r.p ?? null,
          sp: r.sp ?? null,
          effective: effective ?? null,
          pct: r.pct,
          adkim: r.adkim,
          aspf: r.aspf,
          testing: r.testing,
        }
      : null,
    rua,
    ruf,
    findings,
  };
}

/** DMARC at enforcement: quarantine or reject, for all mail, not in testing. */
export const dmarcEnforced = (dmarc: DmarcSection): boolean =>
  (dmarc.policy?.effective === 'quarantine' || dmarc.policy?.effective === 'reject') &&
  dmarc.policy.pct === 100 &&
  !dmarc.policy.testing;

// --------------------------------------------------------------------------------------------------------------- DKIM

const SELECTOR =
  /^[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?)*$/;

/** A selector as RFC 6376 section 3.1 writes them: dot-separated labels. */
export const isDkimSelector = (selector: string): boolean =>
  selector.length <= 200 && SELECTOR.test(selector);

export function assessDkimSelector(
  domain: string,
  selector: string,
  txt: DnsResponse<'TXT'> | null,
): DkimSelectorSection {
  const section: DkimSelectorSection = {
    selector,
    name: `${selector}._domainkey.${domain}`,
    found: false,
    record: null,
    keyType: null,
    bits: null,
    testing: false,
    revoked: false,
    strong: false,
    findings: [],
  };
  if (txt === null || !isDkimSelector(selector)) {
    section.findings.push(
      finding('dkim-selector-invalid', 'error', `${quote(selector)} is not a DKIM selector`),
    );
    return section;
  }
  if (!answered(txt)) {
    section.findings.push(lookupFailed('dkim-temperror', section.name, txt, 'the key'));
    return section;
  }
  const records = txtOf(txt);
  if (records.length === 0) {
    section.findings.push(
      finding('dkim-key-missing', 'error', `no DKIM key is published at ${section.name}`),
    );
    return section;
  }
  if (records.length > 1)
    section.findings.push(
      finding(
        'dkim-multiple',
        'warning',
        `${records.length} TXT records at ${section.name}; verifiers may use any one`,
      ),
    );
  const text = records.find((t) => /(?:^|;)\s*p\s*=/.test(t)) ?? records[0]!;
  const { key, findings } = parseDkimKey(text);
  section.found = true;
  section.record = text;
  section.findings.push(...findings);
  if (key) {
    section.keyType = key.keyType;
    section.bits = key.bits ?? null;
    section.testing = key.testing;
    section.revoked = key.revoked;
    section.strong =
      !key.revoked &&
      !key.testing &&
      (key.keyType === 'ed25519' || (key.bits ?? 0) >= 2048) &&
      !findings.some((f) => f.severity === 'error');
  }
  return section;
}

// ----------------------------------------------------------------------------------------------------------------- MX

const isNullMx = (hosts: readonly { exchange: string }[]) =>
  hosts.length === 1 && (hosts[0]!.exchange === '' || hosts[0]!.exchange === '.');

export function assessMx(domain: string, role: DomainRole, mx: DnsResponse<'MX'>): MxSection {
  const hosts = mx.rcode === 'NOERROR' ? mx.answers : [];
  const findings: Finding[] = [];
  if (!answered(mx)) findings.push(lookupFailed('mx-temperror', domain, mx, 'the mail exchangers'));
  else if (role === 'sends' && isNullMx(hosts))
    findings.push(
      finding(
        'mx-null',
        'warning',
        `${domain} publishes a null MX: it accepts no replies or bounces, yet it sends mail`,
      ),
    );
  return { hosts, nullMx: isNullMx(hosts), findings };
}

// ------------------------------------------------------------------------------------------------------------ MTA-STS

/** The policy URL of RFC 8461 section 3.3. */
export const mtaStsPolicyUrl = (domain: string): string =>
  `https://mta-sts.${domain}/.well-known/mta-sts.txt`;
export const MTA_STS_MAX_BYTES = 64 * 1024;

export interface MtaStsEvidence {
  domain: string;
  txt: DnsResponse<'TXT'>;
  /** Null when there was no record, so no policy to fetch. */
  fetch: FetchOutcome | null;
  mx: DnsResponse<'MX'>;
}

/** The record announcing a policy, if any: the policy is fetched only then, as senders do. */
export function mtaStsRecord(txt: DnsResponse<'TXT'>): { text: string; id: string } | null {
  if (txt.rcode !== 'NOERROR') return null;
  const selected = selectMtaStsTxt(txt.answers);
  return selected.text === null ? null : parseMtaStsTxt(selected.text).record;
}

export function assessMtaSts(e: MtaStsEvidence): MtaStsSection {
  const section: MtaStsSection = {
    record: null,
    id: null,
    fetch: null,
    policy: null,
    mxHosts: [],
    findings: [],
  };
  const findings = section.findings;
  if (!answered(e.txt)) {
    findings.push(lookupFailed('mta-sts-temperror', `_mta-sts.${e.domain}`, e.txt, 'MTA-STS'));
    return section;
  }
  const selected = selectMtaStsTxt(e.txt.rcode === 'NOERROR' ? e.txt.answers : []);
  findings.push(...selected.findings);
  if (selected.text === null) return section;
  section.record = selected.text;
  const parsed = parseMtaStsTxt(selected.text);
  findings.push(...parsed.findings);
  section.id = parsed.record?.id ?? null;
  if (!e.fetch) return section;

  section.fetch = summarizeFetch(e.fetch);
  if (!e.fetch.ok) {
    findings.push(fetchFinding('mta-sts-policy', 'the policy', e.fetch));
    return section;
  }
  const type = mediaType(e.fetch.contentType);
  if (type !== 'text/plain')
    findings.push(
      finding(
        'mta-sts-policy-content-type',
        'error',
        `the policy is served as ${type ?? '(no Content-Type)'}; it must be text/plain, and senders check`,
      ),
    );
  const policy = parseMtaStsPolicy(e.fetch.body.toString('utf8'));
  findings.push(...policy.findings);
  if (!policy.policy || type !== 'text/plain') return section;
  section.policy = policy.policy;

  if (policy.policy.mode === 'none') return section;
  if (!answered(e.mx)) {
    findings.push(lookupFailed('mta-sts-mx-temperror', e.domain, e.mx, 'the policy against the MX hosts'));
    return section;
  }
  const hosts = (e.mx.rcode === 'NOERROR' ? e.mx.answers : [])
    .map((m) => m.exchange)
    .filter((h) => h !== '' && h !== '.');
  section.mxHosts = hosts.map((host) => ({
    host,
    matched: policy.policy!.mx.some((p) => mxMatches(p, host)),
  }));
  const enforce = policy.policy.mode === 'enforce';
  for (const m of section.mxHosts.filter((h) => !h.matched))
    findings.push(
      finding(
        'mta-sts-mx-unmatched',
        enforce ? 'error' : 'warning',
        `MX host ${m.host} matches no "mx:" line of the policy: ${enforce ? 'senders enforcing it will not deliver there' : 'senders will report failures for it'}`,
      ),
    );
  if (hosts.length === 0)
    findings.push(finding('mta-sts-no-mx', 'warning', `${e.domain} has an MTA-STS policy but no MX hosts`));
  return section;
}

// ------------------------------------------------------------------------------------------------------------ TLS-RPT

export function assessTlsRpt(domain: string, txt: DnsResponse<'TXT'>): TlsRptSection {
  if (!answered(txt))
    return {
      record: null,
      rua: [],
      findings: [lookupFailed('tlsrpt-temperror', `_smtp._tls.${domain}`, txt, 'TLS-RPT')],
    };
  const selected = selectTlsRptRecord(txt.rcode === 'NOERROR' ? txt.answers : []);
  if (selected.text === null) return { record: null, rua: [], findings: selected.findings };
  const parsed = parseTlsRptRecord(selected.text);
  return {
    record: selected.text,
    rua: parsed.record?.rua ?? [],
    findings: [...selected.findings, ...parsed.findings],
  };
}

// --------------------------------------------------------------------------------------------------------------- BIMI

export const BIMI_EVIDENCE_MAX_BYTES = 128 * 1024;
const isBimiRecord = (text: string): boolean => /^v=BIMI1\s*(?:;|$)/i.test(text);

/** The organisational domain to look up default._bimi at, when the domain's own lookup found no record; else null. */
export function bimiFallbackDomain(domain: string, own: DnsResponse<'TXT'>): string | null {
  const org = organizationalDomain(domain);
  if (org === domain || !answered(own)) return null;
  return txtOf(own).some(isBimiRecord) ? null : org;
}

export interface BimiLocation {
  text: string | null;
  recordDomain: string | null;
  findings: Finding[];
  logo: string | null;
  evidence: string | null;
  declined: boolean;
}

export function locateBimi(
  domain: string,
  own: DnsResponse<'TXT'>,
  org: { domain: string; txt: DnsResponse<'TXT'> } | null,
): BimiLocation {
  const result: BimiLocation = {
    text: null,
    recordDomain: null,
    findings: [],
    logo: null,
    evidence: null,
    declined: false,
  };
  for (const [name, txt] of [[domain, own], ...(org ? [[org.domain, org.txt] as const] : [])] as const) {
    if (!answered(txt)) {
      result.findings.push(lookupFailed('bimi-temperror', `default._bimi.${name}`, txt, 'BIMI'));
      return result;
    }
    const records = txtOf(txt).filter(isBimiRecord);
    if (records.length > 1) {
      result.findings.push(
        finding(
          'bimi-multiple',
          'error',
          `${records.length} BIMI records at default._bimi.${name}; receivers use none`,
        ),
      );
      return result;
    }
    if (records.length === 1) {
      const parsed = parseBimiRecord(records[0]!);
      result.text = records[0]!;
      result.recordDomain = name;
      result.findings.push(...parsed.findings);
      result.logo = parsed.record?.logo ?? null;
      result.evidence = parsed.record?.evidence ?? null;
      result.declined = parsed.record?.declined ?? false;
      return result;
    }
  }
  result.findings.push(
    finding('bimi-missing', 'info', 'no BIMI record is published: no brand logo is shown'),
  );
  return result;
}

export interface BimiEvidence {
  domain: string;
  located: BimiLocation;
  logo: FetchOutcome | null;
  evidence: FetchOutcome | null;
  dmarc: DmarcSection;
  now: Date;
}

export function assessBimi(e: BimiEvidence): BimiSection {
  const { located } = e;
  const findings = [...located.findings];
  const section: BimiSection = {
    record: located.text,
    recordDomain: located.recordDomain,
    declined: located.declined,
    logo: null,
    evidence: null,
    findings,
  };
  if (located.text === null || located.declined) return section;

  if (!dmarcEnforced(e.dmarc))
    findings.push(
      finding(
        'bimi-dmarc-not-enforced',
        'error',
        'BIMI needs DMARC at enforcement (quarantine or reject, pct=100): no receiver will show the logo',
      ),
    );

  if (e.logo) {
    section.logo = { ...summarizeFetch(e.logo), svg: null };
    if (!e.logo.ok) findings.push(fetchFinding('bimi-logo', 'the logo', e.logo));
    else {
      const type = mediaType(e.logo.contentType);
      if (type !== 'image/svg+xml')
        findings.push(
          finding(
            'bimi-logo-content-type',
            'warning',
            `the logo is served as ${type ?? '(no Content-Type)'}, not image/svg+xml`,
          ),
        );
      const checked = checkBimiSvg(e.logo.body.toString('utf8'));
      section.logo.svg = checked.svg;
      findings.push(...checked.findings);
    }
  }

  if (e.evidence) {
    section.evidence = { ...summarizeFetch(e.evidence), certificate: null };
    if (!e.evidence.ok) findings.push(fetchFinding('bimi-evidence', 'the evidence document', e.evidence));
    else {
      const org = organizationalDomain(e.domain);
      const checked = checkBimiEvidence(e.evidence.body.toString('latin1'), [e.domain, org], e.now);
      section.evidence.certificate = checked.evidence;
      findings.push(...checked.findings);
    }
  }
  return section;
}

// ------------------------------------------------------------------------------------------------------------- parked

export function assessParked(
  domain: string,
  txt: DnsResponse<'TXT'>,
  dmarc: DmarcSection,
  dmarcLookupFailed: boolean,
  mx: DnsResponse<'MX'>,
): ParkedSection {
  const all = checkParkedDomain({
    txt: txt.rcode === 'NOERROR' ? txt.answers : [],
    dmarc: dmarc.record,
    mx: mx.rcode === 'NOERROR' ? mx.answers : [],
  });
  // A failed lookup says nothing about what is published: no finding from it, only that it failed.
  const findings = all.filter(
    (f) =>
      !(f.code.startsWith('parked-spf') && !answered(txt)) &&
      !(f.code.startsWith('parked-dmarc') && dmarcLookupFailed) &&
      !(f.code.startsWith('parked-null-mx') && !answered(mx)),
  );
  if (!answered(txt) || dmarcLookupFailed || !answered(mx))
    findings.push(
      finding(
        'parked-temperror',
        'warning',
        `some lookups for ${domain} failed: the parked-domain checks are incomplete`,
      ),
    );
  return { findings };
}

// -------------------------------------------------------------------------------------------------------------- fetch

export function summarizeFetch(outcome: FetchOutcome): FetchSummary {
  return outcome.ok
    ? {
        url: outcome.url,
        status: outcome.status,
        contentType: outcome.contentType,
        bytes: outcome.body.length,
        error: null,
      }
    : {
        url: outcome.url,
        status: outcome.status ?? null,
        contentType: outcome.contentType ?? null,
        bytes: null,
        error: outcome.message,
      };
}

const FETCH_CODES: Record<Exclude<FetchOutcome, { ok: true }>['failure'], string> = {
  'invalid-url': 'unreachable',
  'blocked-address': 'blocked',
  dns: 'unreachable',
  timeout: 'unreachable',
  network: 'unreachable',
  tls: 'tls',
  status: 'status',
  redirect: 'redirect',
  'too-large': 'too-large',
};

function fetchFinding(prefix: string, what: string, outcome: Exclude<FetchOutcome, { ok: true }>): Finding {
  return finding(
    `${prefix}-${FETCH_CODES[outcome.failure]}`,
    'error',
    `${what} at ${outcome.url}: ${outcome.message}`,
  );
}
