// Why a report file (or one report in it) is refused: a code for programs, a sentence for people.

export const REJECTION_CODES = [
  'empty',
  'unknown-format',
  'not-xml',
  'malformed-xml',
  'dtd',
  'too-deep',
  'text-too-long',
  'not-a-report',
  'missing-field',
  'invalid-field',
  'truncated',
  'corrupt',
  'too-large',
  'compression-ratio',
  'unsafe-entry-name',
  'encrypted',
  'unsupported-compression',
  'too-many-entries',
  'nested-archive',
  'no-report',
  /** The parser thread stopped while reading the file (out of memory, or a fault of ours). */
  'parser-stopped',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

/** A report refused for what it is, never for a fault of ours: its message is safe to show to the uploader. */
export class ReportRejection extends Error {
  readonly code: RejectionCode;

  constructor(code: RejectionCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReportRejection';
    this.code = code;
  }
}

export const isReportRejection = (err: unknown): err is ReportRejection => err instanceof ReportRejection;

const UNITS = ['bytes', 'KiB', 'MiB', 'GiB'] as const;

/** 536870912 -> "512 MiB", 1536 -> "1.5 KiB", for limits and sizes in messages. */
export function formatBytes(n: number): string {
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${UNITS[unit]}`;
}
