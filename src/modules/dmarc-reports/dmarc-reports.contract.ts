// The dmarc-reports module's contract: report files handed in and their outcome, the reports kept (and those
// no company claims), and the analysis over the daily roll-up.
import { z } from 'zod';
import { PageQuerySchema, pageOf } from '../../platform/http/pagination.ts';
import { READINESS_REASON_CODES } from './lib/readiness.ts';
import { FILE_REASON_CODES } from './lib/report-rejection.ts';

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

/** A file's outcome as the API gives it: with the code of its reason, for a screen to word in its language. */
export const ImportResultSchema = FileResultSchema.extend({
  reasonCode: z.enum(FILE_REASON_CODES).nullable(),
});
export type ImportResult = z.infer<typeof ImportResultSchema>;

/** The fields of `mamori dmarc import --json`, and no other. */
export const fileResultOf = (result: FileResult): FileResult => FileResultSchema.parse(result);

export const ImportFileQuerySchema = z.strictObject({
  /** The file's name, for the import history (the body is the file itself). */
  name: z.string().trim().min(1).max(255).default('upload'),
});

export const ImportedFileDtoSchema = ImportResultSchema.extend({
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

// ---- analysis ----
const Days = z.coerce.number().int().min(1).max(366).default(30);
const Domain = z.string().trim().toLowerCase().min(1).max(253);

export const AnalysisQuerySchema = z.strictObject({
  companyId: Id.optional(),
  /** An inventoried domain (its subdomains' reports included). */
  domain: Domain.optional(),
  days: Days,
});
export type AnalysisQuery = z.infer<typeof AnalysisQuerySchema>;
const Split = z.object({ aligned: z.number().int(), unaligned: z.number().int(), fail: z.number().int() });
export const AnalysisSchema = z.object({
  from: z.string(),
  to: z.string(),
  messages: z.number().int(),
  pass: z.number().int(),
  fail: z.number().int(),
  /** Per mille. */
  passRate: z.number().int().nullable(),
  forwarded: z.number().int(),
  dkim: Split,
  spf: Split,
  dispositions: z.record(z.string(), z.number().int()),
  /** Every day of the window, oldest first. */
  series: z.array(z.object({ day: z.string(), pass: z.number().int(), fail: z.number().int() })),
  /** The domains in the view, most messages first. */
  domains: z.array(
    z.object({
      domain: z.string(),
      messages: z.number().int(),
      pass: z.number().int(),
      fail: z.number().int(),
    }),
  ),
});
export type Analysis = z.infer<typeof AnalysisSchema>;

export const SourcesQuerySchema = z.strictObject({ domain: Domain, days: Days });
export type SourcesQuery = z.infer<typeof SourcesQuerySchema>;
export const SourceDtoSchema = z.object({
  ip: z.string(),
  /** The reverse DNS name, once looked up. */
  name: z.string().nullable(),
  /** The known sending service its name belongs to. */
  service: z.string().nullable(),
  messages: z.number().int(),
  pass: z.number().int(),
  fail: z.number().int(),
  /** Failing mail that was signed by the domain (DKIM passed, unaligned) or came from its SPF-authorised ranges. */
  failOurs: z.number().int(),
  failForwarded: z.number().int(),
  /** Within the ranges the domain's SPF record authorises (its last complete scan). */
  spfAuthorised: z.boolean(),
  firstDay: z.string(),
  lastDay: z.string(),
});
export type SourceDto = z.infer<typeof SourceDtoSchema>;
export const SourcesSchema = z.object({
  domain: z.string(),
  from: z.string(),
  to: z.string(),
  /** Failing sources of the domain's own: authorised in SPF or signing with its DKIM, but not aligned. Fix these. */
  ours: z.array(SourceDtoSchema),
  /** Failing sources the domain does not know: likely spoofing. A stricter policy stops these. */
  unknown: z.array(SourceDtoSchema),
  /** The sources that pass, most messages first. */
  passing: z.array(SourceDtoSchema),
});
export type Sources = z.infer<typeof SourcesSchema>;

export const ReadinessQuerySchema = z.strictObject({ companyId: Id.optional(), days: Days });
export const ReadinessSchema = z.object({
  from: z.string(),
  to: z.string(),
  domains: z.array(
    z.object({
      domain: z.string(),
      companyId: Id,
      policy: z.enum(['missing', 'none', 'quarantine', 'reject']).nullable(),
      verdict: z.enum(['no-data', 'not-ready', 'ready-quarantine', 'ready-reject', 'at-reject', 'no-record']),
      messages: z.number().int(),
      legitimate: z.number().int(),
      /** Per mille of legitimate mail a stricter policy would hit. */
      affected: z.number().int(),
      /** Why: a code with its figures (shares per mille) for the screens, and the same in English. */
      reasons: z.array(
        z.object({
          code: z.enum(READINESS_REASON_CODES),
          params: z.record(z.string(), z.number()),
          message: z.string(),
        }),
      ),
    }),
  ),
});
export type ReadinessList = z.infer<typeof ReadinessSchema>;

// ---- failure reports ----
export const ListFailureReportsQuerySchema = PageQuerySchema.extend({
  companyId: Id.optional(),
  domain: Domain.optional(),
}).strict();
export type ListFailureReportsQuery = z.infer<typeof ListFailureReportsQuerySchema>;
export const FailureReportDtoSchema = z.object({
  id: Id,
  reportedDomain: z.string(),
  claimDomain: z.string().nullable(),
  companyId: Id.nullable(),
  feedbackType: z.string(),
  sourceIp: z.string().nullable(),
  arrivalAt: Timestamp.nullable(),
  originalMailFrom: z.string().nullable(),
  authFailure: z.string().nullable(),
  deliveryResult: z.string().nullable(),
  receivedAt: Timestamp,
});
export type FailureReportDto = z.infer<typeof FailureReportDtoSchema>;
export const FailureReportPageSchema = pageOf(FailureReportDtoSchema);
export const FailureReportDetailSchema = FailureReportDtoSchema.extend({
  details: z.record(z.string(), z.unknown()),
  /** The original message's header block as received: text, never to be rendered as HTML. */
  originalHeaders: z.string().nullable(),
});
export type FailureReportDetail = z.infer<typeof FailureReportDetailSchema>;
export const IdParamsSchema = z.strictObject({ id: Id });

// ---- known sending services ----
const Suffix = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/,
    'must be a domain name such as amazonses.com',
  );
/** An SPF record's name: labels may start with an underscore (_spf.google.com). */
const SpfName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/,
    'must be a record name such as _spf.google.com',
  );
