// The compliance module's contract: adoption of frameworks, the Statement of Applicability, applied controls,
// evidence, scores, certifications and the group dashboard.
import { z } from 'zod';
import { PageQuerySchema, pageOf } from '../../platform/http/pagination.ts';
import { IMPLEMENTATION_STATUSES } from './lib/score.ts';

const Id = z.uuid();
const Day = z.iso.date();
const Text = (max: number) => z.string().trim().min(1).max(max);
const Version = z.number().int().min(1);

export const ImplementationStatusSchema = z.enum(IMPLEMENTATION_STATUSES);
export const EffectiveStatusSchema = z.enum([...IMPLEMENTATION_STATUSES, 'evidence_expired', 'no_evidence']);

export const ScoreSchema = z.object({
  applicable: z.number().int(),
  implemented: z.number().int(),
  satisfied: z.number().int(),
  evidenceExpired: z.number().int(),
  /** Per mille: satisfied / applicable x 1000. */
  score: z.number().int(),
});

export const AdoptionDtoSchema = z.object({
  id: Id,
  companyId: Id,
  frameworkId: Id,
  frameworkRef: z.string(),
  frameworkName: z.string(),
  scopeStatement: z.string().nullable(),
  adoptedAt: z.string(),
  score: ScoreSchema,
  version: z.number().int(),
});
export type AdoptionDto = z.infer<typeof AdoptionDtoSchema>;
export const AdoptionListSchema = z.object({ items: z.array(AdoptionDtoSchema) });
export const AdoptSchema = z.strictObject({
  frameworkId: Id,
  scopeStatement: z.string().trim().max(4000).nullable().default(null),
});
export type AdoptInput = z.infer<typeof AdoptSchema>;
export const CompanyFrameworkParamsSchema = z.strictObject({ companyId: Id, frameworkId: Id });

