// Pure parsing and row validation of an HR CSV export of people. No I/O: references are resolved by the service.
import { parse } from 'csv-parse/sync';
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

export interface RowError {
  line: number;
  message: string;
}

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
      errors: [{ line: e.lines ?? 1, message: `The file is not valid CSV: ${e.message}` }],
      errorCount: 1,
      total: 0,
    };
  }
  const header = records[0];
  if (!header)
    return {
      rows: [],
      errors: [{ line: 1, message: 'The file is empty; expected a header row' }],
      errorCount: 1,
      total: 0,
    };
  const names = header.record.map((h) => h.trim().toLowerCase());
  const unknown = names.filter((n) => !(PEOPLE_CSV_COLUMNS as readonly string[]).includes(n));
  const missing = REQUIRED.filter((r) => !names.includes(r));
  const dupes = names.filter((n, i) => names.indexOf(n) !== i);
  if (unknown.length || missing.length || dupes.length) {
    const parts = [
      missing.length ? `missing column(s): ${missing.join(', ')}` : '',
      unknown.length ? `unknown column(s): ${unknown.join(', ')}` : '',
      dupes.length ? `repeated column(s): ${dupes.join(', ')}` : '',
    ].filter(Boolean);
    return {
      rows: [],
      errors: [
        {
          line: 1,
          message: `Header: ${parts.join('; ')}. Expected columns: ${PEOPLE_CSV_COLUMNS.join(', ')}`,
        },
      ],
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
    const problems: string[] = [];
    if (record.length !== names.length)
      problems.push(`has ${record.length} fields, the header has ${names.length}`);
    const companyCode = col(record, 'company_code');
    const employeeNumber = col(record, 'employee_number');
    const name = col(record, 'name');
    const emailRaw = col(record, 'email');
    const categoryRaw = col(record, 'personnel_category');
    const activeRaw = col(record, 'active').toLowerCase();
    if (!companyCode) problems.push('company_code is empty');
    if (!employeeNumber) problems.push('employee_number is empty');
    else if (employeeNumber.length > 50) problems.push('employee_number is longer than 50 characters');
    if (!name) problems.push('name is empty');
    else if (name.length > 200) problems.push('name is longer than 200 characters');
    if (emailRaw && (!EMAIL.test(emailRaw) || emailRaw.length > 254))
      problems.push(`email "${emailRaw}" is not an email address`);
    const category = CATEGORY_ALIASES[categoryRaw.toLowerCase()] ?? CATEGORY_ALIASES[categoryRaw];
    if (!categoryRaw) problems.push('personnel_category is empty');
    else if (!category)
      problems.push(`personnel_category "${categoryRaw}" is not one of ${PERSONNEL_CATEGORIES.join(', ')}`);
    let active = true;
    if (TRUE_WORDS.has(activeRaw)) active = true;
    else if (FALSE_WORDS.has(activeRaw)) active = false;
    else problems.push(`active "${activeRaw}" is not true or false`);
    const key = `${companyCode}\u0000${employeeNumber}`;
    if (companyCode && employeeNumber) {
      const first = seen.get(key);
      if (first !== undefined)
        problems.push(`employee ${employeeNumber} of ${companyCode} already appears on line ${first}`);
      else seen.set(key, line);
    }
    if (problems.length > 0) {
      errorCount += 1;
      if (errors.length < maxErrors) errors.push({ line, message: problems.join('; ') });
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
