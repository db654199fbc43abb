// SPF test suites in the openspf.org YAML format (rfc7208-tests.yml): reading them, running one case, judging it.
import { parseAllDocuments } from 'yaml';
import type { DnsResolver } from '../dns.ts';
import type { ZoneData } from '../zonedata.ts';
import {
  checkSender,
  SPF_RESULTS,
  type CheckHostOptions,
  type SpfOutcome,
  type SpfResult,
} from './check-host.ts';

export interface SuiteCase {
  scenario: string;
  name: string;
  description?: string;
  spec?: string;
  ip: string;
  mailFrom: string;
  helo: string;
  /** Any of these passes. */
  results: SpfResult[];
  /** For a fail: the expected explanation, or DEFAULT for none from an exp= modifier. */
  explanation?: string;
}

export interface SuiteScenario {
  description: string;
  zonedata: ZoneData;
  cases: SuiteCase[];
}

export interface CaseOutcome {
  case: SuiteCase;
  outcome: SpfOutcome;
  passed: boolean;
  /** Why it failed. */
  reason?: string;
}

/** Reads a multi-document suite; throws with a message naming the scenario and case on anything malformed. */
export function parseSuite(text: string): SuiteScenario[] {
  const scenarios: SuiteScenario[] = [];
  for (const doc of parseAllDocuments(text)) {
    if ('errors' in doc && doc.errors.length > 0)
      throw new Error(`not valid YAML: ${doc.errors[0]!.message}`);
    const raw = doc.toJS() as unknown;
    if (raw === null || raw === undefined) continue;
    if (!isMap(raw) || !isMap(raw.tests)) throw new Error('each suite document needs a "tests" map');
    const description = String(raw.description ?? `scenario ${scenarios.length + 1}`);
    const cases: SuiteCase[] = [];
    for (const [name, t] of Object.entries(raw.tests)) {
      const where = `${description} / ${name}`;
      if (!isMap(t)) throw new Error(`${where}: a test must be a map`);
      const results = (Array.isArray(t.result) ? t.result : [t.result]).map((r) => String(r).toLowerCase());
      const unknown = results.filter((r) => !(SPF_RESULTS as readonly string[]).includes(r));
      if (results.length === 0 || unknown.length > 0)
        throw new Error(`${where}: result must be one or more of ${SPF_RESULTS.join(', ')}`);
      if (t.host === undefined || t.helo === undefined)
        throw new Error(`${where}: host and helo are required`);
      cases.push({
        scenario: description,
        name,
        ...(t.description ? { description: String(t.description) } : {}),
        ...(t.spec !== undefined ? { spec: String(t.spec) } : {}),
        ip: String(t.host),
        mailFrom: String(t.mailfrom ?? ''),
        helo: String(t.helo),
        results: results as SpfResult[],
        ...(t.explanation !== undefined ? { explanation: String(t.explanation) } : {}),
      });
    }
    const zonedata = raw.zonedata ?? {};
    if (!isMap(zonedata)) throw new Error(`${description}: zonedata must be a map`);
    scenarios.push({ description, zonedata, cases });
  }
  return scenarios;
}

export async function runSuiteCase(
  c: SuiteCase,
  resolver: DnsResolver,
  options: CheckHostOptions = {},
): Promise<CaseOutcome> {
  const outcome = await checkSender({ ip: c.ip, mailFrom: c.mailFrom, helo: c.helo }, resolver, {
    receiver: 'mamori.test',
    ...options,
  });
  return { case: c, outcome, ...judge(c, outcome) };
}

/**
 * A case passes when the result is one of those listed and, for a fail with an expected explanation, the
 * explanation matches. DEFAULT means no explanation from an exp= modifier. Explanations are compared without
 * regard to case: the suite writes the nibbles of %{i} for IPv6 in upper case, RFC 7208 (section 7.4) in lower
 * case, and DNS names are case-insensitive anyway.
 */
export function judge(c: SuiteCase, outcome: SpfOutcome): { passed: boolean; reason?: string } {
  if (!c.results.includes(outcome.result))
    return { passed: false, reason: `expected ${c.results.join(' or ')}, got ${outcome.result}` };
  if (outcome.result !== 'fail' || c.explanation === undefined) return { passed: true };
  if (c.explanation === 'DEFAULT') {
    return outcome.explanation === undefined
      ? { passed: true }
      : { passed: false, reason: `expected the default explanation, got "${outcome.explanation}"` };
  }
  return outcome.explanation?.toLowerCase() === c.explanation.toLowerCase()
    ? { passed: true }
    : {
        passed: false,
        reason: `expected explanation "${c.explanation}", got ${outcome.explanation === undefined ? 'none' : `"${outcome.explanation}"`}`,
      };
}

/** One line for a failed case, as the spf-suite command prints it. */
export const describeFailedCase = (o: CaseOutcome): string =>
  `FAIL ${o.case.scenario} / ${o.case.name}: ${o.reason}${o.outcome.problems?.length ? ` [${o.outcome.problems.join('; ')}]` : ''}`;

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
