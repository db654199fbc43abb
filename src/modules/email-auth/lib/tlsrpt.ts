// SMTP TLS Reporting (RFC 8460): the "_smtp._tls.<domain>" TXT record naming where reports go.
import { finding, joinTxt, quote, type Finding } from './findings.ts';
import { parseTagList, tagMap } from './tags.ts';

export interface TlsRptRecord {
  text: string;
  /** mailto: and https: URIs, in order. */
  rua: string[];
}

export const isTlsRptRecord = (text: string): boolean => /^v=TLSRPTv1\s*(?:;|$)/.test(text);

/** Picks the record among the TXT records of _smtp._tls.<domain>: several mean no reporting (section 3). */
export function selectTlsRptRecord(txt: readonly (readonly string[])[]): {
  text: string | null;
  findings: Finding[];
} {
  const records = joinTxt(txt).filter(isTlsRptRecord);
  if (records.length > 1)
    return {
      text: null,
      findings: [
        finding(
          'tlsrpt-multiple',
          'error',
          `${records.length} TLS-RPT records are published; senders use none`,
        ),
      ],
    };
  if (records.length === 0)
    return { text: null, findings: [finding('tlsrpt-missing', 'info', 'no TLS-RPT record is published')] };
  return { text: records[0]!, findings: [] };
}

export function parseTlsRptRecord(text: string): { record: TlsRptRecord | null; findings: Finding[] } {
  const list = parseTagList(text, { prefix: 'tlsrpt' });
  const findings = [...list.findings];
  const first = list.tags[0];
  if (!first || first.name !== 'v' || first.value !== 'TLSRPTv1') {
    findings.push(finding('tlsrpt-version', 'error', `${quote(text)} does not start with "v=TLSRPTv1"`));
    return { record: null, findings };
  }
  for (const t of list.tags)
    if (t.name !== 'v' && t.name !== 'rua')
      findings.push(finding('tlsrpt-unknown-field', 'info', `unknown field "${t.name}" is ignored`));
  const rua = tagMap(list.tags).get('rua');
  if (rua === undefined) {
    findings.push(finding('tlsrpt-rua-missing', 'error', 'the required "rua=" field is missing'));
    return { record: null, findings };
  }
  const uris: string[] = [];
  for (const raw of rua.split(',')) {
    const uri = raw.trim();
    if (/^mailto:[^@\s]+@[^@\s]+\.[^@\s]+$/i.test(uri)) uris.push(uri);
    else if (/^https:\/\/[^/\s]+/i.test(uri) && URL.canParse(uri)) uris.push(uri);
    else if (/^http:/i.test(uri))
      findings.push(
        finding('tlsrpt-rua-http', 'error', `rua ${quote(uri)}: reports must be posted over https`),
      );
    else
      findings.push(
        finding('tlsrpt-rua-invalid', 'error', `rua ${quote(uri)} is not a mailto: address or an https: URL`),
      );
  }
  if (uris.length === 0) {
    findings.push(finding('tlsrpt-rua-none', 'error', 'rua= holds no usable destination'));
    return { record: null, findings };
  }
  return { record: { text, rua: uris }, findings };
}
