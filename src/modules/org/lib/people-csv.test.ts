import { describe, expect, it } from 'vitest';
import { decodeCsvBytes, parsePeopleCsv } from './people-csv.ts';

const HEADER =
  'company_code,employee_number,name,email,personnel_category,department_code,manager_employee_number,active';

describe('parsePeopleCsv', () => {
  it('reads good rows, with English codes and Japanese labels', () => {
    const r = parsePeopleCsv(
      [
        HEADER,
        'KUMO,001,Sato Haruto,Sato@Example.com,正社員,SEC,,true',
        'KUMO,002,"Tanaka, Yui",,contract_employee,,001,0',
      ].join('\n'),
    );
    expect(r.errors).toEqual([]);
    expect(r.rows).toEqual([
      expect.objectContaining({
        line: 2,
        employeeNumber: '001',
        email: 'sato@example.com',
        personnelCategory: 'regular_employee',
        departmentCode: 'SEC',
        active: true,
      }),
      expect.objectContaining({
        line: 3,
        name: 'Tanaka, Yui',
        email: null,
        personnelCategory: 'contract_employee',
        managerEmployeeNumber: '001',
        active: false,
      }),
    ]);
  });

  it('reports every bad row with its line and reason', () => {
    const r = parsePeopleCsv(
      [
        HEADER,
        'KUMO,,X,,regular_employee,,,',
        'KUMO,3,Y,not-an-email,astronaut,,,',
        'KUMO,4,Z,,regular_employee,,,maybe',
        'KUMO,4,Z2,,regular_employee,,,',
        'KUMO,5',
      ].join('\n'),
    );
    expect(r.rows).toHaveLength(0);
    expect(r.errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6]);
    expect(r.errors[0]!.message).toMatch(/employee_number is empty/);
    expect(r.errors[1]!.message).toMatch(/email "not-an-email"/);
    expect(r.errors[1]!.message).toMatch(/personnel_category "astronaut"/);
    expect(r.errors[2]!.message).toMatch(/active "maybe"/);
    expect(r.errors[3]!.message).toMatch(/already appears on line 4/);
    expect(r.errors[4]!.message).toMatch(/has 2 fields/);
    // Each problem names its column and has a code (and figures) for the screens to word.
    expect(r.errors.map((e) => e.issues.map((i) => `${i.path}:${i.code}`))).toEqual([
      ['employee_number:required'],
      ['email:invalid_format', 'personnel_category:invalid_option'],
      ['active:not_boolean'],
      ['employee_number:duplicate_row'],
      ['row:field_count', 'name:required', 'personnel_category:required'],
    ]);
    expect(r.errors[3]!.issues[0]!.params).toEqual({ line: 4 });
  });

  it('counts line numbers across quoted newlines', () => {
    const r = parsePeopleCsv(
      [HEADER, 'KUMO,1,"Multi\nLine",,regular_employee,,,', 'KUMO,,Bad,,regular_employee,,,'].join('\n'),
    );
    expect(r.errors).toEqual([
      {
        line: 4,
        message: expect.stringMatching(/employee_number/),
        issues: [expect.objectContaining({ path: 'employee_number', code: 'required' })],
      },
    ]);
  });

  it('refuses a header with missing or unknown columns', () => {
    const r = parsePeopleCsv('company_code,name,shoe_size\nKUMO,x,42');
    expect(r.rows).toEqual([]);
    expect(r.errors[0]).toMatchObject({ line: 1 });
    expect(r.errors[0]!.message).toMatch(/missing column\(s\): employee_number, personnel_category/);
    expect(r.errors[0]!.message).toMatch(/unknown column\(s\): shoe_size/);
  });

  it('reports malformed CSV and empty files', () => {
    expect(parsePeopleCsv('').errors[0]!.message).toMatch(/empty/);
    expect(parsePeopleCsv(`${HEADER}\nKUMO,"unterminated`).errors[0]!.message).toMatch(/not valid CSV/);
  });

  it('caps the listed errors but counts them all', () => {
    const bad = Array.from({ length: 30 }, (_, i) => `KUMO,${i},,,regular_employee,,,`);
    const r = parsePeopleCsv([HEADER, ...bad].join('\n'), 10);
    expect(r.errors).toHaveLength(10);
    expect(r.errorCount).toBe(30);
  });
});

describe('decodeCsvBytes', () => {
  it('reads UTF-8 with and without BOM, and Shift_JIS', () => {
    const text = 'name\n山田太郎\n';
    expect(decodeCsvBytes(Buffer.from(text, 'utf8'))).toBe(text);
    expect(decodeCsvBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toBe(text);
    // 山田太郎 in Shift_JIS
    const sjis = Buffer.from([
      0x6e, 0x61, 0x6d, 0x65, 0x0a, 0x8e, 0x52, 0x93, 0x63, 0x91, 0xbe, 0x98, 0x59, 0x0a,
    ]);
    expect(decodeCsvBytes(sjis)).toBe(text);
  });
});
