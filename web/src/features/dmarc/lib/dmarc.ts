// Pure helpers of the DMARC screens: rates, the chart series, the order in which verdicts ask for action, a
// report's published policy in one line, and the progress of a batch of uploads.
import type { Analysis, DmarcReadiness, DmarcVerdict } from '../../../shared/api/types.ts';

/** Per mille of `part` in `total`, or null when there is nothing to divide by. */
export function rate(part: number, total: number): number | null {
  return total > 0 ? Math.round((part * 1000) / total) : null;
}

/** A per mille rate as a percentage with one decimal, "—" for none. */
export function percent(perMille: number | null): string {
  return perMille === null ? '—' : (perMille / 10).toFixed(1);
}

/** The width of a bar for a per mille rate (0 to 100). */
export function barWidth(perMille: number | null): number {
  return perMille === null ? 0 : Math.max(0, Math.min(100, perMille / 10));
}

/** The colour of a pass rate: good at 98 % and above, poor under 90 %. */
export function rateColor(perMille: number | null): string {
  if (perMille === null) return 'gray';
  if (perMille >= 980) return 'teal';
  if (perMille >= 900) return 'yellow';
  return 'red';
}

export const DISPOSITION_FILL: Record<string, string> = {
  none: 'var(--mantine-color-blue-5)',
  pass: 'var(--mantine-color-teal-6)',
  quarantine: 'var(--mantine-color-yellow-5)',
  reject: 'var(--mantine-color-red-6)',
};
const DISPOSITION_ORDER = ['none', 'pass', 'quarantine', 'reject'];
export const OTHER_FILL = 'var(--mantine-color-gray-5)';

/** The dispositions with mail, known ones in a fixed order, then any other the receivers used. */
export function dispositionSlices(dispositions: Analysis['dispositions']): { name: string; value: number }[] {
  const rank = (name: string) => {
    const i = DISPOSITION_ORDER.indexOf(name);
    return i === -1 ? DISPOSITION_ORDER.length : i;
  };
  return Object.entries(dispositions)
    .filter(([, value]) => value > 0)
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([name, value]) => ({ name, value }));
}

/** DKIM and SPF as rows of a stacked bar chart: aligned, authenticated but unaligned, failing. */
export function alignmentRows(a: Pick<Analysis, 'dkim' | 'spf'>) {
  return [
    { mechanism: 'DKIM', ...a.dkim },
    { mechanism: 'SPF', ...a.spf },
  ];
}

/** Verdicts in the order they ask for action: the worst first, the finished last. */
const VERDICT_RANK: Record<DmarcVerdict, number> = {
  'no-record': 0,
  'not-ready': 1,
  'ready-quarantine': 2,
  'ready-reject': 3,
  'no-data': 4,
  'at-reject': 5,
};

export function byUrgency(list: readonly DmarcReadiness[]): DmarcReadiness[] {
  return [...list].sort(
    (a, b) =>
      VERDICT_RANK[a.verdict] - VERDICT_RANK[b.verdict] ||
      b.affected - a.affected ||
      a.domain.localeCompare(b.domain),
  );
}

const POLICY_TAGS = ['p', 'sp', 'np', 'pct', 'testing', 'adkim', 'aspf', 'fo'];

/** A report's published policy as "p=none sp=reject pct=100 adkim=s": known tags first, empty ones left out. */
export function policySummary(policy: Record<string, unknown>): string {
  const keys = Object.keys(policy).filter((k) => k !== 'domain');
  const rank = (k: string) => {
    const i = POLICY_TAGS.indexOf(k);
    return i === -1 ? POLICY_TAGS.length : i;
  };
  return keys
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .filter((k) => policy[k] !== null && policy[k] !== undefined && policy[k] !== '')
    .map((k) => {
      const v = policy[k];
      // RFC 9990's t= tag, kept by the parser as a boolean.
      if (k === 'testing') return `t=${v ? 'y' : 'n'}`;
      return `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v as string | number | boolean)}`;
    })
    .join(' ');
}

