import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ChainVerifier,
  GENESIS_HASH,
  canonicalJson,
  entryHash,
  type ChainRow,
  type ChainedFields,
} from './chain.ts';

function chain(n: number): ChainRow[] {
  const rows: ChainRow[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const fields = {
      seq,
      id: `id-${seq}`,
      occurredAt: `2026-01-01T00:00:0${seq % 10}.000Z`,
      actorUserId: null,
      actorLabel: 'test',
      action: 'thing.update',
      entityType: 'thing',
      entityId: `t${seq}`,
      companyId: null,
      beforeJson: canonicalJson({ n: seq - 1 }),
      afterJson: canonicalJson({ n: seq }),
      requestId: null,
    };
    const hash = entryHash(prev, fields);
    rows.push({ ...fields, prevHash: prev, hash });
    prev = hash;
  }
  return rows;
}

const verify = (rows: ChainRow[], head: { seq: number; hash: string }) => {
  const v = new ChainVerifier();
  for (const r of rows) if (!v.push(r)) break;
  return v.finish(head);
};

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[2,{"y":2,"z":1}]},"b":1}',
    );
  });
});

describe('entryHash', () => {
  // Entries written before entryHash built its own string were hashed this way: they must still verify.
  const definition = (prev: string, fields: ChainedFields) =>
    createHash('sha256').update(prev).update('\n').update(canonicalJson(fields)).digest('hex');
  const odd = [
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

  it('hashes the canonical JSON of the fields after the previous hash', () => {
    for (const s of odd)
      for (const t of [...odd, null]) {
        const fields: ChainedFields = {
          seq: s.length + 1,
          id: `id-${s}`,
          occurredAt: '2026-01-01T00:00:00.000Z',
          actorUserId: t,
          actorLabel: s,
          action: 'thing.update',
          entityType: 'thing',
          entityId: t,
          companyId: t,
          beforeJson: t === null ? null : canonicalJson({ b: t, a: [s, { z: 1, y: s }] }),
          afterJson: canonicalJson({ name: s, 日本: t, list: [t, s] }),
          requestId: t,
        };
        expect(entryHash(GENESIS_HASH, fields)).toBe(definition(GENESIS_HASH, fields));
      }
  });

  it('covers only the chained fields of the row it is given', () => {
    const [row] = chain(1);
    const { prevHash: _p, hash, ...fields } = row!;
    expect(entryHash(GENESIS_HASH, row!)).toBe(hash);
    expect(entryHash(GENESIS_HASH, fields)).toBe(definition(GENESIS_HASH, fields));
  });
});

describe('ChainVerifier', () => {
  const rows = chain(5);
  const head = { seq: 5, hash: rows[4]!.hash };

  it('accepts an intact chain', () => {
    expect(verify(rows, head)).toEqual({ ok: true, entries: 5, headHash: head.hash });
  });

  it('names an edited entry', () => {
    const edited = rows.map((r) => (r.seq === 3 ? { ...r, afterJson: '{"n":999}' } : r));
    expect(verify(edited, head)).toMatchObject({ ok: false, brokenSeq: 3, brokenId: 'id-3' });
  });

  it('names a deleted entry in the middle', () => {
    expect(
      verify(
        rows.filter((r) => r.seq !== 2),
        head,
      ),
    ).toMatchObject({ ok: false, brokenSeq: 2 });
  });

  it('detects entries deleted from the end against the recorded head', () => {
    expect(verify(rows.slice(0, 3), head)).toMatchObject({ ok: false, brokenSeq: 4 });
  });

  it('detects a re-hashed entry whose successor no longer links to it', () => {
    const r3 = rows[2]!;
    const forged = { ...r3, afterJson: '{"n":0}' };
    const { prevHash: _p, hash: _h, ...fields } = forged;
    const rehashed = { ...forged, hash: entryHash(r3.prevHash, fields) };
    expect(
      verify(
        rows.map((r) => (r.seq === 3 ? rehashed : r)),
        head,
      ),
    ).toMatchObject({ ok: false, brokenSeq: 4 });
  });
});
