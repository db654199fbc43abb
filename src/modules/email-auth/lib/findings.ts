// Findings of the record checkers: what is wrong (or worth knowing) about a published record, never an exception.
export type Severity = 'info' | 'warning' | 'error';

export interface Finding {
  /** Stable and machine-readable, e.g. "dmarc-pct-partial". */
  code: string;
  severity: Severity;
  message: string;
}

export const finding = (code: string, severity: Severity, message: string): Finding => ({
  code,
  severity,
  message,
});

/** The worst severity among findings, or null when there are none. */
export function worstSeverity(findings: readonly Finding[]): Severity | null {
  if (findings.some((f) => f.severity === 'error')) return 'error';
  if (findings.some((f) => f.severity === 'warning')) return 'warning';
  return findings.length > 0 ? 'info' : null;
}

/** Joins each TXT record's character-strings without spaces (RFC 7208 section 3.3, RFC 6376 section 3.6.2.2). */
export const joinTxt = (txt: readonly (readonly string[])[]): string[] =>
  txt.map((strings) => strings.join(''));

/** Shows text in messages: non-printable characters escaped, long text cut. */
export function quote(text: string, max = 60): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(cut);
}
