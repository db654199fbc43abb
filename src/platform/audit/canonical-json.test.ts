// The audit chain's hashes depend on canonicalJson byte for byte: the fast version must equal the definition.
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './chain.ts';

/** The definition the chain was first written with. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const KEYS = [
  'a',
  'B',
  'z',
  'é',
  'ä',
  '日本',
  'key "quoted"',
  'new\nline',
  '',
  '10',
  '9',
  'aa',
  'a b',
  '\u2028',
];
const STRINGS = [
  '',
  'x',
  'say "hi"',
  'back\\slash',
  'tab\tline\n',
  '日本語',
  '\u0000',
  '\ud83d\ude00',
  '\ud800',
];

function randomValue(rand: () => number, depth: number): unknown {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  const r = rand();
  if (depth > 3 || r < 0.35) {
    return pick<unknown>([
      null,
      undefined,
      true,
      false,
      0,
      -0,
      1.5,
      1e21,
      Number.NaN,
      Infinity,
      -42,
      ...STRINGS,
    ]);
  }
  if (r < 0.6) {
    const arr: unknown[] = Array.from({ length: Math.floor(rand() * 5) }, () => randomValue(rand, depth + 1));
    if (rand() < 0.2) arr[arr.length + 1] = 'after a hole';
    return arr;
  }
  const obj: Record<string, unknown> = {};
  for (let i = Math.floor(rand() * 6); i > 0; i--) obj[pick(KEYS)] = randomValue(rand, depth + 1);
  return obj;
}

describe('canonicalJson', () => {
  it('equals the definition on thousands of random values', () => {
    const rand = rng(2026);
    for (let i = 0; i < 5000; i++) {
      const v = randomValue(rand, 0);
      expect(canonicalJson(v)).toBe(reference(v));
    }
  });

  it('equals the definition on the odd cases', () => {
    const holey: unknown[] = [];
    holey[0] = 1;
    holey[2] = 3;
    const cases: unknown[] = [
      { b: 1, a: holey, c: undefined, d: () => 1, e: new Date(0), f: [() => 1, undefined] },
      [undefined, null, { z: { y: { x: [] } } }],
      'plain',
      42,
      null,
      undefined,
      {},
      [],
    ];
    for (const v of cases) expect(canonicalJson(v)).toBe(reference(v));
  });

  it('equals the definition on random values built with their keys in sorted order', () => {
    // The values JSON.stringify writes directly, and ones that turn out not to be (a hole, an odd value deep down).
    const sortedDeep = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(sortedDeep);
      if (v === null || typeof v !== 'object') return v;
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, sortedDeep((v as Record<string, unknown>)[k])]),
      );
    };
    const rand = rng(7);
    for (let i = 0; i < 5000; i++) {
      const v = sortedDeep(randomValue(rand, 0));
      expect(canonicalJson(v)).toBe(reference(v));
    }
  });

  it('equals the definition on objects whose keys come sorted, partly sorted or inherited', () => {
    const inheriting = Object.create({ b: 'inherited', a: 'inherited' }) as Record<string, unknown>;
    inheriting.a = 2;
    inheriting.c = 1;
    const gap: unknown[] = [1];
    gap[2] = 3;
    const bare = Object.create(null) as Record<string, unknown>;
    bare.a = 1;
    bare.b = { c: 2, d: [3] };
    const cases: unknown[] = [
      { a: 1, b: { c: undefined, d: 2 }, c: [{ x: 1, y: 2 }] },
      { a: 1, b: 2, d: 3, c: 4 },
      { a: undefined, b: undefined },
      { '1': 'a', '10': 'b', '9': 'c', a: 1 },
      { aa: 1, a: 2 },
      inheriting,
      bare,
      { a: { toJSON: () => 'x' }, b: 1 },
      { a: new Date(0), b: [1, 2] },
      { a: { toJSON: 1 }, b: new Map([[1, 2]]) },
      { a: gap, b: 'x' },
      { a: [undefined, null, Number.NaN, -0], b: { c: [] } },
      { a: Object.assign(Object.create(null) as object, { y: 1, x: 2 }) },
      {
        a: new (class Point {
          x = 1;
          y = 2;
        })(),
      },
      { a: Symbol('s'), b: () => 1 },
    ];
    for (const v of cases) expect(canonicalJson(v)).toBe(reference(v));
  });
});
