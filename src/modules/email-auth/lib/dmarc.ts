// DMARC policy records (RFC 7489 section 6.3, and the tags of DMARCbis: np, t, psd): selecting the record among a
// name's TXT records, parsing it into a policy, and findings on what it publishes. Nothing here throws.
import { finding, joinTxt, quote, type Finding } from './findings.ts';
import { parseTagList, tagMap } from './tags.ts';

export type DmarcPolicy = 'none' | 'quarantine' | 'reject';
export type Alignment = 'r' | 's';

export interface DmarcUri {
  /** As written, without the size limit. */
  uri: string;
  scheme: string;
  /** For mailto: URIs: the address and its lower-case domain. */
  address?: string;
  domain?: string;
  /** The "!size" suffix in bytes, if any. */
  maxBytes?: number;
}

export interface DmarcRecord {
  text: string;
  /** Absent when p= is missing or invalid (receivers then apply none, or ignore the record). */
  p?: DmarcPolicy;
  sp?: DmarcPolicy;
  np?: DmarcPolicy;
  pct: number;
  adkim: Alignment;
  aspf: Alignment;
  rua: DmarcUri[];
  ruf: DmarcUri[];
  fo: string[];
  rf: string[];
  ri: number;
  /** t=y (DMARCbis): the policy is being tested and should be applied one step weaker. */
  testing: boolean;
  psd?: 'y' | 'n' | 'u';
}

export interface DmarcParse {
  /** Null when the text is not a DMARC record at all (no leading v=DMARC1). */
  record: DmarcRecord | null;
  findings: Finding[];
}

const POLICIES: readonly string[] = ['none', 'quarantine', 'reject'];
const KNOWN_TAGS = new Set([
  'v',
  'p',
  'sp',
  'np',
  'pct',
  'adkim',
  'aspf',
  'rua',
  'ruf',
  'fo',
  'rf',
  'ri',
  't',
  'psd',
]);
const STRENGTH: Record<DmarcPolicy, number> = { none: 0, quarantine: 1, reject: 2 };

/** Whether a TXT record is a DMARC record: it starts with "v=DMARC1" (whitespace allowed around "="). */
export const isDmarcRecord = (text: string): boolean => /^v\s*=\s*DMARC1\s*(?:;|$)/.test(text);

/**
 * Picks the DMARC record among the TXT records of _dmarc.<domain>: null (with an error finding) when there is none
 * or several, since receivers then apply no policy (RFC 7489 section 6.6.3).
 */
export function selectDmarcRecord(txt: readonly (readonly string[])[]): {
  text: string | null;
  findings: Finding[];
} {
  const texts = joinTxt(txt);
  const records = texts.filter(isDmarcRecord);
  const findings: Finding[] = [];
  for (const t of texts)
    if (!isDmarcRecord(t) && /^\s*v\s*=\s*dmarc1\s*(?:;|$)/i.test(t))
      findings.push(
        finding(
          'dmarc-version-case',
          'error',
          `${quote(t)} is ignored: the version must be written "v=DMARC1"`,
        ),
      );
  if (records.length > 1) {
    findings.push(
      finding(
        'dmarc-multiple',
        'error',
        `${records.length} DMARC records are published; receivers apply no policy unless there is exactly one`,
      ),
    );
    return { text: null, findings };
  }
  if (records.length === 0) {
    findings.push(finding('dmarc-missing', 'error', 'no DMARC record is published'));
    return { text: null, findings };
  }
  return { text: records[0]!, findings };
}

