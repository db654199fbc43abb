import { describe, expect, it } from 'vitest';
import { finding, quote, worstSeverity } from './findings.ts';
import { parseTagList } from './tags.ts';

const codes = (text: string, lowerNames = false) =>
  parseTagList(text, { prefix: 'x', lowerNames }).findings.map((f) => `${f.code}:${f.severity}`);

describe('tag lists', () => {
  it('reads tags in order, trimming whitespace, allowing a trailing ";"', () => {
    expect(parseTagList(' v = 1 ;k=rsa ; p=AB CD;', { prefix: 'x' })).toEqual({
      tags: [
        { name: 'v', value: '1' },
        { name: 'k', value: 'rsa' },
        { name: 'p', value: 'AB CD' },
      ],
      findings: [],
    });
  });

  it('lower-cases names on request and keeps them otherwise', () => {
    expect(parseTagList('V=1', { prefix: 'x', lowerNames: true }).tags[0]!.name).toBe('v');
    expect(parseTagList('V=1', { prefix: 'x' }).tags[0]!.name).toBe('V');
  });

  it('reports empty tags, missing "=", bad names and duplicates', () => {
    expect(codes('a=1;;b=2')).toEqual(['x-tag-syntax:warning']);
    expect(codes('a=1; junk')).toEqual(['x-tag-syntax:error']);
    expect(codes('a=1; 9x=2')).toEqual(['x-tag-syntax:error']);
    expect(codes('a=1; A=2', true)).toEqual(['x-tag-duplicate:error']);
    expect(parseTagList('a=1; a=2', { prefix: 'x' }).tags).toEqual([{ name: 'a', value: '1' }]);
  });
});

describe('findings helpers', () => {
  it('finds the worst severity', () => {
    expect(worstSeverity([])).toBeNull();
    expect(worstSeverity([finding('a', 'info', '')])).toBe('info');
    expect(worstSeverity([finding('a', 'info', ''), finding('b', 'warning', '')])).toBe('warning');
    expect(worstSeverity([finding('a', 'error', ''), finding('b', 'warning', '')])).toBe('error');
  });

  it('quotes and cuts long text', () => {
    expect(quote('a\nb')).toBe('"a\\nb"');
    expect(quote('abcdef', 3)).toBe('"abc…"');
  });
});
