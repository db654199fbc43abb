// Pure parsing of a requirement-mapping CSV: source_framework,source_ref,target_framework,target_ref,relation[,note].
import { parse } from 'csv-parse/sync';

export const MAPPING_RELATIONS = ['equivalent', 'subset', 'superset', 'intersects'] as const;
export type MappingRelation = (typeof MAPPING_RELATIONS)[number];
export const MAPPING_CSV_COLUMNS = [
  'source_framework',
  'source_ref',
  'target_framework',
  'target_ref',
  'relation',
  'note',
] as const;

export interface MappingCsvRow {
  line: number;
  sourceFramework: string;
  sourceRef: string;
  targetFramework: string;
  targetRef: string;
  relation: MappingRelation;
  note: string | null;
}

export function parseMappingsCsv(
  text: string,
  maxErrors = 1000,
): { rows: MappingCsvRow[]; errors: { line: number; message: string }[]; errorCount: number; total: number } {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    const e = err as { lines?: number; message: string };
    return {
      rows: [],
      errors: [{ line: e.lines ?? 1, message: `The file is not valid CSV: ${e.message}` }],
      errorCount: 1,
      total: 0,
    };
  }
  const header = records[0]?.record.map((h) => h.trim().toLowerCase());
  if (!header)
    return {
      rows: [],
      errors: [{ line: 1, message: 'The file is empty; expected a header row' }],
      errorCount: 1,
      total: 0,
    };
  const required = MAPPING_CSV_COLUMNS.slice(0, 5);
  const missing = required.filter((c) => !header.includes(c));
  const unknown = header.filter((h) => !(MAPPING_CSV_COLUMNS as readonly string[]).includes(h));
  if (missing.length || unknown.length) {
    const parts = [
      missing.length ? `missing column(s): ${missing.join(', ')}` : '',
      unknown.length ? `unknown column(s): ${unknown.join(', ')}` : '',
    ].filter(Boolean);
    return {
      rows: [],
      errors: [
        {
          line: 1,
          message: `Header: ${parts.join('; ')}. Expected columns: ${MAPPING_CSV_COLUMNS.join(', ')}`,
        },
      ],
      errorCount: 1,
      total: records.length - 1,
    };
  }
  const col = (rec: string[], name: string) => (rec[header.indexOf(name)] ?? '').trim();
  const rows: MappingCsvRow[] = [];
  const errors: { line: number; message: string }[] = [];
  let errorCount = 0;
  const seen = new Map<string, number>();
  for (const { record, info } of records.slice(1)) {
    const problems: string[] = [];
    const row = {
      line: info.lines,
      sourceFramework: col(record, 'source_framework'),
      sourceRef: col(record, 'source_ref'),
      targetFramework: col(record, 'target_framework'),
      targetRef: col(record, 'target_ref'),
      relation: col(record, 'relation').toLowerCase() as MappingRelation,
      note: col(record, 'note') || null,
    };
    for (const k of ['sourceFramework', 'sourceRef', 'targetFramework', 'targetRef'] as const)
      if (!row[k]) problems.push(`${k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)} is empty`);
    if (!MAPPING_RELATIONS.includes(row.relation))
      problems.push(`relation "${col(record, 'relation')}" is not one of ${MAPPING_RELATIONS.join(', ')}`);
    if (row.sourceFramework && row.sourceFramework === row.targetFramework && row.sourceRef === row.targetRef)
      problems.push('a requirement cannot map to itself');
    const key = `${row.sourceFramework}\u0000${row.sourceRef}\u0000${row.targetFramework}\u0000${row.targetRef}`;
    const first = seen.get(key);
    if (first !== undefined) problems.push(`the same mapping already appears on line ${first}`);
    else seen.set(key, row.line);
    if (problems.length) {
      errorCount += 1;
      if (errors.length < maxErrors) errors.push({ line: row.line, message: problems.join('; ') });
      continue;
    }
    rows.push(row);
  }
  return { rows, errors, errorCount, total: records.length - 1 };
}