export interface UploadLike {
  size: number;
  state: 'waiting' | 'uploading' | 'processing' | 'done' | 'failed';
  percent: number;
}

/**
 * The batch's progress in percent, by bytes: a finished file counts whole, the file being sent by its share.
 * A file being processed counts as 99 % of itself, so that the bar only reaches 100 when all are answered.
 */
export function batchProgress(files: readonly UploadLike[]): number {
  const total = files.reduce((n, f) => n + Math.max(f.size, 1), 0);
  if (total === 0) return 0;
  let done = 0;
  for (const f of files) {
    const size = Math.max(f.size, 1);
    if (f.state === 'done' || f.state === 'failed') done += size;
    else if (f.state === 'processing') done += size * 0.99;
    else if (f.state === 'uploading') done += (size * Math.min(f.percent, 99)) / 100;
  }
  return Math.floor((done / total) * 100);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Readers of every company's email domains (a group-wide grant of a reading role) see unclaimed reports. */
export function isGroupWideReader(grants: readonly { role: string; companyId: string | null }[]): boolean {
  return grants.some((g) => g.companyId === null && g.role !== 'employee');
}

/**
 * The domain view's URL. It ends in "/" because the server takes a path ending in ".example" or ".com" for a
 * missing static file (404) instead of answering with the UI: without the slash, reloading the page would fail.
 */
export function domainPath(domain: string, days?: number): string {
  return `/dmarc/domains/${encodeURIComponent(domain)}/${days ? `?days=${days}` : ''}`;
}

/**
 * A failure report's parsed fields as lines of text, in name order: nested objects flattened to dotted names,
 * lists of header fields ({name, value}) one "Name: value" a line, empty values left out.
 */
export function detailEntries(details: Record<string, unknown>): [string, string][] {
  const out: [string, string][] = [];
  const isField = (v: unknown): v is { name: unknown; value: unknown } =>
    typeof v === 'object' && v !== null && 'name' in v && 'value' in v;
  const scalar = (v: unknown): string =>
    typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v as string | number | boolean);
  const walk = (key: string, v: unknown) => {
    if (v === null || v === undefined || v === '') return;
    if (Array.isArray(v)) {
      if (v.length === 0) return;
      out.push([
        key,
        v.every(isField)
          ? v.map((f) => `${scalar(f.name)}: ${scalar(f.value)}`).join('\n')
          : v.map(scalar).join(', '),
      ]);
    } else if (typeof v === 'object') {
      for (const [k, inner] of Object.entries(v)) walk(`${key}.${k}`, inner);
    } else out.push([key, scalar(v)]);
  };
  for (const [k, v] of Object.entries(details)) walk(k, v);
  return out.sort(([a], [b]) => a.localeCompare(b));
}

/**
 * The errors of an array field ("rdnsSuffixes.1: must be a domain name") in one line, naming the value rather
 * than its index.
 */
export function arrayFieldError(
  errors: Record<string, string>,
  field: string,
  values: readonly string[],
): string | undefined {
  const out: string[] = [];
  for (const [path, message] of Object.entries(errors)) {
    if (path === field) out.push(message);
    const m = path.match(new RegExp(`^${field}\\.(\\d+)$`));
    if (m) out.push(`${values[Number(m[1])] ?? `#${Number(m[1]) + 1}`}: ${message}`);
  }
  return out.length ? out.join('; ') : undefined;
}

const GROUP_WRITERS = ['group_admin', 'group_ciso', 'company_ciso', 'security_officer'];
/** Only a group-wide grant of a writing role edits the group's list of sending services. */
export function isGroupWideWriter(grants: readonly { role: string; companyId: string | null }[]): boolean {
  return grants.some((g) => g.companyId === null && GROUP_WRITERS.includes(g.role));
}
