// Field-by-field comparison of an audit entry's before and after images.

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
  /** 'added': only after; 'removed': only before; 'changed': both, different; 'same': both, equal. */
  kind: 'added' | 'removed' | 'changed' | 'same';
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Stable JSON: object keys sorted, so equal values compare equal whatever their key order. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (isRecord(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

export function diffFields(before: unknown, after: unknown): FieldChange[] {
  if (!isRecord(before) && !isRecord(after)) {
    if (before === null && after === null) return [];
    const same = stableStringify(before) === stableStringify(after);
    return [
      {
        field: '(value)',
        before,
        after,
        kind: same ? 'same' : before == null ? 'added' : after == null ? 'removed' : 'changed',
      },
    ];
  }
  const b = isRecord(before) ? before : {};
  const a = isRecord(after) ? after : {};
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return fields.map((field) => {
    const inBefore = field in b && before !== null;
    const inAfter = field in a && after !== null;
    let kind: FieldChange['kind'];
    if (inBefore && !inAfter) kind = 'removed';
    else if (!inBefore && inAfter) kind = 'added';
    else kind = stableStringify(b[field]) === stableStringify(a[field]) ? 'same' : 'changed';
    return { field, before: b[field], after: a[field], kind };
  });
}

/** A value as shown in a table cell. */
export function formatValue(value: unknown): string {
  if (value === undefined) return '';
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value, null, 2);
}
