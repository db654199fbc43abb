// A report email read as a stream with mailparser: its attachments one at a time (each must be read or
// abandoned before the next one comes), and whether it is a feedback report (multipart/report;
// report-type=feedback-report), whose parts are then read as text.
import { Readable } from 'node:stream';
import type { AttachmentStream, MailParser, StructuredHeader } from 'mailparser';
import type { EmailInfo } from '../lib/arf-parser.ts';
import { ReportRejection, formatBytes } from '../lib/report-rejection.ts';
import { capped } from './bytes.ts';
import type { IngestLimits } from './limits.ts';

export interface EmailAttachment {
  contentType: string;
  filename: string | null;
  content: Readable;
}

export interface EmailHead {
  info: EmailInfo;
  /** The top-level content type, lower case. */
  contentType: string;
  /** report-type of a multipart/report, lower case. */
  reportType: string | null;
}

function headOf(parser: MailParser): EmailHead {
  const headers = parser.headers || new Map();
  const ct = headers.get('content-type') as StructuredHeader | undefined;
  const date = parser.date instanceof Date && !Number.isNaN(parser.date.getTime()) ? parser.date : null;
  return {
    info: {
      subject: parser.subject ?? null,
      from: parser.from?.text ?? null,
      date: date ? Math.floor(date.getTime() / 1000) : null,
      messageId: parser.messageId ?? null,
    },
    contentType: (ct?.value ?? 'text/plain').toLowerCase(),
    reportType: ct?.params['report-type']?.toLowerCase() ?? null,
  };
}

export const isFeedbackReport = (head: EmailHead): boolean =>
  head.contentType === 'multipart/report' && head.reportType === 'feedback-report';

/**
 * The text of a part (line ends as LF): at most `max` bytes, refused beyond; or, with `headerOnly`, its header
 * block (up to the first blank line, cut at `max`), the rest left unread.
 */
export async function readPartText(
  content: AsyncIterable<Buffer>,
  max: number,
  what: string,
  headerOnly = false,
): Promise<string> {
  const decoder = new TextDecoder('utf-8');
  const lf = (t: string) => t.replace(/\r\n?/g, '\n');
  const blankLine = /\r?\n\r?\n/g;
  let text = '';
  let size = 0;
  for await (const chunk of content) {
    size += chunk.length;
    blankLine.lastIndex = Math.max(0, text.length - 3);
    text += decoder.decode(chunk, { stream: true });
    if (headerOnly) {
      const end = blankLine.exec(text);
      if (end) return `${lf(text.slice(0, end.index))}\n`;
    }
    if (size > max) {
      if (headerOnly) return lf(text.slice(0, max));
      throw new ReportRejection('too-large', `${what} is larger than ${formatBytes(max)}`);
    }
  }
  return lf(text + decoder.decode());
}

function mailError(err: unknown): unknown {
  if (err instanceof ReportRejection) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ReportRejection('corrupt', `the email cannot be read: ${message}`, { cause: err });
}

/**
 * The attachments of an email, with the email's head (known before the first attachment). Each attachment is
 * released (its rest drained) when the consumer asks for the next one.
 */
export async function* emailAttachments(
  source: AsyncIterable<Uint8Array>,
  limits: IngestLimits,
  onHead: (head: EmailHead) => void,
): AsyncGenerator<EmailAttachment, EmailHead, undefined> {
  // Loaded when a mail is first read: a parser thread that only meets report files never pays for it.
  const { MailParser } = await import('mailparser');
  const parser = new MailParser({
    ignoreEmbedded: true,
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipTextLinks: true,
    skipImageLinks: true,
    checksumAlgo: false,
    maxHtmlLengthToParse: 1024 * 1024,
  });
  const input = Readable.from(capped(source, limits.maxEmailBytes, 'the email'));
  input.on('error', (err) => parser.destroy(err));
  input.pipe(parser);
  let head: EmailHead | null = null;
  const ensureHead = () => {
    if (!head) {
      head = headOf(parser);
      onHead(head);
    }
    return head;
  };
  try {
    for await (const data of parser as AsyncIterable<AttachmentStream | { type: 'text' }>) {
      ensureHead();
      if (data.type !== 'attachment') continue;
      const attachment = data as AttachmentStream;
      try {
        yield {
          contentType: attachment.contentType.toLowerCase(),
          filename: attachment.filename ?? null,
          content: attachment.content,
        };
      } finally {
        attachment.release?.();
      }
    }
  } catch (err) {
    throw mailError(err);
  } finally {
    input.destroy();
    parser.destroy();
  }
  return ensureHead();
}
