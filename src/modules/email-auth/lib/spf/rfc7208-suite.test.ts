// The openspf.org RFC 7208 conformance suite, read from the shared copy, every case against the zone-data resolver.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { conformanceFile, hasConformance } from '../../../../../test/support/conformance.ts';
import { zoneResolver } from '../zonedata.ts';
import { parseSuite, runSuiteCase } from './suite.ts';

const scenarios = hasConformance
  ? parseSuite(fs.readFileSync(conformanceFile('spf', 'rfc7208-tests.yml'), 'utf8'))
  : [];

describe.runIf(hasConformance)('RFC 7208 test suite', () => {
  it('holds the 16 scenarios and 203 cases its README describes', () => {
    expect(scenarios).toHaveLength(16);
    expect(scenarios.flatMap((s) => s.cases)).toHaveLength(203);
  });

  describe.each(scenarios.map((s) => ({ ...s, resolver: zoneResolver(s.zonedata) })))(
    '$description',
    ({ cases, resolver }) => {
      it.each(cases.map((c) => ({ ...c, label: `${c.name}: ${c.results.join('|')}` })))(
        '$label',
        async (c) => {
          const { passed, reason, outcome } = await runSuiteCase(c, resolver);
          expect({ passed, reason, problems: outcome.problems }).toMatchObject({
            passed: true,
            reason: undefined,
          });
        },
      );
    },
  );
});
