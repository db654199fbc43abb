// Pure parsing and row validation of an asset-inventory CSV. No I/O: companies, departments, people and
// each company's classification scale are resolved by the service.
import { CsvReader, CsvSyntaxError, headerError } from '../../../platform/csv.ts';
import { RowIssues, rowError, type RowError } from '../../../platform/errors.ts';
import {
  ASSET_CSV_COLUMNS,
  ASSET_TYPES,
  LIFECYCLE_STATES,
  PERSONAL_DATA_CATEGORIES,
  type AssetCsvColumn,
  type AssetType,
  type Lifecycle,
  type PersonalDataCategory,
} from '../assets.contract.ts';

export interface AssetCsvRow {
  line: number;
  companyCode: string;
  /** Empty: a new asset, whose code the import generates. */
  assetCode: string | null;
  name: string;
  assetType: AssetType;
  description: string | null;
  departmentCode: string | null;
  ownerEmployeeNumber: string;
  custodianEmployeeNumber: string | null;
  location: string | null;
  lifecycle: Lifecycle;
  confidentiality: number;
  integrity: number;
  availability: number;
  personalData: boolean;
  personalDataCategories: PersonalDataCategory[];
  personalRecordCount: number | null;
  pciScope: boolean;
  specifiedUserInfo: boolean;
}

/**
 * A good row as the validator makes it: an instance of a class rather than an object literal. V8 tracks where
 * each literal is allocated, and when most objects of a place outlive a garbage collection it allocates the
 * following ones straight in the old generation; during an import that judgement, made on the first rows,
 * put the next 100,000 there as garbage (with the strings they hold) until the next full collection, about
 * 100 MB. Instances of a class are always allocated young.
 */
class ParsedRow implements AssetCsvRow {
  line = 0;
  companyCode = '';
  assetCode: string | null = null;
  name = '';
  assetType: AssetType = 'information';
  description: string | null = null;
  departmentCode: string | null = null;
  ownerEmployeeNumber = '';
  custodianEmployeeNumber: string | null = null;
  location: string | null = null;
  lifecycle: Lifecycle = 'in_use';
  confidentiality = 0;
  integrity = 0;
  availability = 0;
  personalData = false;
  personalDataCategories!: PersonalDataCategory[];
  personalRecordCount: number | null = null;
  pciScope = false;
  specifiedUserInfo = false;
}

export type { RowError };

export const REQUIRED_COLUMNS: readonly AssetCsvColumn[] = [
  'company_code',
  'name',
  'asset_type',
  'owner_employee_number',
  'confidentiality',
  'integrity',
  'availability',
];

const CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,49}$/;

const aliases = <T extends string>(codes: readonly T[], extra: Record<string, T>): Map<string, T> =>
  new Map<string, T>([
    ...codes.map((c) => [c, c] as [string, T]),
    ...codes.map((c) => [c.replace(/_/g, ' '), c] as [string, T]),
    ...Object.entries(extra).map(([k, v]) => [k.toLowerCase(), v] as [string, T]),
  ]);

/** Type labels as registers write them, in English and Japanese, mapped to Mamori's codes. */
const TYPE_ALIASES = aliases<AssetType>(ASSET_TYPES, {
  data: 'information',
  'information/data': 'information',
  情報: 'information',
  データ: 'information',
  '情報・データ': 'information',
  'personal data': 'personal_information',
  個人情報: 'personal_information',
  個人データ: 'personal_information',
  ソフトウェア: 'software',
  ハードウェア: 'hardware',
  'information system': 'service',
  system: 'service',
  サービス: 'service',
  情報システム: 'service',
  システム: 'service',
  ネットワーク: 'network',
  facility: 'site',
  サイト: 'site',
  施設: 'site',
  拠点: 'site',
  role: 'people',
  person: 'people',
  'people/role': 'people',
  人: 'people',
  人的資産: 'people',
  要員: 'people',
  役割: 'people',
  vendor: 'supplier',
  供給者: 'supplier',
  委託先: 'supplier',
  サプライヤー: 'supplier',
});

const LIFECYCLE_ALIASES = aliases<Lifecycle>(LIFECYCLE_STATES, {
  'in-use': 'in_use',
  active: 'in_use',
  計画中: 'planned',
  導入予定: 'planned',
  使用中: 'in_use',
  運用中: 'in_use',
  稼働中: 'in_use',
  retired: 'retired',
  廃止: 'retired',
  利用停止: 'retired',
  disposed: 'disposed',
  廃棄: 'disposed',
  廃棄済み: 'disposed',
});

