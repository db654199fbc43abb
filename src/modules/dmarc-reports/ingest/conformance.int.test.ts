// The public report-parsing vectors (stalwart mail-auth): every aggregate report (XML and email) and every
// feedback report parses to the facts of its expected JSON. Stalwart's serde shape is mapped into our model
// field by field; where the two models say the same fact differently the mapping says so.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { conformanceFile, hasConformance } from '../../../../test/support/conformance.ts';
import type { AggregateRecord, AggregateReport } from '../lib/aggregate-model.ts';
import type { FailureReport } from '../lib/arf-parser.ts';
import { collectReports } from './collect-reports.ts';

const AGGREGATE_DIR = ['dmarc', 'stalwart-mail-auth', 'dmarc-feedback'] as const;
const ARF_DIR = ['dmarc', 'stalwart-mail-auth', 'arf'] as const;

function vectors(dir: readonly string[]): { name: string; input: string; expected: string }[] {
  if (!hasConformance) return [];
  const folder = conformanceFile(...dir);
  return fs
    .readdirSync(folder)
    .filter((f) => /^\d+\.(xml|eml)$/.test(f))
    .sort()
    .map((f) => ({
      name: f,
      input: `${folder}/${f}`,
      expected: `${folder}/${f.replace(/\.(xml|eml)$/, '.json')}`,
    }));
}

// ---- stalwart's enums to ours ----

type Json = Record<string, unknown>;

const enumMap =
  (map: Record<string, string | null>) =>
  (value: unknown): string | null => {
    const mapped = map[String(value)];
    if (mapped === undefined) throw new Error(`no mapping for stalwart value ${JSON.stringify(value)}`);
    return mapped;
  };
const alignment = enumMap({ Unspecified: null, Relaxed: 'r', Strict: 's' });
const action = enumMap({ Unspecified: null, None: 'none', Quarantine: 'quarantine', Reject: 'reject' });
const disposition = enumMap({
  Unspecified: null,
  None: 'none',
  Pass: 'pass',
  Quarantine: 'quarantine',
  Reject: 'reject',
});
const dmarcResult = enumMap({ Unspecified: null, Pass: 'pass', Fail: 'fail' });
const dkimResult = enumMap({
  None: 'none',
  Pass: 'pass',
  Fail: 'fail',
  Policy: 'policy',
  Neutral: 'neutral',
  TempError: 'temperror',
  PermError: 'permerror',
});
const spfResult = enumMap({
  None: 'none',
  Neutral: 'neutral',
  Pass: 'pass',
  Fail: 'fail',
  SoftFail: 'softfail',
  TempError: 'temperror',
  PermError: 'permerror',
});
const spfScope = enumMap({ Unspecified: null, Helo: 'helo', MailFrom: 'mfrom' });
const discovery = enumMap({ Unspecified: null, Psl: 'psl', Treewalk: 'treewalk' });
const overrideType = enumMap({
  Forwarded: 'forwarded',
  SampledOut: 'sampled_out',
  TrustedForwarder: 'trusted_forwarder',
  MailingList: 'mailing_list',
  LocalPolicy: 'local_policy',
  PolicyTestMode: 'policy_test_mode',
  Other: 'other',
});
const emptyToNull = (v: unknown) => (v === '' || v === undefined ? null : (v as string | null));

