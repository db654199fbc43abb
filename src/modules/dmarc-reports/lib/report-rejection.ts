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

/**
 * Why a file (or some of its reports) was not stored, as the import history and the upload answer give it
 * beside the English reason, for a screen to put in its language: a report's rejection, or one of these.
 */
export const FILE_REASON_CODES = [
  ...REJECTION_CODES,
  /** The report's domain belongs to a company the importer may not write for. */
  'not-permitted',
  /** No company has the report's domain, and only group-wide importers keep such reports. */
  'unclaimed-not-permitted',
  /** The path given to the CLI is not a file. */
  'no-such-file',
] as const;
export type FileReasonCode = (typeof FILE_REASON_CODES)[number];

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
