// MTA-STS (RFC 8461): the "_mta-sts.<domain>" TXT record that announces a policy, and the policy file served at
// https://mta-sts.<domain>/.well-known/mta-sts.txt (fetched elsewhere; parsed here from its text).
import { finding, joinTxt, quote, type Finding } from './findings.ts';
import { parseTagList, tagMap } from './tags.ts';

export interface MtaStsTxt {
  text: string;
  id: string;
}

export const isMtaStsTxt = (text: string): boolean => /^v=STSv1\s*(?:;|$)/.test(text);

/** Picks the record among the TXT records of _mta-sts.<domain>: several mean no policy (section 3.1). */
export function selectMtaStsTxt(txt: readonly (readonly string[])[]): {
  text: string | null;
  findings: Finding[];
} {
  const records = joinTxt(txt).filter(isMtaStsTxt);
  if (records.length > 1)
    return {
      text: null,
      findings: [
        finding(
          'mta-sts-txt-multiple',
          'error',
          `${records.length} MTA-STS records are published; senders use none`,
        ),
      ],
    };
  if (records.length === 0)
    return {
      text: null,
      findings: [finding('mta-sts-txt-missing', 'warning', 'no MTA-STS record is published')],
    };
  return { text: records[0]!, findings: [] };
}

export function parseMtaStsTxt(text: string): { record: MtaStsTxt | null; findings: Finding[] } {
  const list = parseTagList(text, { prefix: 'mta-sts-txt' });
  const findings = [...list.findings];
  const first = list.tags[0];
  if (!first || first.name !== 'v' || first.value !== 'STSv1') {
    findings.push(finding('mta-sts-txt-version', 'error', `${quote(text)} does not start with "v=STSv1"`));
    return { record: null, findings };
  }
  for (const t of list.tags)
    if (t.name !== 'v' && t.name !== 'id')
      findings.push(finding('mta-sts-txt-unknown-field', 'info', `unknown field "${t.name}" is ignored`));
  const id = tagMap(list.tags).get('id');
  if (id === undefined) {
    findings.push(finding('mta-sts-txt-id-missing', 'error', 'the required "id=" field is missing'));
    return { record: null, findings };
  }
  if (!/^[A-Za-z0-9]{1,32}$/.test(id)) {
    findings.push(
      finding('mta-sts-txt-id-invalid', 'error', `id=${quote(id)} must be 1 to 32 letters and digits`),
    );
    return { record: null, findings };
  }
  return { record: { text, id }, findings };
}

export type MtaStsMode = 'enforce' | 'testing' | 'none';

export interface MtaStsPolicy {
  mode: MtaStsMode;
  mx: string[];
  maxAge: number;
}

export const MAX_AGE_LIMIT = 31557600;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/** Whether an "mx:" pattern is a host name, or "*." and a host name (the wildcard covers one leftmost label). */
export function isMxPattern(pattern: string): boolean {
  const host = pattern.startsWith('*.') ? pattern.slice(2) : pattern;
  const labels = host.split('.');
  return labels.length >= 2 && labels.every((l) => LABEL.test(l));
}

/** Whether an MX host matches a policy's "mx:" pattern (section 4.1). */
export function mxMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  const h = host.toLowerCase().replace(/\.$/, '');
  if (!p.startsWith('*.')) return p === h;
  const dot = h.indexOf('.');
  return dot > 0 && h.slice(dot + 1) === p.slice(2);
}

export function parseMtaStsPolicy(text: string): { policy: MtaStsPolicy | null; findings: Finding[] } {
  const findings: Finding[] = [];
  const fields = new Map<string, string>();
  const mx: string[] = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon < 0) {
      findings.push(
        finding('mta-sts-policy-syntax', 'error', `line ${i + 1}: ${quote(line)} is not "key: value"`),
      );
      continue;
    }
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (key === 'mx') mx.push(value);
    else if (!['version', 'mode', 'max_age'].includes(key))
      findings.push(
        finding('mta-sts-policy-unknown-field', 'info', `line ${i + 1}: unknown field "${key}" is ignored`),
      );
    else if (fields.has(key))
      findings.push(
        finding(
          'mta-sts-policy-duplicate',
          'warning',
          `line ${i + 1}: "${key}" appears again; the first is used`,
        ),
      );
    else fields.set(key, value);
  }

  let ok = true;
  const version = fields.get('version');
  if (version !== 'STSv1') {
    ok = false;
    findings.push(
      finding(
        'mta-sts-policy-version',
        'error',
        version === undefined ? 'the "version" field is missing' : `version ${quote(version)} is not "STSv1"`,
      ),
    );
  }

  const mode = fields.get('mode');
  if (mode !== 'enforce' && mode !== 'testing' && mode !== 'none') {
    ok = false;
    findings.push(
      finding(
        'mta-sts-policy-mode',
        'error',
        mode === undefined
          ? 'the "mode" field is missing'
          : `mode ${quote(mode)} is not enforce, testing or none`,
      ),
    );
  } else if (mode === 'testing')
    findings.push(
      finding('mta-sts-mode-testing', 'info', 'mode testing: failures are reported, not enforced'),
    );
  else if (mode === 'none')
    findings.push(
      finding('mta-sts-mode-none', 'warning', 'mode none: the policy is withdrawn and gives no protection'),
    );

  const maxAgeText = fields.get('max_age');
  let maxAge = 0;
  if (maxAgeText === undefined) {
    ok = false;
    findings.push(finding('mta-sts-policy-max-age', 'error', 'the "max_age" field is missing'));
  } else if (!/^\d{1,10}$/.test(maxAgeText) || Number(maxAgeText) > MAX_AGE_LIMIT) {
    ok = false;
    findings.push(
      finding(
        'mta-sts-policy-max-age',
        'error',
        `max_age ${quote(maxAgeText)} is not a number of seconds up to ${MAX_AGE_LIMIT}`,
      ),
    );
  } else {
    maxAge = Number(maxAgeText);
    if (maxAge < 86400)
      findings.push(
        finding(
          'mta-sts-max-age-short',
          'warning',
          `max_age ${maxAge} is under a day; senders forget the policy quickly (weeks are recommended)`,
        ),
      );
  }

  for (const pattern of mx)
    if (!isMxPattern(pattern))
      findings.push(
        finding('mta-sts-mx-invalid', 'error', `mx ${quote(pattern)} is not a host name or "*." pattern`),
      );
  if (mx.length === 0 && mode !== 'none') {
    ok = false;
    findings.push(finding('mta-sts-mx-missing', 'error', `mode ${mode ?? '?'} needs at least one "mx" line`));
  }

  if (!ok || (mode !== 'enforce' && mode !== 'testing' && mode !== 'none')) return { policy: null, findings };
  return { policy: { mode, mx: mx.filter(isMxPattern), maxAge }, findings };
}
