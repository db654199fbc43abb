// Feedback reports in the Abuse Reporting Format (RFC 5965): abuse complaints and the authentication failure
// reports that DMARC ruf= produces (RFC 6591, RFC 9991). Reads the machine-readable message/feedback-report
// part; the original message's header block is kept as it came, for the record.
import { parseMailDate } from './mail-date.ts';
import { ReportRejection } from './report-rejection.ts';

export const FEEDBACK_TYPES = ['abuse', 'auth-failure', 'fraud', 'not-spam', 'virus', 'other'] as const;
export const AUTH_FAILURE_TYPES = ['adsp', 'bodyhash', 'revoked', 'signature', 'spf', 'dmarc'] as const;
export const DELIVERY_RESULTS = ['delivered', 'spam', 'policy', 'reject', 'other'] as const;

export type FeedbackType = (typeof FEEDBACK_TYPES)[number] | 'unknown';
export type AuthFailureType = (typeof AUTH_FAILURE_TYPES)[number] | 'unknown';
export type DeliveryResult = (typeof DELIVERY_RESULTS)[number] | 'unknown';
/** RFC 6591 Identity-Alignment: which identifiers were aligned ("dkim, spf" reads as 'dkim-spf'). */
export type IdentityAlignment = 'none' | 'spf' | 'dkim' | 'dkim-spf' | 'unknown';

export interface HeaderField {
  name: string;
  /** As written after the colon: leading blanks dropped, folded lines kept (joined with "\n"). */
  value: string;
}

/** The email that carried a report, as the report list shows it. */
export interface EmailInfo {
  /** RFC 2047 encoded words decoded. */
  subject: string | null;
  from: string | null;
  /** Epoch seconds. */
  date: number | null;
  messageId: string | null;
}

export interface FailureReport {
  feedbackType: FeedbackType;
  userAgent: string | null;
  version: string | null;
  originalEnvelopeId: string | null;
  originalMailFrom: string | null;
  originalRcptTo: string[];
  /** Arrival-Date (or the older Received-Date), epoch seconds. */
  arrivalDate: number | null;
  /** The name in Reporting-MTA, without its "dns;" type. */
  reportingMta: string | null;
  /** Source-IP without the comment some reporters add. */
  sourceIp: string | null;
  sourcePort: number | null;
  incidents: number;
  reportedDomains: string[];
  reportedUris: string[];
  authenticationResults: string[];
  authFailure: AuthFailureType | null;
  deliveryResult: DeliveryResult | null;
  identityAlignment: IdentityAlignment | null;
  dkim: {
    domain: string | null;
    identity: string | null;
    selector: string | null;
    canonicalizedHeader: string | null;
    canonicalizedBody: string | null;
    selectorDns: string | null;
    adspDns: string | null;
  };
  spfDns: string | null;
  /** Every field of the machine-readable part, in order. */
  fields: HeaderField[];
  /** The original message's header block, raw (line ends as LF), when the report carried it. */
  originalHeaders: string | null;
  email: EmailInfo | null;
  warnings: string[];
}

export interface FailureReportInput {
  /** The text of the message/feedback-report part. */
  feedbackReport: string;
  /** The text/rfc822-headers part, or the header block of the message/rfc822 part. */
  originalHeaders?: string | null;
  email?: EmailInfo | null;
}

