import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { conformanceFile, hasConformance } from '../../../../test/support/conformance.ts';
import { OscalError, flattenCatalog, parseOscalCatalog, rebuildCatalog } from './oscal.ts';

const read = (name: string) => fs.readFileSync(conformanceFile('oscal', name), 'utf8');

const minimal = (catalog: object) =>
  JSON.stringify({
    catalog: {
      uuid: '74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724',
      metadata: {
        title: 'T',
        'last-modified': '2026-01-01T00:00:00Z',
        version: '1',
        'oscal-version': '1.1.2',
      },
      ...catalog,
    },
  });

describe('OSCAL catalogs', () => {
  it.runIf(hasConformance)(
    'reads SP 800-53 rev5 whole: 20 groups, 1,189 controls and enhancements, 182 withdrawn, and rebuilds it exactly',
    () => {
      const text = read('NIST_SP-800-53_rev5_catalog.json');
      const doc = parseOscalCatalog(text);
      const { head, nodes } = flattenCatalog(doc);
      expect(nodes.filter((n) => n.kind === 'group')).toHaveLength(20);
      const controls = nodes.filter((n) => n.kind === 'control');
      expect(controls).toHaveLength(1189);
      expect(controls.filter((n) => n.depth === 2)).toHaveLength(867);
      expect(controls.filter((n) => n.withdrawn)).toHaveLength(182);
      const ac2_1 = controls.find((n) => n.ref === 'ac-2.1')!;
      expect(nodes[ac2_1.parentIndex!]!.ref).toBe('ac-2');
      expect(rebuildCatalog(head, nodes)).toEqual(JSON.parse(text));
    },
  );

  it.runIf(hasConformance)('reads the CSF 2.0 catalog: 6 functions, 34 categories, 185 subcategories', () => {
    const { nodes } = flattenCatalog(parseOscalCatalog(read('NIST_CSF_v2.0_catalog-min.json')));
    expect(nodes.filter((n) => n.class === 'function')).toHaveLength(6);
    expect(nodes.filter((n) => n.class === 'category')).toHaveLength(34);
    expect(nodes.filter((n) => n.class === 'subcategory')).toHaveLength(185);
    expect(nodes.filter((n) => n.class === 'subcategory' && !n.withdrawn)).toHaveLength(106);
  });

  it('refuses what is not an OSCAL catalog, naming where', () => {
    expect(() => parseOscalCatalog('not json')).toThrow(/^\$: not JSON/);
    expect(() => parseOscalCatalog('{"profile": {}}')).toThrow(/OSCAL "profile", not a catalog/);
    expect(() => parseOscalCatalog('['.repeat(1_000_000))).toThrow(/nests deeper than 64/);
    expect(() => parseOscalCatalog(minimal({ groups: [{ title: 'G', controls: [{ id: 'c-1' }] }] }))).toThrow(
      /\$\.catalog\.groups\[0\]\.controls\[0\]\.title/,
    );
    expect(() => parseOscalCatalog(minimal({ controls: [{ id: 'c 1', title: 'x' }] }))).toThrow(
      /controls\[0\]\.id: must be an OSCAL token/,
    );
    expect(() => parseOscalCatalog(minimal({ controls: [{ id: 'c-1', title: 'x', shoeSize: 42 }] }))).toThrow(
      /shoeSize/,
    );
    try {
      parseOscalCatalog(
        minimal({
          groups: [
            {
              id: 'g',
              title: 'G',
              controls: [
                { id: 'c-1', title: 'a' },
                { id: 'c-1', title: 'b' },
              ],
            },
          ],
        }),
      );
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(OscalError);
      expect((e as Error).message).toMatch(
        /\$\.catalog\.groups\[0\]\.controls\[1\]: duplicated id "c-1" \(first used at \$\.catalog\.groups\[0\]\.controls\[0\]\)/,
      );
    }
  });
});