const CATEGORY_ALIASES = aliases<PersonalDataCategory>(PERSONAL_DATA_CATEGORIES, {
  identity: 'basic_identity',
  基本情報: 'basic_identity',
  連絡先: 'contact',
  金融情報: 'financial',
  口座情報: 'financial',
  card: 'payment_card',
  カード情報: 'payment_card',
  クレジットカード情報: 'payment_card',
  'my number': 'government_id',
  マイナンバー: 'government_id',
  公的識別番号: 'government_id',
  要配慮個人情報: 'special_care',
  人事情報: 'employment',
  雇用情報: 'employment',
  位置情報: 'location',
  オンライン識別子: 'online_identifier',
  通信情報: 'communications',
  通信の秘密: 'communications',
  その他: 'other',
});

const TRUE_WORDS = new Set(['true', '1', 'yes', 'y', 'はい', '○', '◯', '有', 'あり', '対象']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'n', 'いいえ', '×', '無', 'なし', '対象外']);

/** '' -> the default; otherwise true, false or undefined (not a yes/no word). */
export function parseFlag(raw: string, fallback: boolean): boolean | undefined {
  // The words a generated file writes, before the general case.
  if (raw === '') return fallback;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  const v = raw.trim().toLowerCase();
  if (v === '') return fallback;
  if (TRUE_WORDS.has(v)) return true;
  if (FALSE_WORDS.has(v)) return false;
  return undefined;
}

/** A classification level: a whole number of at least 1 (the company's scale caps it; the service checks). */
export function parseLevel(raw: string): number | undefined {
  if (raw.length === 1) {
    const d = raw.charCodeAt(0) - 48;
    if (d >= 1 && d <= 9) return d;
  }
  const v = raw.trim().normalize('NFKC');
  if (!/^\d{1,2}$/.test(v)) return undefined;
  const n = Number(v);
  return n >= 1 ? n : undefined;
}

export function parseCategories(raw: string): { categories: PersonalDataCategory[]; unknown: string[] } {
  const categories = new Set<PersonalDataCategory>();
  const unknown: string[] = [];
  for (const part of raw.split(/[;|,、，]/)) {
    const word = part.trim();
    if (!word) continue;
    const c = CATEGORY_ALIASES.get(word.toLowerCase());
    if (c) categories.add(c);
    else unknown.push(word);
  }
  return { categories: PERSONAL_DATA_CATEGORIES.filter((c) => categories.has(c)), unknown };
}

function parseCount(raw: string): number | null | undefined {
  if (raw === '') return null;
  const v = raw
    .trim()
    .normalize('NFKC')
    .replace(/[,_\s]/g, '');
  if (v === '') return null;
  if (!/^\d{1,10}$/.test(v)) return undefined;
  const n = Number(v);
  return n <= 2_147_483_647 ? n : undefined;
}

/** What reading an inventory CSV yields, in file order: the header's columns first, then rows and bad rows. */
export type AssetCsvItem =
  | { kind: 'header'; columns: ReadonlySet<AssetCsvColumn> }
  | { kind: 'row'; row: AssetCsvRow }
  | { kind: 'error'; error: RowError };

/** Where each known column is in the file's records; -1 when the file leaves it out. */
type ColumnIndex = Record<AssetCsvColumn, number>;

const cell = (record: string[], i: number): string => (i < 0 ? '' : (record[i] ?? '').trim());

function level(record: string[], i: number, name: string, problems: RowIssues): number {
  const raw = cell(record, i);
  const v = parseLevel(raw);
  if (!raw) problems.required(name);
  else if (v === undefined)
    problems.add(name, 'not_whole_number', `${name} "${raw}" is not a whole number of 1 or more`, {
      value: raw,
    });
  return v ?? 0;
}

/** A value that is not true or false. */
const notBoolean = (problems: RowIssues, column: string, raw: string) =>
  problems.add(column, 'not_boolean', `${column} "${raw}" is not true or false`, { value: raw });

/**
 * Checks a header and then each record of an inventory CSV, one at a time (pure and synchronous, so the
 * caller decides how the records arrive). It remembers each company's codes to catch repeats in a file.
 */