/** A report in the shape of facts both models hold; `undefined` fields are absent from stalwart's JSON. */
function expectedAggregate(json: Json) {
  const meta = json.report_metadata as Json;
  const policy = json.policy_published as Json;
  const range = meta.date_range as Json;
  return {
    version: json.version as number,
    reporter: {
      orgName: meta.org_name,
      email: emptyToNull(meta.email),
      extraContact: emptyToNull(meta.extra_contact_info),
      reportId: meta.report_id,
      dateRange: { begin: range.begin, end: range.end },
      errors: meta.error,
      ...('generator' in meta ? { generator: meta.generator } : {}),
    },
    policyPublished: {
      domain: policy.domain,
      adkim: alignment(policy.adkim),
      aspf: alignment(policy.aspf),
      p: action(policy.p),
      sp: action(policy.sp),
      ...('np' in policy ? { np: action(policy.np) } : {}),
      fo: policy.fo,
      testing: policy.testing,
      ...('discovery_method' in policy ? { discoveryMethod: discovery(policy.discovery_method) } : {}),
    },
    records: (json.record as Json[]).map((rec) => {
      const row = rec.row as Json;
      const evaluated = row.policy_evaluated as Json;
      const ids = rec.identifiers as Json;
      const auth = rec.auth_results as Json;
      return {
        sourceIp: row.source_ip,
        count: row.count,
        policyEvaluated: {
          disposition: disposition(evaluated.disposition),
          dkim: dmarcResult(evaluated.dkim),
          spf: dmarcResult(evaluated.spf),
          reasons: (evaluated.reason as Json[]).map((r) => ({
            type: overrideType(r.type_),
            comment: emptyToNull(r.comment),
          })),
        },
        identifiers: {
          headerFrom: emptyToNull(ids.header_from),
          envelopeFrom: emptyToNull(ids.envelope_from),
          envelopeTo: emptyToNull(ids.envelope_to),
        },
        authResults: {
          dkim: (auth.dkim as Json[]).map((d) => ({
            domain: d.domain,
            selector: emptyToNull(d.selector),
            result: dkimResult(d.result),
            humanResult: emptyToNull(d.human_result),
          })),
          spf: (auth.spf as Json[]).map((s) => ({
            domain: s.domain,
            scope: spfScope(s.scope),
            result: spfResult(s.result),
            humanResult: emptyToNull(s.human_result),
          })),
        },
      };
    }),
  };
}

/**
 * Our report seen through stalwart's lens: an absent version reads 0, an absent testing flag false, and the
 * RFC 7489 override reasons that RFC 9990 dropped (sampled_out, forwarded) are what stalwart calls Other.
 * The fields stalwart does not give (pct, the extensions we ignore) are left out.
 */
function asStalwartSees(
  report: AggregateReport,
  records: AggregateRecord[],
  expected: ReturnType<typeof expectedAggregate>,
) {
  const { reporter, policyPublished: p } = report;
  return {
    version: Number(report.version ?? 0),
    reporter: {
      orgName: reporter.orgName,
      email: reporter.email,
      extraContact: reporter.extraContact,
      reportId: reporter.reportId,
      dateRange: reporter.dateRange,
      errors: reporter.errors,
      ...('generator' in expected.reporter ? { generator: reporter.generator } : {}),
    },
    policyPublished: {
      domain: p.domain,
      adkim: p.adkim,
      aspf: p.aspf,
      p: p.p,
      sp: p.sp,
      ...('np' in expected.policyPublished ? { np: p.np } : {}),
      fo: p.fo,
      testing: p.testing ?? false,
      ...('discoveryMethod' in expected.policyPublished ? { discoveryMethod: p.discoveryMethod } : {}),
    },
    records: records.map((r) => ({
      ...r,
      policyEvaluated: {
        ...r.policyEvaluated,
        reasons: r.policyEvaluated.reasons.map((reason) => ({
          ...reason,
          type: reason.type === 'sampled_out' || reason.type === 'forwarded' ? 'other' : reason.type,
        })),
      },
    })),
  };
}

const authFailure = enumMap({
  Unspecified: null,
  Adsp: 'adsp',
  BodyHash: 'bodyhash',
  Revoked: 'revoked',
  Signature: 'signature',
  Spf: 'spf',
  Dmarc: 'dmarc',
});
const deliveryResult = enumMap({
  Unspecified: null,
  Delivered: 'delivered',
  Spam: 'spam',
  Policy: 'policy',
  Reject: 'reject',
  Other: 'other',
});
const identityAlignment = enumMap({
  Unspecified: null,
  None: 'none',
  Spf: 'spf',
  Dkim: 'dkim',
  DkimSpf: 'dkim-spf',
});
const feedbackType = enumMap({
  Abuse: 'abuse',
  AuthFailure: 'auth-failure',
  Fraud: 'fraud',
  NotSpam: 'not-spam',
  Other: 'other',
  Virus: 'virus',
});

