// The bounds on what one report file may cost us, whatever it holds: bytes, ratios, entries, depth.
import { DEFAULT_XML_LIMITS, type XmlLimits } from '../lib/aggregate-parser.ts';
import { ReportRejection, formatBytes } from '../lib/report-rejection.ts';

export interface IngestLimits {
  /** XML bytes read from one file, after decompression, all its reports together. */
  maxXmlBytes: number;
  /** Decompressed bytes per compressed byte, above which a compressed stream is taken for a bomb... */
  maxCompressionRatio: number;
  /** ...once it has produced more than this (small reports may compress very well). */
  ratioGraceBytes: number;
  /** A zip that arrives as a stream (an attachment) and is copied to a temporary file to be read. */
  maxArchiveBytes: number;
  /** A whole report email, attachments included (its text parts are held in memory by the MIME parser). */
  maxEmailBytes: number;
  maxZipEntries: number;
  /** One part of a feedback report (the machine-readable part, the original headers). */
  maxFailurePartBytes: number;
  xml: XmlLimits;
}

export const DEFAULT_INGEST_LIMITS: Readonly<IngestLimits> = {
  maxXmlBytes: 512 * 1024 * 1024,
  maxCompressionRatio: 200,
  ratioGraceBytes: 4 * 1024 * 1024,
  maxArchiveBytes: 128 * 1024 * 1024,
  maxEmailBytes: 64 * 1024 * 1024,
  maxZipEntries: 100,
  maxFailurePartBytes: 1024 * 1024,
  xml: DEFAULT_XML_LIMITS,
};

export function resolveLimits(
  partial: Partial<Omit<IngestLimits, 'xml'>> & { xml?: Partial<XmlLimits> } = {},
) {
  return { ...DEFAULT_INGEST_LIMITS, ...partial, xml: { ...DEFAULT_INGEST_LIMITS.xml, ...partial.xml } };
}

/** The XML bytes one file may still produce, shared by all the reports in it. */
export class ByteBudget {
  readonly max: number;
  #used = 0;

  constructor(max: number) {
    this.max = max;
  }

  get used(): number {
    return this.#used;
  }

  charge(n: number): void {
    this.#used += n;
    if (this.#used > this.max) {
      throw new ReportRejection(
        'too-large',
        `the reports in this file hold more than ${formatBytes(this.max)} of XML once decompressed`,
      );
    }
  }
}

/** Refuses a decompressed stream that outgrows its compressed input too fast. */
export function checkRatio(out: number, compressedIn: number, limits: IngestLimits, what: string): void {
  if (out > limits.ratioGraceBytes && out > compressedIn * limits.maxCompressionRatio) {
    throw new ReportRejection(
      'compression-ratio',
      `${what} expands more than ${limits.maxCompressionRatio} times (${formatBytes(compressedIn)} to over ${formatBytes(out)}): refused as a decompression bomb`,
    );
  }
}