export function assetCsvValidator(
  opts: {
    /** Remember codes to catch repeats (true unless the file was checked already). */
    codes?: boolean;
    /** The company of rows that name none: the file may then leave out the company_code column. */
    companyCode?: string | undefined;
  } = {},
) {
  const trackCodes = opts.codes ?? true;
  let width = 0;
  let at: ColumnIndex | undefined;
  /** company code -> asset code -> the line that gave it; a company has few codes, an import many assets. */
  const seen = new Map<string, Map<string, number>>();
  // An asset code is kept as its JSON text: a new string. The field itself may be a view into the slice of the
  // file it was read from, and keeping 100,000 of them would keep the whole file alive.
  const keyOf = (code: string) => JSON.stringify(code);

  return {
    /** The header's error, or the columns the file has. */
    header(record: string[]): { error: RowError } | { columns: ReadonlySet<AssetCsvColumn> } {
      const names = record.map((h) => h.trim().toLowerCase());
      const known = ASSET_CSV_COLUMNS as readonly string[];
      const unknown = names.filter((n) => !known.includes(n));
      const missing = REQUIRED_COLUMNS.filter(
        (r) => !names.includes(r) && !(r === 'company_code' && opts.companyCode),
      );
      const dupes = names.filter((n, i) => names.indexOf(n) !== i);
      if (unknown.length || missing.length || dupes.length) {
        return { error: headerError(missing, unknown, dupes, ASSET_CSV_COLUMNS) };
      }
      width = names.length;
      at = Object.fromEntries(
        ASSET_CSV_COLUMNS.map((c) => [c, names.indexOf(c)] as [AssetCsvColumn, number]),
      ) as ColumnIndex;
      return { columns: new Set(names as AssetCsvColumn[]) };
    },

    record(record: string[], line: number): AssetCsvRow | RowError {
      if (!at) throw new Error('the header comes first');
      const problems = new RowIssues();
      if (record.length !== width)
        problems.add('row', 'field_count', `has ${record.length} fields, the header has ${width}`, {
          count: record.length,
          expected: width,
        });

      const companyCode = cell(record, at.company_code) || opts.companyCode || '';
      if (!companyCode) problems.required('company_code');
      const assetCode = cell(record, at.asset_code);
      if (assetCode && !CODE.test(assetCode))
        problems.add(
          'asset_code',
          'invalid_format',
          `asset_code "${assetCode}" must be 1-50 letters, digits, _, . or -`,
          { format: 'asset_code' },
        );
      const name = cell(record, at.name);
      if (!name) problems.required('name');
      else if (name.length > 200)
        problems.add('name', 'too_long', 'name is longer than 200 characters', { maximum: 200 });

      const typeRaw = cell(record, at.asset_type);
      const assetType = TYPE_ALIASES.get(typeRaw) ?? TYPE_ALIASES.get(typeRaw.toLowerCase());
      if (!typeRaw) problems.required('asset_type');
      else if (!assetType) problems.notOneOf('asset_type', typeRaw, ASSET_TYPES);

      const description = cell(record, at.description);
      if (description.length > 2000)
        problems.add('description', 'too_long', 'description is longer than 2000 characters', {
          maximum: 2000,
        });
      const location = cell(record, at.location);
      if (location.length > 200)
        problems.add('location', 'too_long', 'location is longer than 200 characters', { maximum: 200 });
      const owner = cell(record, at.owner_employee_number);
      if (!owner) problems.required('owner_employee_number', ': every asset has an owner');

      const lifecycleRaw = cell(record, at.lifecycle);
      const lifecycle = lifecycleRaw
        ? (LIFECYCLE_ALIASES.get(lifecycleRaw) ?? LIFECYCLE_ALIASES.get(lifecycleRaw.toLowerCase()))
        : 'in_use';
      if (!lifecycle) problems.notOneOf('lifecycle', lifecycleRaw, LIFECYCLE_STATES);

      const confidentiality = level(record, at.confidentiality, 'confidentiality', problems);
      const integrity = level(record, at.integrity, 'integrity', problems);
      const availability = level(record, at.availability, 'availability', problems);

      const categoriesRaw = cell(record, at.personal_data_categories);
      let categories: PersonalDataCategory[] = [];
      if (categoriesRaw) {
        const parsed = parseCategories(categoriesRaw);
        categories = parsed.categories;
        if (parsed.unknown.length)
          problems.add(
            'personal_data_categories',
            'invalid_option',
            `personal_data_categories ${parsed.unknown.map((u) => `"${u}"`).join(', ')} not one of ${PERSONAL_DATA_CATEGORIES.join(', ')}`,
            { value: parsed.unknown.join(', '), values: PERSONAL_DATA_CATEGORIES.join(', ') },
          );
      }
      const countRaw = cell(record, at.personal_record_count);
      const count = parseCount(countRaw);
      if (count === undefined)
        problems.add(
          'personal_record_count',
          'not_whole_number',
          `personal_record_count "${countRaw}" is not a whole number`,
          { value: countRaw },
        );
      const personalRaw = cell(record, at.personal_data);
      const personalData = parseFlag(
        personalRaw,
        assetType === 'personal_information' || categories.length > 0,
      );
      if (personalData === undefined) notBoolean(problems, 'personal_data', personalRaw);
      else if (!personalData) {
        if (assetType === 'personal_information')
          problems.add(
            'personal_data',
            'must_be_true',
            'personal_data is false, but asset_type is personal_information',
          );
        if (categories.length > 0 || (count !== undefined && count !== null))
          problems.add(
            'personal_data',
            'must_be_true',
            'personal_data is false, but personal_data_categories or personal_record_count is given',
          );
      }
      const pciRaw = cell(record, at.pci_scope);
      const pciScope = parseFlag(pciRaw, false);
      if (pciScope === undefined) notBoolean(problems, 'pci_scope', pciRaw);
      const suiRaw = cell(record, at.specified_user_info);
      const specifiedUserInfo = parseFlag(suiRaw, false);
      if (specifiedUserInfo === undefined) notBoolean(problems, 'specified_user_info', suiRaw);

      if (trackCodes && companyCode && assetCode) {
        let codes = seen.get(companyCode);
        if (!codes) {
          codes = new Map();
          seen.set(companyCode, codes);
        }
        const key = keyOf(assetCode);
        const first = codes.get(key);
        if (first !== undefined)
          problems.add(
            'asset_code',
            'duplicate_row',
            `asset ${assetCode} of ${companyCode} already appears on line ${first}`,
            { line: first },
          );
        else codes.set(key, line);
      }
      if (problems.size > 0) return problems.error(line);
      const departmentCode = cell(record, at.department_code);
      const custodian = cell(record, at.custodian_employee_number);
      const row = new ParsedRow();
      row.line = line;
      row.companyCode = companyCode;
      row.assetCode = assetCode || null;
      row.name = name;
      row.assetType = assetType!;
      row.description = description || null;
      row.departmentCode = departmentCode || null;
      row.ownerEmployeeNumber = owner;
      row.custodianEmployeeNumber = custodian || null;
      row.location = location || null;
      row.lifecycle = lifecycle!;
      row.confidentiality = confidentiality;
      row.integrity = integrity;
      row.availability = availability;
      row.personalData = personalData!;
      row.personalDataCategories = personalData ? categories : [];
      row.personalRecordCount = personalData ? (count ?? null) : null;
      row.pciScope = pciScope!;
      row.specifiedUserInfo = specifiedUserInfo!;
      return row;
    },

    /** Whether a row of the file gives this code to an asset of this company (codes generated later avoid it). */
    hasCode(companyCode: string, assetCode: string): boolean {
      return seen.get(companyCode)?.has(keyOf(assetCode)) ?? false;
    },
  };
}

