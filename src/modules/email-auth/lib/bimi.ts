// BIMI (draft-brand-indicators-for-message-identification): the "default._bimi.<domain>" TXT record pointing at the
// brand logo (an SVG Tiny PS file) and, optionally, the evidence document (a VMC or CMC certificate, PEM).
import { finding, quote, type Finding } from './findings.ts';
import { parseTagList, tagMap } from './tags.ts';

export interface BimiRecord {
  text: string;
  logo?: string;
  evidence?: string;
  /** "l=" and "a=" both empty: the domain declines to publish a logo. */
  declined: boolean;
}

const KNOWN_TAGS = new Set(['v', 'l', 'a', 's', 'avp']);

export function parseBimiRecord(text: string): { record: BimiRecord | null; findings: Finding[] } {
  const list = parseTagList(text, { prefix: 'bimi' });
  const findings = [...list.findings];
  const first = list.tags[0];
  if (!first || first.name !== 'v' || first.value !== 'BIMI1') {
    findings.push(finding('bimi-version', 'error', `${quote(text)} does not start with "v=BIMI1"`));
    return { record: null, findings };
  }
  for (const t of list.tags)
    if (!KNOWN_TAGS.has(t.name))
      findings.push(finding('bimi-unknown-tag', 'info', `unknown tag "${t.name}" is ignored`));
  const tags = tagMap(list.tags);
  const l = tags.get('l');
  const a = tags.get('a');
  const record: BimiRecord = { text, declined: (l ?? '') === '' && (a ?? '') === '' && tags.has('l') };
  if (record.declined) {
    findings.push(
      finding('bimi-declined', 'info', 'l= and a= are empty: the domain declines to show a logo'),
    );
    return { record, findings };
  }

  if (l === undefined || l === '')
    findings.push(
      finding('bimi-logo-missing', 'error', 'no logo: "l=" must hold the https URL of an SVG file'),
    );
  else {
    const problem = httpsProblem(l);
    if (problem)
      findings.push(finding(`bimi-logo-${problem.code}`, 'error', `l=${quote(l)}: ${problem.message}`));
    else {
      record.logo = l;
      if (!new URL(l).pathname.toLowerCase().endsWith('.svg'))
        findings.push(finding('bimi-logo-not-svg', 'warning', `l=${quote(l)} does not name an .svg file`));
    }
  }

  if (a === undefined || a === '')
    findings.push(
      finding(
        'bimi-evidence-missing',
        'warning',
        'no evidence document (a=): most mailbox providers show a logo only with a VMC or CMC',
      ),
    );
  else {
    const problem = httpsProblem(a);
    if (problem)
      findings.push(finding(`bimi-evidence-${problem.code}`, 'error', `a=${quote(a)}: ${problem.message}`));
    else record.evidence = a;
  }
  return { record, findings };
}

function httpsProblem(value: string): { code: string; message: string } | null {
  if (!URL.canParse(value)) return { code: 'invalid', message: 'not a URL' };
  const url = new URL(value);
  if (url.protocol === 'http:') return { code: 'http', message: 'must be https, not http' };
  if (url.protocol !== 'https:') return { code: 'invalid', message: 'must be an https URL' };
  return null;
}
