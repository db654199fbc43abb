// The posture report of a domain: what each check found, every finding in one list, and a compact roll-up for
// dashboards. Built by scan/posture-scan.ts from the assessments of posture-checks.ts; pure data, JSON as it is.
import type { MxRecord } from './dns.ts';
import type { BimiEvidenceInfo, BimiSvgInfo } from './bimi-assets.ts';
import type { Alignment, DmarcPolicy } from './dmarc.ts';
import type { DkimKeyType } from './dkim-key.ts';
import { type Finding, type Severity } from './findings.ts';
import type { MtaStsMode } from './mta-sts.ts';
import type { SpfResult } from './spf/check-host.ts';
import type { SpfUnflattenable } from './spf/flatten.ts';

export type DomainRole = 'sends' | 'parked';

export type CheckName =
  'domain' | 'spf' | 'dmarc' | 'dkim' | 'mx' | 'mta-sts' | 'tls-rpt' | 'bimi' | 'parked';

export interface ReportFinding extends Finding {
  check: CheckName;
  /** The DKIM selector a dkim finding is about. */
  selector?: string;
}

export interface SpfSection {
  /** Every "v=spf1" TXT record at the domain (more than one is a permerror). */
  records: string[];
  /** The record evaluated, when there is exactly one. */
  record: string | null;
  /** check_host() for an address the record does not list: what everyone else gets. Null without a lookup. */
  result: SpfResult | null;
  /** The address that verdict was computed for. */
  probe: string | null;
  /** DNS-querying terms over all branches (limit 10), and those that found nothing (limit 2). */
  lookups: number;
  voidLookups: number;
  /** The ranges that can give pass, flattened through include, redirect, a and mx. */
  authorised: { ip4: string[]; ip6: string[] };
  /** Where each authorised range comes from: the domains from the top record down, through include and redirect. */
  via: { cidr: string; path: string[] }[];
  unflattenable: SpfUnflattenable[];
  /** The verdict for each address the domain's owner expects to send from. */
  expectedSources: { source: string; result: SpfResult | 'invalid' }[];
  findings: Finding[];
}

export interface ReportDestination {
  uri: string;
  /** The mailbox domain of a mailto: URI. */
  domain: string | null;
  /** Outside the policy domain's organisational domain: it must authorise the reports in DNS. */
  external: boolean;
  /** For external destinations: whether <policy-domain>._report._dmarc.<destination> says "v=DMARC1"; null if unknown. */
  authorised: boolean | null;
}

export interface DmarcSection {
  record: string | null;
  /** The domain whose _dmarc record applies: the scanned domain, or its organisational domain. */
  recordDomain: string | null;
  organisationalDomain: string;
  /** The policy comes from the organisational domain's record (its sp=, else p=). */
  inherited: boolean;
  policy: {
    p: DmarcPolicy | null;
    sp: DmarcPolicy | null;
    /** What applies to mail from the scanned domain. */
    effective: DmarcPolicy | null;
    pct: number;
    adkim: Alignment;
    aspf: Alignment;
    testing: boolean;
  } | null;
  rua: ReportDestination[];
  ruf: ReportDestination[];
  findings: Finding[];
}

export interface DkimSelectorSection {
  selector: string;
  /** <selector>._domainkey.<domain> */
  name: string;
  found: boolean;
  record: string | null;
  keyType: DkimKeyType | null;
  bits: number | null;
  testing: boolean;
  revoked: boolean;
  /** A usable key: RSA of 2048 bits or more, or ed25519; not revoked, not in testing. */
  strong: boolean;
  findings: Finding[];
}

export interface MxSection {
  hosts: MxRecord[];
  /** A single "0 ." record (RFC 7505): the domain accepts no mail. */
  nullMx: boolean;
  findings: Finding[];
}

export interface FetchSummary {
  url: string;
  /** The HTTP status, when a response came. */
  status: number | null;
  contentType: string | null;
  bytes: number | null;
  /** Why the fetch failed, when it did. */
  error: string | null;
}

export interface MtaStsSection {
  record: string | null;
  id: string | null;
  fetch: FetchSummary | null;
  policy: { mode: MtaStsMode; mx: string[]; maxAge: number } | null;
  /** Each MX host of the domain, and whether the policy's mx patterns cover it. */
  mxHosts: { host: string; matched: boolean }[];
  findings: Finding[];
}

export interface TlsRptSection {
  record: string | null;
  rua: string[];
  findings: Finding[];
}

export interface BimiSection {
  record: string | null;
  /** Where the record was found: default._bimi.<domain> or the organisational domain's. */
  recordDomain: string | null;
  declined: boolean;
  logo: (FetchSummary & { svg: BimiSvgInfo | null }) | null;
  evidence: (FetchSummary & { certificate: BimiEvidenceInfo | null }) | null;
  findings: Finding[];
}

