// The dmarc-reports module's contract: report files handed in and their outcome, the reports kept (and those
// no company claims), and the analysis over the daily roll-up.
import { z } from 'zod';
import { PageQuerySchema, pageOf } from '../../platform/http/pagination.ts';

const Id = z.uuid();
const Timestamp = z.string();

export const FILE_STATUSES = ['imported', 'duplicate', 'rejected'] as const;
export const FileStatusSchema = z.enum(FILE_STATUSES);
export const CHANNELS = ['upload', 'cli', 'imap'] as const;
export type Channel = (typeof CHANNELS)[number];

/** One file's outcome; `mamori dmarc import --json` prints exactly this per line. */
export const FileResultSchema = z.object({
  file: z.string(),
  status: FileStatusSchema,
  /** Why the file (or some of its reports) was refused; null when all went in. */
  reason: z.string().nullable(),
  /** Aggregate and failure reports stored from the file (duplicates not counted). */
  reports: z.number().int(),
  records: z.number().int(),
  /** The sum of the stored records' counts. */
  messages: z.number().int(),
});
export type FileResult = z.infer<typeof FileResultSchema>;

export const ImportFileQuerySchema = z.strictObject({
  /** The file's name, for the import history (the body is the file itself). */
  name: z.string().trim().min(1).max(255).default('upload'),
});

export const ImportedFileDtoSchema = FileResultSchema.extend({
  id: Id,
  channel: z.enum(CHANNELS),
  importedBy: z.string(),
  importedAt: Timestamp,
});
export const ImportedFilePageSchema = pageOf(ImportedFileDtoSchema);
export const ListFilesQuerySchema = PageQuerySchema.strict();

export const ReportDtoSchema = z.object({
  id: Id,
  policyDomain: z.string(),
  /** The inventoried domain (and its company) the report belongs to; null while unclaimed. */
  claimDomain: z.string().nullable(),
  companyId: Id.nullable(),
  reporter: z.string(),
  reportId: z.string(),
  reporterEmail: z.string().nullable(),
  schema: z.string(),
  begin: Timestamp,
  end: Timestamp,
  policy: z.record(z.string(), z.unknown()),
  records: z.number().int(),
  messages: z.number().int(),
  warnings: z.array(z.string()),
  receivedAt: Timestamp,
});
export type ReportDto = z.infer<typeof ReportDtoSchema>;
export const ReportPageSchema = pageOf(ReportDtoSchema);
export const ListReportsQuerySchema = PageQuerySchema.extend({
  companyId: Id.optional(),
  domain: z.string().trim().toLowerCase().max(253).optional(),
  /** true: the reports for domains no company has in its inventory (group-wide readers only). */
  unclaimed: z.enum(['true', 'false']).optional(),
}).strict();
export type ListReportsQuery = z.infer<typeof ListReportsQuerySchema>;