export const SoaEntryDtoSchema = z.object({
  id: Id,
  companyId: Id,
  frameworkId: Id,
  requirementId: Id,
  requirementRef: z.string(),
  requirementTitle: z.string(),
  section: z.string(),
  applicable: z.boolean(),
  justification: z.string().nullable(),
  status: ImplementationStatusSchema,
  effectiveStatus: EffectiveStatusSchema,
  ownerPersonId: Id.nullable(),
  targetDate: z.string().nullable(),
  appliedControls: z.array(z.object({ id: Id, code: z.string(), name: z.string() })),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type SoaEntryDto = z.infer<typeof SoaEntryDtoSchema>;
export const SoaQuerySchema = z.strictObject({
  section: z.string().max(50).optional(),
  effectiveStatus: EffectiveStatusSchema.optional(),
  q: z.string().max(200).optional(),
});
export type SoaQuery = z.infer<typeof SoaQuerySchema>;
export const SoaSchema = z.object({
  adoption: AdoptionDtoSchema,
  sections: z.array(z.object({ ref: z.string(), title: z.string() })),
  items: z.array(SoaEntryDtoSchema),
});

export const UpdateSoaEntrySchema = z.strictObject({
  version: Version,
  applicable: z.boolean().optional(),
  justification: z.string().trim().max(4000).nullable().optional(),
  status: ImplementationStatusSchema.optional(),
  ownerPersonId: Id.nullable().optional(),
  targetDate: Day.nullable().optional(),
});
export type UpdateSoaEntryInput = z.infer<typeof UpdateSoaEntrySchema>;

export const APPLIED_CONTROL_STATUSES = ['draft', 'active', 'retired'] as const;
export const AppliedControlDtoSchema = z.object({
  id: Id,
  companyId: Id,
  code: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  ownerPersonId: Id.nullable(),
  status: z.enum(APPLIED_CONTROL_STATUSES),
  requirements: z.array(z.object({ id: Id, frameworkId: Id, ref: z.string(), title: z.string() })),
  evidenceState: z.enum(['valid', 'expired', 'none']),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AppliedControlDto = z.infer<typeof AppliedControlDtoSchema>;
export const AppliedControlPageSchema = pageOf(AppliedControlDtoSchema);
export const ListAppliedControlsQuerySchema = PageQuerySchema.extend({
  companyId: Id.optional(),
  q: z.string().max(200).optional(),
  requirementId: Id.optional(),
}).strict();
export type ListAppliedControlsQuery = z.infer<typeof ListAppliedControlsQuerySchema>;
const Code = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[^\s]+$/, 'must not contain spaces');
export const CreateAppliedControlSchema = z.strictObject({
  companyId: Id,
  code: Code,
  name: Text(200),
  description: z.string().trim().max(4000).nullable().default(null),
  ownerPersonId: Id.nullable().default(null),
  status: z.enum(APPLIED_CONTROL_STATUSES).default('active'),
  requirementIds: z.array(Id).max(500).default([]),
});
export type CreateAppliedControlInput = z.infer<typeof CreateAppliedControlSchema>;
export const UpdateAppliedControlSchema = z.strictObject({
  version: Version,
  code: Code.optional(),
  name: Text(200).optional(),
  description: z.string().trim().max(4000).nullable().optional(),
  ownerPersonId: Id.nullable().optional(),
  status: z.enum(APPLIED_CONTROL_STATUSES).optional(),
  requirementIds: z.array(Id).max(500).optional(),
});
export type UpdateAppliedControlInput = z.infer<typeof UpdateAppliedControlSchema>;

export const EvidenceDtoSchema = z.object({
  id: Id,
  companyId: Id,
  appliedControlId: Id,
  kind: z.enum(['file', 'link', 'note']),
  title: z.string(),
  url: z.string().nullable(),
  note: z.string().nullable(),
  file: z
    .object({ sha256: z.string(), name: z.string(), size: z.number().int(), mediaType: z.string() })
    .nullable(),
  validFrom: z.string(),
  validUntil: z.string().nullable(),
  state: z.enum(['valid', 'expired', 'not_yet_valid']),
  version: z.number().int(),
  createdAt: z.string(),
});
export type EvidenceDto = z.infer<typeof EvidenceDtoSchema>;
export const EvidenceListSchema = z.object({ items: z.array(EvidenceDtoSchema) });
const Validity = { validFrom: Day, validUntil: Day.nullable().default(null) };
export const CreateEvidenceSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('link'),
    title: Text(300),
    url: z.url({ protocol: /^https?$/ }).max(2000),
    ...Validity,
  }),
  z.strictObject({ kind: z.literal('note'), title: Text(300), note: Text(20_000), ...Validity }),
]);
export type CreateEvidenceInput = z.infer<typeof CreateEvidenceSchema>;
export const EvidenceFileQuerySchema = z.strictObject({
  title: Text(300),
  fileName: Text(255),
  validFrom: Day,
  validUntil: Day.optional(),
});
export const UpdateEvidenceSchema = z.strictObject({
  version: Version,
  title: Text(300).optional(),
  validFrom: Day.optional(),
  validUntil: Day.nullable().optional(),
});
export type UpdateEvidenceInput = z.infer<typeof UpdateEvidenceSchema>;
export const ExpiringEvidenceQuerySchema = z.strictObject({
  companyId: Id.optional(),
  days: z.coerce.number().int().min(0).max(366).default(30),
});
export const ExpiringEvidenceSchema = z.object({
  items: z.array(
    EvidenceDtoSchema.extend({
      companyName: z.string(),
      controlCode: z.string(),
      controlName: z.string(),
      daysLeft: z.number().int(),
    }),
  ),
});

export const ScoreHistorySchema = z.object({ items: z.array(ScoreSchema.extend({ date: z.string() })) });
export const ScoreHistoryQuerySchema = z.strictObject({ from: Day.optional(), to: Day.optional() });

