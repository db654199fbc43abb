// The email-auth module's contract: each company's sending and parked domains, their posture scans with history
// and regressions, the group's roll-up and the DMARC rollout board.
import { z } from 'zod';
import { PageQuerySchema, pageOf } from '../../platform/http/pagination.ts';

const Id = z.uuid();
const Version = z.number().int().min(1);
const Timestamp = z.string();

/** A registrable DNS name: letters, digits and hyphens in labels of up to 63, at least two labels, 253 in all. */
export const DomainNameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .transform((s) => s.replace(/\.$/, ''))
  .pipe(
    z
      .string()
      .max(253)
      .regex(
        /^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
        'must be a domain name such as example.co.jp',
      ),
  );
const Selector = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9_](?:[a-z0-9_-]{0,62})(?:\.[a-z0-9_](?:[a-z0-9_-]{0,62}))*$/, 'must be a DKIM selector')
  .max(200);
/** An address the domain's mail leaves from (checked against SPF); validated by the service. */
const Source = z.string().trim().min(2).max(64);

export const DOMAIN_ROLES = ['sends', 'parked'] as const;
export const DomainRoleSchema = z.enum(DOMAIN_ROLES);
export const DMARC_STAGES = ['missing', 'none', 'quarantine', 'reject'] as const;
export const DmarcStageSchema = z.enum(DMARC_STAGES);
export type DmarcStage = z.infer<typeof DmarcStageSchema>;
export const SEVERITIES = ['info', 'warning', 'error'] as const;
export const SeveritySchema = z.enum(SEVERITIES);

export const DomainIdParamsSchema = z.strictObject({ id: Id });
export const ScanIdParamsSchema = z.strictObject({ id: Id });

export const PostureSchema = z.object({
  spf: z.enum(['pass', 'warn', 'fail', 'missing']),
  dmarcPolicy: DmarcStageSchema,
  dmarcPct: z.number().int().nullable(),
  dkimStrong: z.boolean(),
  mtaSts: z.enum(['enforce', 'testing', 'none', 'missing']),
  tlsRpt: z.boolean(),
  bimi: z.boolean(),
});
export type PostureDto = z.infer<typeof PostureSchema>;