/** Header fields of a block of text; a blank line does not end it (feedback parts are all fields). */
export function parseHeaderFields(text: string): HeaderField[] {
  const out: HeaderField[] = [];
  let current: HeaderField | null = null;
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (line.trim() === '') {
      current = null;
      continue;
    }
    if ((line[0] === ' ' || line[0] === '\t') && current) {
      current.value += `\n${line}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      current = null;
      continue;
    }
    current = { name: line.slice(0, colon).trim(), value: line.slice(colon + 1).replace(/^[ \t]+/, '') };
    out.push(current);
  }
  for (const f of out) f.value = f.value.trimEnd();
  return out;
}

const stripComments = (value: string): string =>
  value
    .replace(/\([^()]*\)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

function enumOf<T extends string>(
  raw: string,
  allowed: readonly T[],
  field: string,
  warnings: string[],
): T | 'unknown' {
  const value = stripComments(raw).toLowerCase();
  if ((allowed as readonly string[]).includes(value)) return value as T;
  warnings.push(`${field}: unknown value "${value.slice(0, 40)}"`);
  return 'unknown';
}

function identityAlignment(raw: string, warnings: string[]): IdentityAlignment {
  const parts = new Set(
    stripComments(raw)
      .toLowerCase()
      .split(/[\s,]+/)
      .filter(Boolean),
  );
  const dkim = parts.has('dkim');
  const spf = parts.has('spf');
  if (dkim && spf) return 'dkim-spf';
  if (dkim) return 'dkim';
  if (spf) return 'spf';
  if (parts.has('none')) return 'none';
  warnings.push(`Identity-Alignment: unknown value "${raw.slice(0, 40)}"`);
  return 'unknown';
}

/** Reads one feedback report; throws a ReportRejection when the part has no Feedback-Type. */
export function parseFailureReport(input: FailureReportInput): FailureReport {
  const fields = parseHeaderFields(input.feedbackReport);
  const warnings: string[] = [];
  const report: FailureReport = {
    feedbackType: 'unknown',
    userAgent: null,
    version: null,
    originalEnvelopeId: null,
    originalMailFrom: null,
    originalRcptTo: [],
    arrivalDate: null,
    reportingMta: null,
    sourceIp: null,
    sourcePort: null,
    incidents: 1,
    reportedDomains: [],
    reportedUris: [],
    authenticationResults: [],
    authFailure: null,
    deliveryResult: null,
    identityAlignment: null,
    dkim: {
      domain: null,
      identity: null,
      selector: null,
      canonicalizedHeader: null,
      canonicalizedBody: null,
      selectorDns: null,
      adspDns: null,
    },
    spfDns: null,
    fields,
    originalHeaders: input.originalHeaders ? input.originalHeaders.replace(/\r\n?/g, '\n') : null,
    email: input.email ?? null,
    warnings,
  };
  let sawType = false;
  for (const { name, value } of fields) {
    const single = value.trim();
    switch (name.toLowerCase()) {
      case 'feedback-type':
        sawType = true;
        report.feedbackType = enumOf(single, FEEDBACK_TYPES, 'Feedback-Type', warnings);
        break;
      case 'user-agent':
        report.userAgent = single;
        break;
      case 'version':
        report.version = single;
        break;
      case 'original-envelope-id':
        report.originalEnvelopeId = single;
        break;
      case 'original-mail-from':
        report.originalMailFrom = single;
        break;
      case 'original-rcpt-to':
        report.originalRcptTo.push(single);
        break;
      case 'arrival-date':
      case 'received-date': {
        const date = parseMailDate(single);
        if (date === null) warnings.push(`${name}: "${single.slice(0, 60)}" is not a date`);
        else report.arrivalDate = date;
        break;
      }
      case 'reporting-mta': {
        const semi = single.indexOf(';');
        report.reportingMta = (semi === -1 ? single : single.slice(semi + 1)).trim() || null;
        break;
      }
      case 'source-ip':
        report.sourceIp = stripComments(single).replace(/^\[|\]$/g, '') || null;
        break;
      case 'source-port': {
        const port = Number(stripComments(single));
        if (Number.isInteger(port) && port >= 0 && port <= 65535) report.sourcePort = port;
        else warnings.push(`Source-Port: "${single.slice(0, 20)}" is not a port`);
        break;
      }
      case 'incidents': {
        const n = Number(stripComments(single));
        if (Number.isInteger(n) && n >= 1) report.incidents = n;
        else warnings.push(`Incidents: "${single.slice(0, 20)}" is not a count`);
        break;
      }
      case 'reported-domain':
        report.reportedDomains.push(single);
        break;
      case 'reported-uri':
        report.reportedUris.push(single);
        break;
      case 'authentication-results':
        report.authenticationResults.push(value);
        break;
      case 'auth-failure':
        report.authFailure = enumOf(single, AUTH_FAILURE_TYPES, 'Auth-Failure', warnings);
        break;
      case 'delivery-result':
        report.deliveryResult = enumOf(single, DELIVERY_RESULTS, 'Delivery-Result', warnings);
        break;
      case 'identity-alignment':
        report.identityAlignment = identityAlignment(single, warnings);
        break;
      case 'dkim-domain':
        report.dkim.domain = single;
        break;
      case 'dkim-identity':
        report.dkim.identity = single;
        break;
      case 'dkim-selector':
        report.dkim.selector = single;
        break;
      case 'dkim-canonicalized-header':
        report.dkim.canonicalizedHeader = value;
        break;
      case 'dkim-canonicalized-body':
        report.dkim.canonicalizedBody = value;
        break;
      case 'dkim-selector-dns':
        report.dkim.selectorDns = value;
        break;
      case 'dkim-adsp-dns':
        report.dkim.adspDns = value;
        break;
      case 'spf-dns':
        report.spfDns = value;
        break;
    }
  }
  if (!sawType) {
    throw new ReportRejection('missing-field', 'the feedback report has no Feedback-Type field');
  }
  if (report.userAgent === null) warnings.push('User-Agent is missing');
  if (report.version === null) warnings.push('Version is missing');
  return report;
}