export const CERTIFICATION_STATUSES = ['planned', 'active', 'suspended', 'withdrawn', 'expired'] as const;
export const AUDIT_KINDS = ['initial', 'surveillance', 'recertification'] as const;
export const AUDIT_OUTCOMES = ['planned', 'passed', 'passed_with_findings', 'failed', 'cancelled'] as const;
export const CertificationAuditDtoSchema = z.object({
  id: Id,
  certificationId: Id,
  kind: z.enum(AUDIT_KINDS),
  plannedOn: z.string(),
  heldOn: z.string().nullable(),
  outcome: z.enum(AUDIT_OUTCOMES),
  notes: z.string().nullable(),
  version: z.number().int(),
});
export type CertificationAuditDto = z.infer<typeof CertificationAuditDtoSchema>;
export const CertificationDtoSchema = z.object({
  id: Id,
  companyId: Id,
  companyName: z.string(),
  standard: z.string(),
  scope: z.string(),
  certificationBody: z.string(),
  certificateNumber: z.string().nullable(),
  firstCertifiedOn: z.string().nullable(),
  expiresOn: z.string().nullable(),
  status: z.enum(CERTIFICATION_STATUSES),
  audits: z.array(CertificationAuditDtoSchema),
  nextAudit: CertificationAuditDtoSchema.nullable(),
  overdue: z.boolean(),
  version: z.number().int(),
});
export type CertificationDto = z.infer<typeof CertificationDtoSchema>;
export const CertificationListSchema = z.object({ items: z.array(CertificationDtoSchema) });
export const ListCertificationsQuerySchema = z.strictObject({ companyId: Id.optional() });
export const CreateCertificationSchema = z.strictObject({
  companyId: Id,
  standard: Text(100),
  scope: Text(4000),
  certificationBody: Text(200),
  certificateNumber: z.string().trim().max(100).nullable().default(null),
  firstCertifiedOn: Day.nullable().default(null),
  expiresOn: Day.nullable().default(null),
  status: z.enum(CERTIFICATION_STATUSES).default('active'),
});
export type CreateCertificationInput = z.infer<typeof CreateCertificationSchema>;
export const UpdateCertificationSchema = z.strictObject({
  version: Version,
  standard: Text(100).optional(),
  scope: Text(4000).optional(),
  certificationBody: Text(200).optional(),
  certificateNumber: z.string().trim().max(100).nullable().optional(),
  firstCertifiedOn: Day.nullable().optional(),
  expiresOn: Day.nullable().optional(),
  status: z.enum(CERTIFICATION_STATUSES).optional(),
});
export type UpdateCertificationInput = z.infer<typeof UpdateCertificationSchema>;
export const CreateCertificationAuditSchema = z.strictObject({
  kind: z.enum(AUDIT_KINDS),
  plannedOn: Day,
  heldOn: Day.nullable().default(null),
  outcome: z.enum(AUDIT_OUTCOMES).default('planned'),
  notes: z.string().trim().max(4000).nullable().default(null),
});
export type CreateCertificationAuditInput = z.infer<typeof CreateCertificationAuditSchema>;
export const UpdateCertificationAuditSchema = z.strictObject({
  version: Version,
  plannedOn: Day.optional(),
  heldOn: Day.nullable().optional(),
  outcome: z.enum(AUDIT_OUTCOMES).optional(),
  notes: z.string().trim().max(4000).nullable().optional(),
});
export type UpdateCertificationAuditInput = z.infer<typeof UpdateCertificationAuditSchema>;

export const DashboardSchema = z.object({
  date: z.string(),
  companies: z.array(z.object({ id: Id, name: z.string(), shortCode: z.string() })),
  frameworks: z.array(z.object({ id: Id, ref: z.string(), name: z.string() })),
  matrix: z.array(ScoreSchema.extend({ companyId: Id, frameworkId: Id })),
  heatmap: z
    .object({
      frameworkId: Id,
      sections: z.array(z.object({ ref: z.string(), title: z.string() })),
      cells: z.array(ScoreSchema.extend({ companyId: Id, section: z.string() })),
    })
    .nullable(),
  calendar: z.array(
    z.object({
      companyId: Id,
      certificationId: Id,
      standard: z.string(),
      kind: z.enum([...AUDIT_KINDS, 'expiry']),
      date: z.string(),
      overdue: z.boolean(),
    }),
  ),
  /** Evidence records ending within the next 30 days. */
  expiringEvidence: z.number().int(),
  /** Evidence records that ended within the last 90 days. */
  expiredEvidence: z.number().int(),
});
export type DashboardDto = z.infer<typeof DashboardSchema>;
export const DashboardQuerySchema = z.strictObject({
  heatmapFramework: z.string().max(64).default('iso27001-2022'),
});