export interface ParkedSection {
  findings: Finding[];
}

export interface Posture {
  spf: 'pass' | 'warn' | 'fail' | 'missing';
  dmarcPolicy: DmarcPolicy | 'missing';
  dmarcPct: number | null;
  dkimStrong: boolean;
  mtaSts: MtaStsMode | 'missing';
  tlsRpt: boolean;
  bimi: boolean;
}

export interface FindingCounts {
  error: number;
  warning: number;
  info: number;
  worst: Severity | null;
}

export interface PostureReport {
  domain: string;
  role: DomainRole;
  /** ISO 8601. */
  scannedAt: string;
  durationMs: number;
  /** Findings about the scan itself or the name (invalid, non-existent, deadline reached). */
  domainFindings: Finding[];
  spf: SpfSection;
  dmarc: DmarcSection;
  /** One per selector asked about; empty for a parked domain. */
  dkim: DkimSelectorSection[];
  mx: MxSection;
  /** Null for a parked domain, which receives no mail. */
  mtaSts: MtaStsSection | null;
  tlsRpt: TlsRptSection | null;
  bimi: BimiSection | null;
  /** Null for a sending domain. */
  parked: ParkedSection | null;
  /** Every finding above, in check order. */
  findings: ReportFinding[];
  summary: FindingCounts;
  /**
   * False when DNS lookups failed or the deadline cut the scan short: "missing" in the roll-up may then mean "not
   * known", and comparisons with earlier scans should wait for a complete one.
   */
  complete: boolean;
  posture: Posture;
}

export type PostureSections = Omit<PostureReport, 'findings' | 'summary' | 'complete' | 'posture'>;

/** Findings that say a lookup failed or the scan stopped, rather than something about what is published. */
export const isIncompleteness = (f: Finding): boolean =>
  f.code.endsWith('-temperror') ||
  f.code === 'spf-dns-failure' ||
  f.code === 'scan-deadline' ||
  f.code === 'scan-failed';

/** Every section's findings in one list, each tagged with its check. */
export function collectFindings(sections: PostureSections): ReportFinding[] {
  const tag = (check: CheckName, findings: readonly Finding[], selector?: string): ReportFinding[] =>
    findings.map((f) => ({ ...f, check, ...(selector === undefined ? {} : { selector }) }));
  return [
    ...tag('domain', sections.domainFindings),
    ...tag('spf', sections.spf.findings),
    ...tag('dmarc', sections.dmarc.findings),
    ...sections.dkim.flatMap((d) => tag('dkim', d.findings, d.selector)),
    ...tag('mx', sections.mx.findings),
    ...tag('mta-sts', sections.mtaSts?.findings ?? []),
    ...tag('tls-rpt', sections.tlsRpt?.findings ?? []),
    ...tag('bimi', sections.bimi?.findings ?? []),
    ...tag('parked', sections.parked?.findings ?? []),
  ];
}

export function countFindings(findings: readonly Finding[]): FindingCounts {
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const counts = { error: count('error'), warning: count('warning'), info: count('info') };
  return {
    ...counts,
    worst: counts.error ? 'error' : counts.warning ? 'warning' : counts.info ? 'info' : null,
  };
}

/** The roll-up: one word or flag per mechanism. */
export function rollUp(sections: PostureSections): Posture {
  const { spf, dmarc, dkim, mtaSts, tlsRpt, bimi } = sections;
  const spfWorst = countFindings(spf.findings).worst;
  return {
    spf:
      // No record, as opposed to no answer (spf-temperror): a domain whose lookup failed is not "missing".
      spf.records.length === 0 && !spf.findings.some((f) => f.code === 'spf-temperror')
        ? 'missing'
        : spfWorst === 'error'
          ? 'fail'
          : spfWorst === 'warning'
            ? 'warn'
            : 'pass',
    dmarcPolicy: dmarc.policy?.effective ?? 'missing',
    dmarcPct: dmarc.policy?.effective ? dmarc.policy.pct : null,
    dkimStrong: dkim.length > 0 && dkim.every((d) => d.strong),
    mtaSts: mtaSts?.policy?.mode ?? 'missing',
    tlsRpt: tlsRpt?.record !== null && tlsRpt?.record !== undefined && !hasError(tlsRpt.findings),
    bimi:
      bimi !== null &&
      bimi.record !== null &&
      !bimi.declined &&
      bimi.logo?.svg?.svg === true &&
      !hasError(bimi.findings),
  };
}

/** The report from its sections: findings collected, counted and rolled up. */
export function assembleReport(sections: PostureSections): PostureReport {
  const findings = collectFindings(sections);
  return {
    ...sections,
    findings,
    summary: countFindings(findings),
    complete: !findings.some(isIncompleteness),
    posture: rollUp(sections),
  };
}

const hasError = (findings: readonly Finding[]) => findings.some((f) => f.severity === 'error');