export function parseDmarcRecord(text: string): DmarcParse {
  const list = parseTagList(text, { prefix: 'dmarc', lowerNames: true });
  const findings = [...list.findings];
  const first = list.tags[0];
  if (!first || first.name !== 'v' || first.value !== 'DMARC1') {
    findings.push(finding('dmarc-version', 'error', `${quote(text)} does not start with "v=DMARC1"`));
    return { record: null, findings };
  }
  const tags = tagMap(list.tags);
  for (const t of list.tags)
    if (!KNOWN_TAGS.has(t.name))
      findings.push(
        finding('dmarc-unknown-tag', 'warning', `unknown tag "${t.name}" is ignored by receivers`),
      );

  const record: DmarcRecord = {
    text,
    pct: 100,
    adkim: 'r',
    aspf: 'r',
    rua: [],
    ruf: [],
    fo: ['0'],
    rf: ['afrf'],
    ri: 86400,
    testing: false,
  };

  const policy = (tag: 'p' | 'sp' | 'np'): DmarcPolicy | undefined => {
    const v = tags.get(tag);
    if (v === undefined) return undefined;
    if (POLICIES.includes(v.toLowerCase())) return v.toLowerCase() as DmarcPolicy;
    findings.push(
      finding(`dmarc-${tag}-invalid`, 'error', `${tag}=${quote(v)} is not one of none, quarantine, reject`),
    );
    return undefined;
  };
  const p = policy('p');
  const sp = policy('sp');
  const np = policy('np');
  if (p) record.p = p;
  if (sp) record.sp = sp;
  if (np) record.np = np;
  if (!tags.has('p'))
    findings.push(
      finding(
        'dmarc-p-missing',
        'error',
        'the required "p=" tag is missing; receivers treat the record as p=none, or ignore it',
      ),
    );
  if (p === 'none')
    findings.push(
      finding('dmarc-policy-none', 'warning', 'p=none only monitors: failing mail is delivered as usual'),
    );
  else if (p === 'quarantine')
    findings.push(finding('dmarc-policy-quarantine', 'info', 'p=quarantine: failing mail goes to spam'));
  if (p) {
    for (const [tag, sub] of [
      ['sp', sp],
      ['np', np],
    ] as const)
      if (sub && STRENGTH[sub] < STRENGTH[p])
        findings.push(
          finding(
            `dmarc-${tag}-weaker`,
            'warning',
            `${tag}=${sub} is weaker than p=${p}: ${tag === 'sp' ? 'subdomains' : 'non-existent subdomains'} are less protected`,
          ),
        );
  }

  const pct = tags.get('pct');
  if (pct !== undefined) {
    if (/^\d{1,3}$/.test(pct) && Number(pct) <= 100) {
      record.pct = Number(pct);
      if (record.pct < 100)
        findings.push(
          finding(
            'dmarc-pct-partial',
            'warning',
            `pct=${record.pct}: the policy applies to only ${record.pct}% of failing mail`,
          ),
        );
    } else
      findings.push(
        finding('dmarc-pct-invalid', 'error', `pct=${quote(pct)} is not an integer from 0 to 100`),
      );
  }

  for (const tag of ['adkim', 'aspf'] as const) {
    const v = tags.get(tag);
    if (v === undefined) continue;
    if (v === 'r' || v === 's') record[tag] = v;
    else findings.push(finding(`dmarc-${tag}-invalid`, 'error', `${tag}=${quote(v)} is not "r" or "s"`));
  }

  for (const tag of ['rua', 'ruf'] as const) {
    const v = tags.get(tag);
    if (v === undefined) continue;
    const parsed = parseDmarcUris(v, tag);
    record[tag] = parsed.uris;
    findings.push(...parsed.findings);
  }
  if (!tags.has('rua'))
    findings.push(finding('dmarc-no-rua', 'info', 'no rua=: nobody receives aggregate reports'));

  const fo = tags.get('fo');
  if (fo !== undefined) {
    const opts = fo.split(':').map((o) => o.trim());
    const bad = opts.filter((o) => !['0', '1', 'd', 's'].includes(o));
    if (bad.length > 0)
      findings.push(
        finding('dmarc-fo-invalid', 'error', `fo=${quote(fo)}: options are 0, 1, d and s, separated by ":"`),
      );
    else record.fo = opts;
    if (!tags.has('ruf'))
      findings.push(finding('dmarc-fo-without-ruf', 'info', 'fo= has no effect without ruf='));
  }

  const rf = tags.get('rf');
  if (rf !== undefined) {
    const formats = rf.split(':').map((o) => o.trim().toLowerCase());
    if (formats.some((f) => f !== 'afrf'))
      findings.push(
        finding('dmarc-rf-invalid', 'error', `rf=${quote(rf)}: the only report format is "afrf"`),
      );
    else record.rf = formats;
  }

  const ri = tags.get('ri');
  if (ri !== undefined) {
    if (/^\d{1,10}$/.test(ri) && Number(ri) <= 0xffffffff) record.ri = Number(ri);
    else findings.push(finding('dmarc-ri-invalid', 'error', `ri=${quote(ri)} is not a number of seconds`));
  }

  const t = tags.get('t');
  if (t !== undefined) {
    if (t === 'y') {
      record.testing = true;
      findings.push(
        finding('dmarc-testing', 'warning', 't=y: the policy is in testing and applied one step weaker'),
      );
    } else if (t !== 'n')
      findings.push(finding('dmarc-t-invalid', 'error', `t=${quote(t)} is not "y" or "n"`));
  }

  const psd = tags.get('psd');
  if (psd !== undefined) {
    if (psd === 'y' || psd === 'n' || psd === 'u') record.psd = psd;
    else findings.push(finding('dmarc-psd-invalid', 'error', `psd=${quote(psd)} is not "y", "n" or "u"`));
  }

  return { record, findings };
}

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };
const MAILBOX = /^[^@\s]+@([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+)$/i;

/** Parses the comma-separated report URIs of rua= or ruf=, each optionally followed by "!<size>[k|m|g|t]". */
export function parseDmarcUris(value: string, tag = 'rua'): { uris: DmarcUri[]; findings: Finding[] } {
  const uris: DmarcUri[] = [];
  const findings: Finding[] = [];
  if (value.trim() === '') {
    findings.push(finding(`dmarc-${tag}-empty`, 'warning', `${tag}= lists no URI`));
    return { uris, findings };
  }
  for (const raw of value.split(',')) {
    const item = raw.trim();
    const m = /^(.*?)(?:!(\d+)([kmgt]?))?$/is.exec(item)!;
    const uri = m[1]!;
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(uri)?.[1]?.toLowerCase();
    if (!scheme) {
      findings.push(finding(`dmarc-${tag}-invalid`, 'error', `${tag}: ${quote(item)} is not a URI`));
      continue;
    }
    const entry: DmarcUri = { uri, scheme };
    if (m[2] !== undefined) entry.maxBytes = Number(m[2]) * SIZE_UNITS[m[3]!.toLowerCase()]!;
    if (scheme !== 'mailto') {
      findings.push(
        finding(
          `dmarc-${tag}-scheme`,
          'warning',
          `${tag}: ${quote(uri)} is not a mailto: URI; receivers send reports only by e-mail`,
        ),
      );
      uris.push(entry);
      continue;
    }
    let address: string;
    try {
      address = decodeURIComponent(uri.slice('mailto:'.length).split('?')[0]!);
    } catch {
      address = '';
    }
    const mailbox = MAILBOX.exec(address);
    if (!mailbox) {
      findings.push(
        finding(
          `dmarc-${tag}-invalid`,
          'error',
          `${tag}: ${quote(uri)} does not hold a valid e-mail address`,
        ),
      );
      continue;
    }
    entry.address = address;
    entry.domain = mailbox[1]!.toLowerCase();
    uris.push(entry);
  }
  return { uris, findings };
}

// A deliberate simplification of the Public Suffix List: the organisational domain is the last two labels, or the
// last three under a few well-known multi-label public suffixes. Good enough for the domains we check; not a PSL.
const MULTI_LABEL_SUFFIXES: ReadonlySet<string> = new Set([
  'co.jp',
  'ne.jp',
  'or.jp',
  'ac.jp',
  'go.jp',
  'ad.jp',
  'ed.jp',
  'gr.jp',
  'lg.jp',
  'co.uk',
  'org.uk',
  'ac.uk',
  'gov.uk',
  'com.au',
  'net.au',
  'org.au',
  'com.sg',
  'edu.sg',
  'gov.sg',
  'co.nz',
  'com.cn',
  'com.hk',
  'com.tw',
  'co.kr',
]);

const normalize = (domain: string): string => domain.trim().toLowerCase().replace(/\.$/, '');

/** The organisational domain of a domain (see the simplification above). */
export function organizationalDomain(domain: string): string {
  const labels = normalize(domain).split('.');
  const keep = labels.length >= 3 && MULTI_LABEL_SUFFIXES.has(labels.slice(-2).join('.')) ? 3 : 2;
  return labels.slice(-keep).join('.');
}

export interface ReportAuthorization {
  uri: string;
  destinationDomain: string;
  /** The TXT name the destination must publish "v=DMARC1" at (RFC 7489 section 7.1). */
  name: string;
}

/**
 * The report destinations outside the policy domain's organisational domain, each with the
 * "<domain>._report._dmarc.<destination-domain>" name that must authorise it. Non-mailto URIs are skipped.
 */
export function externalReportAuthorizations(
  policyDomain: string,
  uris: readonly DmarcUri[],
): ReportAuthorization[] {
  const domain = normalize(policyDomain);
  const org = organizationalDomain(domain);
  const out: ReportAuthorization[] = [];
  const seen = new Set<string>();
  for (const u of uris) {
    if (!u.domain || organizationalDomain(u.domain) === org) continue;
    const name = `${domain}._report._dmarc.${u.domain}`;
    if (seen.has(name)) continue;
    seen.add(name);
    out.push({ uri: u.uri, destinationDomain: u.domain, name });
  }
  return out;
}
