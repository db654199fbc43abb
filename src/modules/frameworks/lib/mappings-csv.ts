// Pure parsing of a requirement-mapping CSV: source_framework,source_ref,target_framework,target_ref,relation[,note].
import { parse } from 'csv-parse/sync';
import { headerError } from '../../../platform/csv.ts';
import { RowIssues, rowError, type RowError } from '../../../platform/errors.ts';

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
): { rows: MappingCsvRow[]; errors: RowError[]; errorCount: number; total: number } {
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
      errors: [rowError(e.lines ?? 1, 'file', 'invalid_csv', `The file is not valid CSV: ${e.message}`)],
      errorCount: 1,
      total: 0,
    };
  }
  const header = records[0]?.record.map((h) => h.trim().toLowerCase());
  if (!header)
    return {
      rows: [],
      errors: [rowError(1, 'file', 'empty_file', 'The file is empty; expected a header row')],
      errorCount: 1,
      total: 0,
    };
  const required = MAPPING_CSV_COLUMNS.slice(0, 5);
  const missing = required.filter((c) => !header.includes(c));
  const unknown = header.filter((h) => !(MAPPING_CSV_COLUMNS as readonly string[]).includes(h));
  if (missing.length || unknown.length) {
    return {
      rows: [],
      errors: [headerError(missing, unknown, [], MAPPING_CSV_COLUMNS)],
      errorCount: 1,
      total: records.length - 1,
    };
  }
  const col = (rec: string[], name: string) => (rec[header.indexOf(name)] ?? '').trim();
  const rows: MappingCsvRow[] = [];
  const errors: RowError[] = [];
  let errorCount = 0;
  const seen = new Map<string, number>();
  for (const { record, info } of records.slice(1)) {
    const problems = new RowIssues();
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
      if (!row[k]) problems.required(k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
    if (!MAPPING_RELATIONS.includes(row.relation))
      problems.notOneOf('relation', col(record, 'relation'), MAPPING_RELATIONS);
    if (row.sourceFramework && row.sourceFramework === row.targetFramework && row.sourceRef === row.targetRef)
      problems.add('target_ref', 'self_reference', 'a requirement cannot map to itself');
    const key = `${row.sourceFramework}\u0000${row.sourceRef}\u0000${row.targetFramework}\u0000${row.targetRef}`;
    const first = seen.get(key);
    if (first !== undefined)
      problems.add('row', 'duplicate_row', `the same mapping already appears on line ${first}`, {
        line: first,
      });
    else seen.set(key, row.line);
    if (problems.size) {
      errorCount += 1;
      if (errors.length < maxErrors) errors.push(problems.error(row.line));
      continue;
    }
    rows.push(row);
  }
  return { rows, errors, errorCount, total: records.length - 1 };
}
