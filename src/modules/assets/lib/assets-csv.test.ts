import { describe, expect, it } from 'vitest';
import {
  assetCsvValidator,
  parseCategories,
  parseFlag,
  parseLevel,
  readAssetsCsv,
  type AssetCsvRow,
  type RowError,
} from './assets-csv.ts';
import type { AssetCsvColumn } from '../assets.contract.ts';

/** Reads the whole file as the service does, collecting what it yields. */
function parseAssetsCsv(text: string) {
  const rows: AssetCsvRow[] = [];
  const errors: RowError[] = [];
  let columns: ReadonlySet<AssetCsvColumn> = new Set();
  for (const item of readAssetsCsv(text)) {
    if (item.kind === 'header') columns = item.columns;
    else if (item.kind === 'row') rows.push(item.row);
    else errors.push(item.error);
  }
  return { rows, errors, columns, total: rows.length + errors.length };
}

const HEADER =
  'company_code,asset_code,name,asset_type,description,department_code,owner_employee_number,custodian_employee_number,location,lifecycle,confidentiality,integrity,availability,personal_data,personal_data_categories,personal_record_count,pci_scope,specified_user_info';

describe('parseAssetsCsv', () => {
  it('reads good rows, with English codes and Japanese labels', () => {
    const r = parseAssetsCsv(
      [
        HEADER,
        'KCARD,KCARD-A-0001,Card member database,個人情報,"Members, cards",APP,E1,E2,Tokyo DC,運用中,3,3,2,,"contact;payment_card","1,200,000",はい,false',
        'KCARD,,Card core,information system,,,E1,,,planned,2,2,3,no,,,0,1',
      ].join('\n'),
    );
    expect(r.errors).toEqual([]);
    expect(r.total).toBe(2);
    expect(r.rows).toEqual([
      {
        line: 2,
        companyCode: 'KCARD',
        assetCode: 'KCARD-A-0001',
        name: 'Card member database',
        assetType: 'personal_information',
        description: 'Members, cards',
        departmentCode: 'APP',
        ownerEmployeeNumber: 'E1',
        custodianEmployeeNumber: 'E2',
        location: 'Tokyo DC',
        lifecycle: 'in_use',
        confidentiality: 3,
        integrity: 3,
        availability: 2,
        personalData: true,
        personalDataCategories: ['contact', 'payment_card'],
        personalRecordCount: 1_200_000,
        pciScope: true,
        specifiedUserInfo: false,
      },
      expect.objectContaining({
        line: 3,
        assetCode: null,
        assetType: 'service',
        description: null,
        lifecycle: 'planned',
        personalData: false,
        personalDataCategories: [],
        personalRecordCount: null,
        pciScope: false,
        specifiedUserInfo: true,
      }),
    ]);
    expect([...r.columns]).toHaveLength(18);
  });

  it('needs only the required columns, and says which columns the file has', () => {
    const r = parseAssetsCsv(
      'company_code,name,asset_type,owner_employee_number,confidentiality,integrity,availability\nKPAY,Ledger,data,P1,1,2,3\n',
    );
    expect(r.errors).toEqual([]);
    expect(r.rows[0]).toMatchObject({ assetType: 'information', lifecycle: 'in_use', personalData: false });
    expect(r.columns.has('description')).toBe(false);
    expect(r.columns.has('owner_employee_number')).toBe(true);
  });

  it('reports every bad row with its line number and all of its problems', () => {
    const r = parseAssetsCsv(
      [
        HEADER,
        'KCARD,A1,Ok,software,,,E1,,,,1,1,1,,,,,',
        'KCARD,A2,Bad type,spaceship,,,E1,,,,1,1,1,,,,,',
        'KCARD,A3,Bad levels,software,,,E1,,,,0,x,,,,,,',
        'KCARD,A4,No owner,software,,,,,,someday,1,1,1,,,,,',
        'KCARD,A5,Flags,software,,,E1,,,,1,1,1,false,contact,12,maybe,',
        'KCARD,A6,PI off,personal_information,,,E1,,,,1,1,1,false,,,,',
        'KCARD,A1,Duplicate,software,,,E1,,,,1,1,1,,,,,',
        'KCARD,A8,Short row',
        'KCARD,A9,Unknown category,software,,,E1,,,,1,1,1,true,"contact;dreams",-5,,',
      ].join('\n'),
    );
    expect(r.rows.map((x) => x.line)).toEqual([2]);
    expect(r.errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    const message = (line: number) => r.errors.find((e) => e.line === line)!.message;
    expect(message(3)).toMatch(/asset_type "spaceship" is not one of information, /);
    expect(message(4)).toMatch(/confidentiality "0" is not a whole number/);
    expect(message(4)).toMatch(/integrity "x"/);
    expect(message(4)).toMatch(/availability is empty/);
    expect(message(5)).toMatch(/owner_employee_number is empty/);
    expect(message(5)).toMatch(/lifecycle "someday"/);
    expect(message(6)).toMatch(/pci_scope "maybe" is not true or false/);
    expect(message(6)).toMatch(
      /personal_data is false, but personal_data_categories or personal_record_count/,
    );
    expect(message(7)).toMatch(/personal_data is false, but asset_type is personal_information/);
    expect(message(8)).toMatch(/asset A1 of KCARD already appears on line 2/);
    expect(message(9)).toMatch(/has 3 fields, the header has 18/);
    expect(message(10)).toMatch(/"dreams"/);
    expect(message(10)).toMatch(/personal_record_count "-5"/);
  });

  it('refuses a header with missing, unknown or repeated columns', () => {
    const r = parseAssetsCsv('company_code,name,colour,name\nKCARD,x,red,y\n');
    expect(r.rows).toEqual([]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.line).toBe(1);
    expect(r.errors[0]!.message).toMatch(/missing column\(s\): asset_type, owner_employee_number/);
    expect(r.errors[0]!.message).toMatch(/unknown column\(s\): colour/);
    expect(r.errors[0]!.message).toMatch(/repeated column\(s\): name/);
  });

  it('numbers lines as the file does, across quoted line breaks and blank lines', () => {
    const r = parseAssetsCsv(
      `${HEADER}\nKCARD,A1,"Two\nlines",software,,,E1,,,,1,1,1,,,,,\n\nKCARD,A2,Bad,nothing,,,E1,,,,1,1,1,,,,,\n`,
    );
    expect(r.rows[0]).toMatchObject({ line: 3, name: 'Two\nlines' });
    expect(r.errors).toEqual([
      {
        line: 5,
        message: expect.stringMatching(/asset_type "nothing"/),
        // Each problem with its column and a code the screens word in their language.
        issues: [
          expect.objectContaining({
            path: 'asset_type',
            code: 'invalid_option',
            params: { value: 'nothing', values: expect.stringContaining('hardware') },
          }),
        ],
      },
    ]);
  });

  it('reads a large file row by row, in order', () => {
    const lines = [HEADER];
    for (let i = 0; i < 5000; i++) lines.push(`KCARD,A${i},"Item, ${i}",software,,,E1,,,,1,2,3,,,,,`);
    const r = parseAssetsCsv(lines.join('\r\n'));
    expect(r.errors).toEqual([]);
    expect(r.rows).toHaveLength(5000);
    expect(r.rows[4999]).toMatchObject({
      line: 5001,
      assetCode: 'A4999',
      name: 'Item, 4999',
      availability: 3,
    });
  });

  it('answers an empty file and broken CSV with one clear error', () => {
    expect(parseAssetsCsv('').errors).toEqual([
      {
        line: 1,
        message: expect.stringMatching(/empty/),
        issues: [expect.objectContaining({ path: 'file', code: 'empty_file' })],
      },
    ]);
    const broken = parseAssetsCsv(`${HEADER}\nKCARD,"unclosed,x`);
    expect(broken.rows).toEqual([]);
    expect(broken.errors[0]!.message).toMatch(/not valid CSV/);
    expect(broken.errors[0]!.issues.map((i) => i.code)).toEqual(['invalid_csv']);
  });
});

describe('assetCsvValidator', () => {
  it('takes the company of a file for one company, and remembers the codes the file gives', () => {
    const v = assetCsvValidator({ companyCode: 'KCARD' });
    expect(
      v.header([
        'asset_code',
        'name',
        'asset_type',
        'owner_employee_number',
        'confidentiality',
        'integrity',
        'availability',
      ]),
    ).toHaveProperty('columns');
    expect(v.record(['KCARD-A-0007', 'Vault', 'hardware', 'E1', '1', '2', '3'], 2)).toMatchObject({
      companyCode: 'KCARD',
      assetCode: 'KCARD-A-0007',
    });
    expect(v.hasCode('KCARD', 'KCARD-A-0007')).toBe(true);
    expect(v.hasCode('KCARD', 'KCARD-A-0008')).toBe(false);
    expect(v.hasCode('KPAY', 'KCARD-A-0007')).toBe(false);
    expect(v.record(['KCARD-A-0007', 'Again', 'hardware', 'E1', '1', '2', '3'], 3)).toEqual({
      line: 3,
      message: 'asset KCARD-A-0007 of KCARD already appears on line 2',
      issues: [
        {
          path: 'asset_code',
          code: 'duplicate_row',
          params: { line: 2 },
          message: 'asset KCARD-A-0007 of KCARD already appears on line 2',
        },
      ],
    });
    // Without a company, the column is required.
    expect(
      assetCsvValidator().header([
        'asset_code',
        'name',
        'asset_type',
        'owner_employee_number',
        'confidentiality',
        'integrity',
        'availability',
      ]),
    ).toEqual({
      error: expect.objectContaining({
        line: 1,
        message: expect.stringMatching(/missing column\(s\): company_code/),
        issues: [expect.objectContaining({ code: 'missing_columns', params: { columns: 'company_code' } })],
      }),
    });
  });
});

describe('cell parsers', () => {
  it('reads yes/no words in English and Japanese, with a default for an empty cell', () => {
    expect(parseFlag('', true)).toBe(true);
    expect(parseFlag('YES', false)).toBe(true);
    expect(parseFlag('対象外', true)).toBe(false);
    expect(parseFlag('perhaps', false)).toBeUndefined();
  });

  it('reads levels, full-width digits included', () => {
    expect(parseLevel('3')).toBe(3);
    expect(parseLevel('４')).toBe(4);
    expect(parseLevel('0')).toBeUndefined();
    expect(parseLevel('2.5')).toBeUndefined();
    expect(parseLevel('high')).toBeUndefined();
  });

  it('reads category lists in any separator, in the contract order, without repeats', () => {
    expect(parseCategories('payment_card、連絡先;contact|マイナンバー')).toEqual({
      categories: ['contact', 'payment_card', 'government_id'],
      unknown: [],
    });
    expect(parseCategories('contact;secret sauce').unknown).toEqual(['secret sauce']);
  });
});
