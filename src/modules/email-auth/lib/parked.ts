// Checks for a domain marked "parked / never sends mail": it should say so to everyone, with SPF "v=spf1 -all"
// (no host may send), DMARC p=reject (fail everything claiming it), and a null MX "0 ." (RFC 7505: accepts no mail).
import type { MxRecord } from './dns.ts';
import { parseDmarcRecord } from './dmarc.ts';
import { finding, joinTxt, quote, type Finding } from './findings.ts';
import { isSpfRecord } from './spf/record.ts';

export interface ParkedDomainInput {
  /** The domain's TXT records, each a list of character-strings (the SPF record is picked from them). */
  txt: readonly (readonly string[])[];
  /** The DMARC record in force for the domain (its own or the organisational domain's), or null. */
  dmarc: string | null;
  /** The MX answer; an exchange of "" or "." is the root. */
  mx: readonly MxRecord[];
}

export function checkParkedDomain({ txt, dmarc, mx }: ParkedDomainInput): Finding[] {
  return [...checkSpf(txt), ...checkDmarc(dmarc), ...checkMx(mx)];
}

function checkSpf(txt: readonly (readonly string[])[]): Finding[] {
  const records = joinTxt(txt).filter(isSpfRecord);
  if (records.length === 0)
    return [
      finding('parked-spf-missing', 'error', 'no SPF record: publish "v=spf1 -all" so no host may send'),
    ];
  if (records.length > 1)
    return [
      finding(
        'parked-spf-multiple',
        'error',
        `${records.length} SPF records are published; publish only "v=spf1 -all"`,
      ),
    ];
  const normalized = records[0]!.trim().replace(/ +/g, ' ').toLowerCase();
  if (normalized !== 'v=spf1 -all')
    return [
      finding(
        'parked-spf-not-reject-all',
        'error',
        `SPF is ${quote(records[0]!)}; a domain that never sends should publish exactly "v=spf1 -all"`,
      ),
    ];
  return [];
}

function checkDmarc(text: string | null): Finding[] {
  if (text === null)
    return [finding('parked-dmarc-missing', 'error', 'no DMARC record: publish "v=DMARC1; p=reject"')];
  const { record } = parseDmarcRecord(text);
  if (!record)
    return [finding('parked-dmarc-invalid', 'error', `the DMARC record ${quote(text)} is not valid`)];
  const findings: Finding[] = [];
  if (record.p !== 'reject')
    findings.push(
      finding(
        'parked-dmarc-not-reject',
        'error',
        `DMARC p=${record.p ?? '(missing)'}; a parked domain should use p=reject`,
      ),
    );
  if (record.sp && record.sp !== 'reject')
    findings.push(
      finding('parked-dmarc-sp-not-reject', 'error', `DMARC sp=${record.sp} lets subdomains off; use reject`),
    );
  if (record.pct < 100)
    findings.push(
      finding('parked-dmarc-pct', 'error', `DMARC pct=${record.pct}; a parked domain should use 100`),
    );
  if (record.testing)
    findings.push(finding('parked-dmarc-testing', 'warning', 'DMARC t=y weakens the policy; remove it'));
  return findings;
}

const isRoot = (exchange: string): boolean => exchange === '' || exchange === '.';

function checkMx(mx: readonly MxRecord[]): Finding[] {
  if (mx.length === 0)
    return [
      finding(
        'parked-null-mx-missing',
        'warning',
        'no MX records: senders fall back to the address records; publish a null MX "0 ." to refuse mail',
      ),
    ];
  const nulls = mx.filter((r) => isRoot(r.exchange));
  if (nulls.length === 0)
    return [
      finding(
        'parked-null-mx-missing',
        'error',
        `the domain has mail exchangers (${mx.map((r) => `${r.preference} ${r.exchange}`).join(', ')}); publish only a null MX "0 ."`,
      ),
    ];
  if (mx.length > 1)
    return [finding('parked-null-mx-mixed', 'error', 'a null MX must be the only MX record (RFC 7505)')];
  if (nulls[0]!.preference !== 0)
    return [
      finding(
        'parked-null-mx-preference',
        'warning',
        `the null MX has preference ${nulls[0]!.preference}; use 0`,
      ),
    ];
  return [];
}