function expectedFailure(json: Json) {
  return {
    feedbackType: feedbackType(json.feedback_type),
    arrivalDate: json.arrival_date,
    authenticationResults: json.authentication_results,
    incidents: json.incidents,
    originalEnvelopeId: json.original_envelope_id,
    originalMailFrom: json.original_mail_from,
    originalRcptTo: json.original_rcpt_to,
    reportedDomains: json.reported_domain,
    reportedUris: json.reported_uri,
    reportingMta: json.reporting_mta,
    sourceIp: json.source_ip,
    userAgent: json.user_agent,
    version: json.version,
    sourcePort: json.source_port,
    authFailure: authFailure(json.auth_failure),
    deliveryResult: deliveryResult(json.delivery_result),
    dkim: {
      adspDns: json.dkim_adsp_dns,
      canonicalizedBody: json.dkim_canonicalized_body,
      canonicalizedHeader: json.dkim_canonicalized_header,
      domain: json.dkim_domain,
      identity: json.dkim_identity,
      selector: json.dkim_selector,
      selectorDns: json.dkim_selector_dns,
    },
    spfDns: json.spf_dns,
    identityAlignment: identityAlignment(json.identity_alignment),
  };
}

/** Ours through stalwart's lens: one Original-Rcpt-To, version as a number, no port read as 0. */
function failureAsStalwartSees(r: FailureReport) {
  return {
    feedbackType: r.feedbackType,
    arrivalDate: r.arrivalDate,
    authenticationResults: r.authenticationResults,
    incidents: r.incidents,
    originalEnvelopeId: r.originalEnvelopeId,
    originalMailFrom: r.originalMailFrom,
    originalRcptTo: r.originalRcptTo[0] ?? null,
    reportedDomains: r.reportedDomains,
    reportedUris: r.reportedUris,
    reportingMta: r.reportingMta,
    sourceIp: r.sourceIp,
    userAgent: r.userAgent,
    version: r.version === null ? null : Number(r.version),
    sourcePort: r.sourcePort ?? 0,
    authFailure: r.authFailure,
    deliveryResult: r.deliveryResult,
    dkim: r.dkim,
    spfDns: r.spfDns,
    identityAlignment: r.identityAlignment,
  };
}

describe.skipIf(!hasConformance)('conformance: stalwart aggregate report vectors', () => {
  const cases = vectors(AGGREGATE_DIR);

  it('finds the vectors', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });

  it.each(cases)('$name', async ({ input, expected }) => {
    const json = JSON.parse(fs.readFileSync(expected, 'utf8')) as Json;
    const { outcome, aggregates } = await collectReports(input);
    expect(outcome.kind).toBe('aggregate');
    expect(aggregates).toHaveLength(1);
    const [{ report, records, summary }] = aggregates as [(typeof aggregates)[0]];
    const want = expectedAggregate(json);
    expect(asStalwartSees(report, records, want)).toEqual(want);
    expect(summary.records).toBe(want.records.length);
    expect(summary.skippedRecords).toBe(0);
  });
});

describe.skipIf(!hasConformance)('conformance: stalwart ARF vectors', () => {
  const cases = vectors(ARF_DIR);

  it('finds the vectors', () => {
    expect(cases.length).toBeGreaterThanOrEqual(5);
  });

  it.each(cases)('$name', async ({ input, expected }) => {
    const json = JSON.parse(fs.readFileSync(expected, 'utf8')) as Json;
    const { outcome, failures } = await collectReports(input);
    expect(outcome.kind).toBe('failure');
    expect(failures).toHaveLength(1);
    const report = failures[0]!;
    expect(failureAsStalwartSees(report)).toEqual(expectedFailure(json));
    // The original headers: a text/rfc822-headers part as it came; else the embedded message's header block
    // (which stalwart keeps as the message, dropped from its comparison).
    if (json.headers !== null) expect(report.originalHeaders).toBe(json.headers);
    else expect(report.originalHeaders).toMatch(/^(?:[\w-]+:.*\n(?:[ \t].*\n)*)+$/);
    expect(report.email?.subject).toBeTruthy();
  });
});
