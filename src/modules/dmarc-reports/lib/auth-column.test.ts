import { describe, expect, it } from 'vitest';
import { decodeAuthResults, encodeAuthResults, type AuthResults } from './auth-column.ts';

const results = (over: Partial<AuthResults> = {}): AuthResults => ({
  dkim: [{ domain: 'shop.example', selector: 's1', result: 'pass', humanResult: null }],
  spf: [{ domain: 'bounce.shop.example', scope: 'mfrom', result: 'softfail', humanResult: null }],
  ...over,
});

describe('the auth column', () => {
  it('is positional JSON without the empty human results', () => {
    const text = encodeAuthResults(results());
    expect(text).toBe('[[["shop.example","s1","pass"]],[["bounce.shop.example","mfrom","softfail"]]]');
    expect(JSON.parse(text)).toEqual([
      [['shop.example', 's1', 'pass']],
      [['bounce.shop.example', 'mfrom', 'softfail']],
    ]);
    expect(encodeAuthResults({ dkim: [], spf: [] })).toBe('[[],[]]');
    expect(text.length).toBeLessThan(JSON.stringify(results()).length / 2);
  });

  it('reads back what it wrote, whatever the text holds', () => {
    const odd = [
      'quote " and backslash \\',
      'line\nbreak\ttab\u0000nul\u001f',
      'separators \u2028 \u2029',
      'lone surrogate \ud800 and a pair 😀',
      '日本語のテキスト',
      '',
    ];
    for (const s of odd) {
      const a = results({
        dkim: [
          { domain: s, selector: null, result: 'fail', humanResult: s },
          { domain: 'b.example', selector: s, result: 'none', humanResult: null },
        ],
        spf: [{ domain: s, scope: null, result: 'pass', humanResult: s }],
      });
      const text = encodeAuthResults(a);
      expect(() => JSON.parse(text)).not.toThrow();
      expect(decodeAuthResults(text)).toEqual(a);
    }
  });

  it('reads the object form of rows stored before', () => {
    const a = results({ spf: [{ domain: 'x.example', scope: null, result: 'fail', humanResult: 'no' }] });
    expect(decodeAuthResults(JSON.stringify(a))).toEqual(a);
  });
});