export type AssetCsvValidator = ReturnType<typeof assetCsvValidator>;

const isRow = (x: AssetCsvRow | RowError): x is AssetCsvRow => x instanceof ParsedRow;

/**
 * Reads an inventory CSV item by item: from its text, or from its bytes decoded a slice at a time, so that a
 * 100,000-row file is never held as rows. Like CsvReader, it keeps nothing it returns (see there why an import
 * reads with it rather than through a generator). A bad header or broken CSV ends the reading with one error;
 * bad rows are reported and reading goes on.
 */
export class AssetCsvReader {
  readonly #records: CsvReader;
  readonly #validator: AssetCsvValidator;
  #headerSeen = false;
  #done = false;

  constructor(source: string | Uint8Array, validator: AssetCsvValidator = assetCsvValidator()) {
    this.#records = new CsvReader(source);
    this.#validator = validator;
  }

  /** The next item in file order (the header's columns first), or undefined after the last. */
  next(): AssetCsvItem | undefined {
    if (this.#done) return undefined;
    const records = this.#records;
    let fields: string[] | undefined;
    try {
      fields = records.next();
    } catch (err) {
      if (!(err instanceof CsvSyntaxError)) throw err;
      this.#done = true;
      return {
        kind: 'error',
        error: rowError(err.line, 'file', 'invalid_csv', `The file is not valid CSV: ${err.message}`),
      };
    }
    if (fields === undefined) {
      this.#done = true;
      return this.#headerSeen
        ? undefined
        : {
            kind: 'error',
            error: rowError(1, 'file', 'empty_file', 'The file is empty; expected a header row'),
          };
    }
    if (!this.#headerSeen) {
      this.#headerSeen = true;
      const h = this.#validator.header(fields);
      if ('error' in h) {
        this.#done = true;
        return { kind: 'error', error: { ...h.error, line: records.line } };
      }
      return { kind: 'header', columns: h.columns };
    }
    const checked = this.#validator.record(fields, records.line);
    return isRow(checked) ? { kind: 'row', row: checked } : { kind: 'error', error: checked };
  }
}

/** What AssetCsvReader reads, as a generator (for tests and small files). */
export function* readAssetsCsv(
  source: string | Uint8Array,
  validator: AssetCsvValidator = assetCsvValidator(),
): Generator<AssetCsvItem> {
  const reader = new AssetCsvReader(source, validator);
  for (let item = reader.next(); item !== undefined; item = reader.next()) yield item;
}
