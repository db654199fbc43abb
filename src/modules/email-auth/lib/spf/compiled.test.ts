import { describe, expect, it } from 'vitest';
import { spfRecordOf, type CompiledRecord } from './compiled.ts';

function compiled(answers: string[][]): CompiledRecord {
  const found = spfRecordOf(answers);
  if (found.kind !== 'one') throw new Error(`no record: ${found.kind}`);
  return found.record;
}

describe('spfRecordOf', () => {
  it('keeps the record per answer list, and compiles each record text once', () => {
    const answers = [
      ['v=spf1 ip4:192.0.2.0/24 include:_spf.compiled-a.example -all'],
      ['site-verification=1'],
    ];
    const first = spfRecordOf(answers);
    expect(spfRecordOf(answers)).toBe(first);
    // Another answer list (the same name asked again once its TTL ran out, say) holding the same record text.
    const again = [
      ['site-verification=1'],
      ['v=spf1 ip4:192.0.2.0/24 ', 'include:_spf.compiled-a.example -all'],
    ];
    expect(compiled(again)).toBe(compiled(answers));
  });

  it('compiles a changed record afresh', () => {
    const before = compiled([['v=spf1 ip4:192.0.2.0/24 -all']]);
    const after = compiled([['v=spf1 ip4:198.51.100.0/24 -all']]);
    expect(after).not.toBe(before);
    expect(after.terms[0]).toMatchObject({ mechanism: 'ip4', text: 'ip4:198.51.100.0/24', prefix: 24 });
  });

  it('gives every term the same fields, and works out targets without macros once', () => {
    const record = compiled([
      [
        'v=spf1 all ip4:192.0.2.1 ip6:2001:db8::/32 a a:Mail.Example.com/24//64 mx ptr:example.org ' +
          'exists:%{i}.in.example.net include:_spf.example.com. ~all redirect=_spf.example.org exp=why.%{d}',
      ],
    ]);
    const fields = Object.keys(record.terms[0]!);
    for (const t of record.terms) expect(Object.keys(t)).toEqual(fields);
    const byText = new Map(record.terms.map((t) => [t.text, t]));
    expect(byText.get('a:Mail.Example.com/24//64')).toMatchObject({
      cidr4: 24,
      cidr6: 64,
      target: { fixed: { name: 'Mail.Example.com', queryable: true, spfDomain: true } },
    });
    expect(byText.get('a')).toMatchObject({ target: null, cidr4: 32, cidr6: 128 });
    expect(byText.get('include:_spf.example.com.')?.target?.fixed?.name).toBe('_spf.example.com');
    expect(byText.get('exists:%{i}.in.example.net')?.target?.fixed).toBeNull();
    expect(byText.get('~all')).toMatchObject({ qualifier: '~', network: null });
    expect(record.redirect).toMatchObject({
      text: 'redirect=_spf.example.org',
      target: { fixed: { name: '_spf.example.org' } },
    });
    expect(record.exp?.fixed).toBeNull();
  });

  it('tells no record, several records and a record that does not parse apart', () => {
    expect(spfRecordOf([['site-verification=1']])).toEqual({ kind: 'none' });
    expect(spfRecordOf([['v=spf1 -all'], ['v=spf1 +all']])).toMatchObject({ kind: 'several' });
    expect(spfRecordOf([['v=spf1 ip4:300.0.2.0/24 -all']])).toMatchObject({
      kind: 'invalid',
      error: expect.stringContaining('300.0.2.0'),
    });
  });
});