export const ServiceDtoSchema = z.object({
  id: Id,
  name: z.string(),
  rdnsSuffixes: z.array(z.string()),
  /** SPF records that authorise the service: a source the domain's SPF authorises through one is the service's. */
  spfIncludes: z.array(z.string()),
  version: z.number().int(),
  updatedAt: Timestamp,
});
export type ServiceDto = z.infer<typeof ServiceDtoSchema>;
export const ServiceListSchema = z.object({ items: z.array(ServiceDtoSchema) });
export const CreateServiceSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  rdnsSuffixes: z.array(Suffix).max(50).default([]),
  spfIncludes: z.array(SpfName).max(50).default([]),
});
export type CreateServiceInput = z.infer<typeof CreateServiceSchema>;
export const UpdateServiceSchema = z.strictObject({
  version: z.number().int().min(1),
  name: z.string().trim().min(1).max(100).optional(),
  rdnsSuffixes: z.array(Suffix).max(50).optional(),
  spfIncludes: z.array(SpfName).max(50).optional(),
});
export type UpdateServiceInput = z.infer<typeof UpdateServiceSchema>;

// ---- export ----
export const RecordsCsvQuerySchema = z.strictObject({
  domain: Domain,
  days: Days,
  dmarc: z.enum(['pass', 'fail']).optional(),
  sourceIp: z.string().trim().max(64).optional(),
});
export type RecordsCsvQuery = z.infer<typeof RecordsCsvQuerySchema>;
