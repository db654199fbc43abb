// Pure parsing and row validation of an HR CSV export of people. No I/O: references are resolved by the service.
import { parse } from 'csv-parse/sync';
import { RowIssues, rowError, type RowError } from '../../../platform/errors.ts';
import { PEOPLE_CSV_COLUMNS, PERSONNEL_CATEGORIES, type PersonnelCategory } from '../org.contract.ts';

export interface PersonCsvRow {
  line: number;
  companyCode: string;
  employeeNumber: string;
  name: string;
  email: string | null;
  personnelCategory: PersonnelCategory;
  departmentCode: string | null;
  managerEmployeeNumber: string | null;
  active: boolean;
}

export type { RowError };

export interface ParsedPeopleCsv {
  rows: PersonCsvRow[];
  errors: RowError[];
  /** Every bad row counts here, also those past the listed `errors`. */
  errorCount: number;
  /** Data rows read, good and bad. */
  total: number;
}

const REQUIRED = ['company_code', 'employee_number', 'name', 'personnel_category'] as const;

/** Category labels as HR systems write them, in English and Japanese, mapped to Mamori's codes. */
const CATEGORY_ALIASES: Record<string, PersonnelCategory> = {
  ...Object.fromEntries(PERSONNEL_CATEGORIES.map((c) => [c, c])),
  director: 'director_officer',
  officer: 'director_officer',
  'director/officer': 'director_officer',
  'director or officer': 'director_officer',
  'regular employee': 'regular_employee',
  'contract employee': 'contract_employee',
  'temporary staff': 'temporary_staff',
  'partner staff': 'partner_staff',
  'outsourced worker': 'outsourced_worker',
  'part-time employee': 'part_time_employee',
  'part-time': 'part_time_employee',
  役員: 'director_officer',
  正社員: 'regular_employee',
  契約社員: 'contract_employee',
  派遣社員: 'temporary_staff',
  パートナー社員: 'partner_staff',
  業務委託者: 'outsourced_worker',
  業務委託: 'outsourced_worker',
  'パート・アルバイト': 'part_time_employee',
  パート: 'part_time_employee',
  アルバイト: 'part_time_employee',
};

const TRUE_WORDS = new Set(['', 'true', '1', 'yes', 'y', 'active', '在籍']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'n', 'inactive', '退職', '休職']);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Moved to the platform, where every CSV import finds it; re-exported for the org module's callers. */
export { decodeCsvBytes } from '../../../platform/csv.ts';
import { headerError } from '../../../platform/csv.ts';

export function parsePeopleCsv(text: string, maxErrors = 1000): ParsedPeopleCsv {
  const errors: RowError[] = [];
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
  const header = records[0];
  if (!header)
    return {
      rows: [],
      errors: [rowError(1, 'file', 'empty_file', 'The file is empty; expected a header row')],
      errorCount: 1,
      total: 0,
    };
  const names = header.record.map((h) => h.trim().toLowerCase());
  const unknown = names.filter((n) => !(PEOPLE_CSV_COLUMNS as readonly string[]).includes(n));
  const missing = REQUIRED.filter((r) => !names.includes(r));
  const dupes = names.filter((n, i) => names.indexOf(n) !== i);
  if (unknown.length || missing.length || dupes.length) {
    return {
      rows: [],
      errors: [headerError(missing, unknown, dupes, PEOPLE_CSV_COLUMNS)],
      errorCount: 1,
      total: records.length - 1,
    };
  }
  const col = (rec: string[], name: string): string => {
    const i = names.indexOf(name);
    return i < 0 ? '' : (rec[i] ?? '').trim();
  };
  const rows: PersonCsvRow[] = [];
  let errorCount = 0;
  const seen = new Map<string, number>();
  for (const { record, info } of records.slice(1)) {
    const line = info.lines;
    const problems = new RowIssues();
    if (record.length !== names.length)
      problems.add('row', 'field_count', `has ${record.length} fields, the header has ${names.length}`, {
        count: record.length,
        expected: names.length,
      });
    const companyCode = col(record, 'company_code');
    const employeeNumber = col(record, 'employee_number');
    const name = col(record, 'name');
    const emailRaw = col(record, 'email');
    const categoryRaw = col(record, 'personnel_category');
    const activeRaw = col(record, 'active').toLowerCase();
    if (!companyCode) problems.required('company_code');
    if (!employeeNumber) problems.required('employee_number');
    else if (employeeNumber.length > 50)
      problems.add('employee_number', 'too_long', 'employee_number is longer than 50 characters', {
        maximum: 50,
      });
    if (!name) problems.required('name');
    else if (name.length > 200)
      problems.add('name', 'too_long', 'name is longer than 200 characters', { maximum: 200 });
    if (emailRaw && (!EMAIL.test(emailRaw) || emailRaw.length > 254))
      problems.add('email', 'invalid_format', `email "${emailRaw}" is not an email address`, {
        format: 'email',
      });
    const category = CATEGORY_ALIASES[categoryRaw.toLowerCase()] ?? CATEGORY_ALIASES[categoryRaw];
    if (!categoryRaw) problems.required('personnel_category');
    else if (!category) problems.notOneOf('personnel_category', categoryRaw, PERSONNEL_CATEGORIES);
    let active = true;
    if (TRUE_WORDS.has(activeRaw)) active = true;
    else if (FALSE_WORDS.has(activeRaw)) active = false;
    else
      problems.add('active', 'not_boolean', `active "${activeRaw}" is not true or false`, {
        value: activeRaw,
      });
    const key = `${companyCode}\u0000${employeeNumber}`;
    if (companyCode && employeeNumber) {
      const first = seen.get(key);
      if (first !== undefined)
        problems.add(
          'employee_number',
          'duplicate_row',
          `employee ${employeeNumber} of ${companyCode} already appears on line ${first}`,
          { line: first },
        );
      else seen.set(key, line);
    }
    if (problems.size > 0) {
      errorCount += 1;
      if (errors.length < maxErrors) errors.push(problems.error(line));
      continue;
    }
    rows.push({
      line,
      companyCode,
      employeeNumber,
      name,
      email: emailRaw ? emailRaw.toLowerCase() : null,
      personnelCategory: category!,
      departmentCode: col(record, 'department_code') || null,
      managerEmployeeNumber: col(record, 'manager_employee_number') || null,
      active,
    });
  }
  return { rows, errors, errorCount, total: records.length - 1 };
}