export const EmailDomainDtoSchema = z.object({
  id: Id,
  companyId: Id,
  name: z.string(),
  service: z.string(),
  role: DomainRoleSchema,
  ownerPersonId: Id.nullable(),
  dkimSelectors: z.array(z.string()),
  expectedSources: z.array(z.string()),
  scanIntervalHours: z.number().int(),
  raiseRisks: z.boolean(),
  nextScanAt: Timestamp,
  /** The last complete scan: the posture below is its. */
  lastScanId: Id.nullable(),
  lastScannedAt: Timestamp.nullable(),
  /** When the last scan ran, complete or not. */
  lastAttemptAt: Timestamp.nullable(),
  /** The last complete scan's roll-up and finding counts; null before the first. */
  posture: PostureSchema.nullable(),
  errors: z.number().int().nullable(),
  warnings: z.number().int().nullable(),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type EmailDomainDto = z.infer<typeof EmailDomainDtoSchema>;

const DomainFields = {
  service: z.string().trim().min(1).max(200),
  role: DomainRoleSchema,
  ownerPersonId: Id.nullable(),
  dkimSelectors: z.array(Selector).max(50),
  expectedSources: z.array(Source).max(100),
  scanIntervalHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30),
  raiseRisks: z.boolean(),
};

export const CreateEmailDomainSchema = z.strictObject({
  companyId: Id,
  name: DomainNameSchema,
  service: DomainFields.service,
  role: DomainFields.role.default('sends'),
  ownerPersonId: DomainFields.ownerPersonId.default(null),
  dkimSelectors: DomainFields.dkimSelectors.default([]),
  expectedSources: DomainFields.expectedSources.default([]),
  scanIntervalHours: DomainFields.scanIntervalHours.default(24),
  raiseRisks: DomainFields.raiseRisks.default(true),
});
export type CreateEmailDomainInput = z.infer<typeof CreateEmailDomainSchema>;

export const UpdateEmailDomainSchema = z.strictObject({
  version: Version,
  service: DomainFields.service.optional(),
  role: DomainFields.role.optional(),
  ownerPersonId: DomainFields.ownerPersonId.optional(),
  dkimSelectors: DomainFields.dkimSelectors.optional(),
  expectedSources: DomainFields.expectedSources.optional(),
  scanIntervalHours: DomainFields.scanIntervalHours.optional(),
  raiseRisks: DomainFields.raiseRisks.optional(),
});
export type UpdateEmailDomainInput = z.infer<typeof UpdateEmailDomainSchema>;

export const EmailDomainFilterSchema = z.object({
  companyId: Id.optional(),
  role: DomainRoleSchema.optional(),
  /** Name or service containing this text. */
  q: z.string().trim().max(200).optional(),
  dmarcPolicy: DmarcStageSchema.optional(),
  /** true: only domains whose last scan found errors. */
  failing: z.enum(['true', 'false']).optional(),
});
/** By name. */
export const ListEmailDomainsQuerySchema = PageQuerySchema.extend(EmailDomainFilterSchema.shape).strict();
export type ListEmailDomainsQuery = z.infer<typeof ListEmailDomainsQuerySchema>;
export const EmailDomainPageSchema = pageOf(EmailDomainDtoSchema);

// ---- scans ----
export const RegressionSchema = z.object({
  code: z.string(),
  severity: SeveritySchema,
  message: z.string(),
});
export type Regression = z.infer<typeof RegressionSchema>;

export const FindingDtoSchema = z.object({
  check: z.string(),
  code: z.string(),
  severity: SeveritySchema,
  message: z.string(),
  selector: z.string().optional(),
});

export const ScanDtoSchema = z.object({
  id: Id,
  domainId: Id,
  domain: z.string(),
  companyId: Id,
  scannedAt: Timestamp,
  durationMs: z.number().int(),
  trigger: z.enum(['scheduled', 'manual']),
  /** False when a lookup failed or the deadline cut the scan short: it is kept, but moves neither the domain's posture nor the regressions. */
  complete: z.boolean(),
  errors: z.number().int(),
  warnings: z.number().int(),
  posture: PostureSchema,
  /** What got worse since the scan before. */
  regressions: z.array(RegressionSchema),
});
export type ScanDto = z.infer<typeof ScanDtoSchema>;
export const ScanPageSchema = pageOf(ScanDtoSchema);
/** A scan with its whole report (every section's records, fetches and findings). */
export const ScanDetailSchema = ScanDtoSchema.extend({
  findings: z.array(FindingDtoSchema),
  report: z.record(z.string(), z.unknown()),
});
export type ScanDetail = z.infer<typeof ScanDetailSchema>;
export const ListScansQuerySchema = PageQuerySchema.strict();

// ---- alerts ----
export const AlertIdParamsSchema = z.strictObject({ id: Id });
export const AlertsQuerySchema = PageQuerySchema.extend({
  companyId: Id.optional(),
  domainId: Id.optional(),
  /** true: only alerts not yet acknowledged. */
  open: z.enum(['true', 'false']).optional(),
}).strict();
export type AlertsQuery = z.infer<typeof AlertsQuerySchema>;
export const AlertDtoSchema = z.object({
  id: Id,
  /** The scan that found the regressions; null for an alert from DMARC reports. */
  scanId: Id.nullable(),
  domainId: Id,
  domain: z.string(),
  companyId: Id,
  raisedAt: Timestamp,
  severity: SeveritySchema,
  regressions: z.array(RegressionSchema),
  /** The risk raised, or found already raised from this domain, in the register. */
  riskId: Id.nullable(),
  /** Why no risk was raised, when none was (raising is off, only warnings, no owner or CISO, no risk method). */
  riskNote: z.string().nullable(),
  acknowledgedAt: Timestamp.nullable(),
  acknowledgedBy: z.string().nullable(),
  version: z.number().int(),
});
export type AlertDto = z.infer<typeof AlertDtoSchema>;
export const AlertPageSchema = pageOf(AlertDtoSchema);
export const AcknowledgeAlertSchema = z.strictObject({ version: Version });

export const RescanSchema = z.strictObject({ companyId: Id.optional() });
export const RescanResultSchema = z.object({ queued: z.number().int() });

// ---- the group ----
export const RollupQuerySchema = z.strictObject({ companyId: Id.optional() });
const StageCounts = z.object({
  missing: z.number().int(),
  none: z.number().int(),
  quarantine: z.number().int(),
  reject: z.number().int(),
});
export const RollupSchema = z.object({
  domains: z.number().int(),
  sending: z.number().int(),
  parked: z.number().int(),
  /** Scanned completely at least once: all domains, and the sending ones (the base of the DKIM, MTA-STS, TLS-RPT and BIMI shares). */
  scanned: z.number().int(),
  sendingScanned: z.number().int(),
  /** Over every scanned domain, parked ones too ("v=spf1 -all"). */
  spf: z.object({
    pass: z.number().int(),
    warn: z.number().int(),
    fail: z.number().int(),
    missing: z.number().int(),
  }),
  dmarc: StageCounts,
  dkimStrong: z.number().int(),
  mtaSts: z.object({
    enforce: z.number().int(),
    testing: z.number().int(),
    none: z.number().int(),
    missing: z.number().int(),
  }),
  tlsRpt: z.number().int(),
  bimi: z.number().int(),
  /** Parked domains with SPF -all, DMARC reject and no error found. */
  parkedLocked: z.number().int(),
  withErrors: z.number().int(),
  companies: z.array(
    z.object({ companyId: Id, domains: z.number().int(), dmarc: StageCounts, withErrors: z.number().int() }),
  ),
});
export type Rollup = z.infer<typeof RollupSchema>;

/** The sending domains in columns by the DMARC policy that applies to them, p=none to p=reject. */
export const RolloutBoardSchema = z.object({
  columns: z.array(
    z.object({
      stage: DmarcStageSchema,
      domains: z.array(
        EmailDomainDtoSchema.pick({
          id: true,
          companyId: true,
          name: true,
          service: true,
          lastScannedAt: true,
          errors: true,
          warnings: true,
        }).extend({ dmarcPct: z.number().int().nullable() }),
      ),
    }),
  ),
});
export type RolloutBoard = z.infer<typeof RolloutBoardSchema>;
