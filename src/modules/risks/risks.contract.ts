// The risks module's contract: each company's risk method, the group's threat and vulnerability catalogue,
// the risk register with treatment and acceptance, and the heat map (ISO/IEC 27001 6.1.2, 6.1.3, 8.2, 8.3).
import { z } from 'zod';
import { PageQuerySchema, pageOf } from '../../platform/http/pagination.ts';

const Id = z.uuid();
const Version = z.number().int().min(1);
const Timestamp = z.string();
const DateOnly = z.iso.date();
const Score = z.number().int().min(0).max(99);

export const CompanyParamsSchema = z.strictObject({ companyId: Id });
export const MethodVersionParamsSchema = z.strictObject({
  companyId: Id,
  version: z.coerce.number().int().min(1),
});
export const RiskIdParamsSchema = z.strictObject({ id: Id });
export const CatalogueIdParamsSchema = z.strictObject({ id: Id });

// ---- the method ----
// Sizes and numbering are checked by the service (422 with field paths), not here, so that a wrong count is
// reported like any other rule of the method.
const ScaleLevelSchema = z.strictObject({
  level: z.number().int().min(0).max(99),
  name: z.string().trim().min(1).max(100),
  criteria: z.string().trim().max(2000),
});
const RiskLevelSchema = z.strictObject({
  name: z.string().trim().min(1).max(50),
  rank: z.number().int().min(0).max(99),
});
const MatrixCellSchema = z.strictObject({
  likelihood: Score,
  impact: Score,
  level: z.string().trim().min(1).max(50),
});

export const RiskMethodDefinitionSchema = z.strictObject({
  likelihood: z.array(ScaleLevelSchema).max(20),
  impact: z.array(ScaleLevelSchema).max(20),
  levels: z.array(RiskLevelSchema).max(20),
  matrix: z.array(MatrixCellSchema).max(400),
  acceptanceThreshold: z.string().trim().min(1).max(50),
});

/** `version` is the current method version the change is based on; 0 when the company has none yet. */
export const SetRiskMethodSchema = RiskMethodDefinitionSchema.extend({
  version: z.number().int().min(0),
}).strict();
export type SetRiskMethodInput = z.infer<typeof SetRiskMethodSchema>;

export const RiskMethodDtoSchema = z.object({
  companyId: Id,
  version: z.number().int(),
  likelihood: z.array(z.object({ level: z.number().int(), name: z.string(), criteria: z.string() })),
  impact: z.array(z.object({ level: z.number().int(), name: z.string(), criteria: z.string() })),
  levels: z.array(z.object({ name: z.string(), rank: z.number().int() })),
  matrix: z.array(z.object({ likelihood: z.number().int(), impact: z.number().int(), level: z.string() })),
  acceptanceThreshold: z.string(),
  createdAt: Timestamp,
  createdBy: z.string(),
});
export type RiskMethodDto = z.infer<typeof RiskMethodDtoSchema>;

// ---- the catalogue ----
export const CATALOGUE_KINDS = ['threat', 'vulnerability'] as const;
export const CatalogueKindSchema = z.enum(CATALOGUE_KINDS);
export type CatalogueKind = z.infer<typeof CatalogueKindSchema>;
const CatalogueCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,29}$/, 'must be 1-30 letters, digits, _, . or -');

export const CatalogueItemDtoSchema = z.object({
  id: Id,
  kind: CatalogueKindSchema,
  code: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type CatalogueItemDto = z.infer<typeof CatalogueItemDtoSchema>;
export const CatalogueListSchema = z.object({ items: z.array(CatalogueItemDtoSchema) });
export const CatalogueQuerySchema = z.strictObject({ kind: CatalogueKindSchema.optional() });
export const CreateCatalogueItemSchema = z.strictObject({
  kind: CatalogueKindSchema,
  code: CatalogueCode,
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().max(2000).nullable().default(null),
});
export type CreateCatalogueItemInput = z.infer<typeof CreateCatalogueItemSchema>;
export const UpdateCatalogueItemSchema = z.strictObject({
  version: Version,
  code: CatalogueCode.optional(),
  name: z.string().trim().min(1).max(200).optional(),
  description: z.string().trim().max(2000).nullable().optional(),
});
export type UpdateCatalogueItemInput = z.infer<typeof UpdateCatalogueItemSchema>;

// ---- the register ----
export const TREATMENTS = ['mitigate', 'accept', 'transfer', 'avoid'] as const;
export const TreatmentSchema = z.enum(TREATMENTS);
export type Treatment = z.infer<typeof TreatmentSchema>;

const ScoreInput = z.strictObject({ likelihood: Score, impact: Score });
const TaskInput = z.strictObject({
  id: Id.optional(),
  title: z.string().trim().min(1).max(300),
  ownerPersonId: Id.nullable().default(null),
  dueDate: DateOnly.nullable().default(null),
  done: z.boolean().default(false),
});
export type TaskInput = z.infer<typeof TaskInput>;

const RiskFields = {
  title: z.string().trim().min(1).max(300),
  scenario: z.string().trim().max(5000),
  assetIds: z.array(Id).max(200),
  threatId: Id.nullable(),
  vulnerabilityId: Id.nullable(),
  ownerPersonId: Id,
  inherent: ScoreInput,
  residual: ScoreInput,
  controlIds: z.array(Id).max(200),
  treatment: TreatmentSchema,
  tasks: z.array(TaskInput).max(100),
  reviewDate: DateOnly.nullable(),
};

/** Where a risk was raised from: an asset, a failing requirement of an SoA, or another module's finding. */
export const RISK_SOURCE_KINDS = [
  'asset',
  'requirement',
  'email-domain',
  'dmarc',
  'incident',
  'vulnerability',
] as const;
export const RiskSourceKindSchema = z.enum(RISK_SOURCE_KINDS);
export const RiskSourceSchema = z.strictObject({
  kind: RiskSourceKindSchema,
  /** The id (or, for a domain, the name) of what raised the risk. */
  ref: z.string().trim().min(1).max(200),
  label: z.string().trim().max(300).default(''),
});
export type RiskSource = z.infer<typeof RiskSourceSchema>;

export const CreateRiskSchema = z.strictObject({
  companyId: Id,
  title: RiskFields.title,
  scenario: RiskFields.scenario.default(''),
  assetIds: RiskFields.assetIds.default([]),
  threatId: RiskFields.threatId.default(null),
  vulnerabilityId: RiskFields.vulnerabilityId.default(null),
  ownerPersonId: RiskFields.ownerPersonId,
  inherent: RiskFields.inherent,
  residual: RiskFields.residual,
  controlIds: RiskFields.controlIds.default([]),
  treatment: RiskFields.treatment.default('mitigate'),
  tasks: RiskFields.tasks.default([]),
  reviewDate: RiskFields.reviewDate.default(null),
  source: RiskSourceSchema.nullable().default(null),
});
export type CreateRiskInput = z.infer<typeof CreateRiskSchema>;

/** Scores given are assessed under the company's current method, and the risk then records that version. */
export const UpdateRiskSchema = z.strictObject({
  version: Version,
  title: RiskFields.title.optional(),
  scenario: RiskFields.scenario.optional(),
  assetIds: RiskFields.assetIds.optional(),
  threatId: RiskFields.threatId.optional(),
  vulnerabilityId: RiskFields.vulnerabilityId.optional(),
  ownerPersonId: RiskFields.ownerPersonId.optional(),
  inherent: RiskFields.inherent.optional(),
  residual: RiskFields.residual.optional(),
  controlIds: RiskFields.controlIds.optional(),
  treatment: RiskFields.treatment.optional(),
  tasks: RiskFields.tasks.optional(),
  reviewDate: RiskFields.reviewDate.optional(),
});
export type UpdateRiskInput = z.infer<typeof UpdateRiskSchema>;

export const AcceptRiskSchema = z.strictObject({
  version: Version,
  expiresOn: DateOnly,
  note: z.string().trim().max(2000).nullable().default(null),
});
export type AcceptRiskInput = z.infer<typeof AcceptRiskSchema>;

const AssessedSchema = z.object({
  likelihood: z.number().int(),
  impact: z.number().int(),
  level: z.string(),
  rank: z.number().int(),
});
export const TaskDtoSchema = z.object({
  id: Id,
  title: z.string(),
  ownerPersonId: Id.nullable(),
  dueDate: z.string().nullable(),
  done: z.boolean(),
});
export type TaskDto = z.infer<typeof TaskDtoSchema>;

export const RiskDtoSchema = z.object({
  id: Id,
  companyId: Id,
  title: z.string(),
  scenario: z.string(),
  assetIds: z.array(Id),
  threatId: Id.nullable(),
  vulnerabilityId: Id.nullable(),
  ownerPersonId: Id,
  methodVersion: z.number().int(),
  inherent: AssessedSchema,
  residual: AssessedSchema,
  /** Is the residual level above the acceptance threshold of the method the risk was assessed under? */
  aboveThreshold: z.boolean(),
  controlIds: z.array(Id),
  treatment: TreatmentSchema,
  tasks: z.array(TaskDtoSchema),
  reviewDate: z.string().nullable(),
  acceptance: z
    .object({
      acceptedAt: Timestamp,
      acceptedBy: z.string(),
      expiresOn: z.string(),
      note: z.string().nullable(),
    })
    .nullable(),
  source: z.object({ kind: RiskSourceKindSchema, ref: z.string(), label: z.string() }).nullable(),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type RiskDto = z.infer<typeof RiskDtoSchema>;

const Flag = z.enum(['true', 'false']);
export const RiskFilterSchema = z.object({
  companyId: Id.optional(),
  ownerPersonId: Id.optional(),
  /** The residual level's name. */
  level: z.string().max(50).optional(),
  treatment: TreatmentSchema.optional(),
  /** true: only risks whose review date is past. */
  overdueReview: Flag.optional(),
  /** Title or scenario containing this text (any case). */
  q: z.string().trim().max(200).optional(),
  /** Risks affecting this asset. */
  assetId: Id.optional(),
  /** One cell of the heat map (both coordinates of a side together). */
  inherentLikelihood: z.coerce.number().int().min(0).max(99).optional(),
  inherentImpact: z.coerce.number().int().min(0).max(99).optional(),
  residualLikelihood: z.coerce.number().int().min(0).max(99).optional(),
  residualImpact: z.coerce.number().int().min(0).max(99).optional(),
  /** One bar of the group view: risks at this level rank. */
  inherentRank: z.coerce.number().int().min(0).max(99).optional(),
  residualRank: z.coerce.number().int().min(0).max(99).optional(),
  sourceKind: RiskSourceKindSchema.optional(),
  sourceRef: z.string().trim().min(1).max(200).optional(),
});
/** Newest first. */
export const ListRisksQuerySchema = PageQuerySchema.extend(RiskFilterSchema.shape).strict();
export type ListRisksQuery = z.infer<typeof ListRisksQuerySchema>;
export const RiskPageSchema = pageOf(RiskDtoSchema);

export const DueQuerySchema = z.strictObject({ companyId: Id.optional() });
export const DueRisksSchema = z.object({
  expiredAcceptances: z.array(RiskDtoSchema),
  overdueReviews: z.array(RiskDtoSchema),
});
export type DueRisks = z.infer<typeof DueRisksSchema>;

export const HeatmapQuerySchema = z.strictObject({ companyId: Id.optional() });
export const HeatmapSchema = z.object({
  companyId: Id.nullable(),
  /** The company's current method version (company view); null for the group view. */
  methodVersion: z.number().int().nullable(),
  /** Company view: every cell of the current method's matrix with its counts; empty in the group view. */
  cells: z.array(
    z.object({
      likelihood: z.number().int(),
      impact: z.number().int(),
      level: z.string().nullable(),
      inherent: z.number().int(),
      residual: z.number().int(),
    }),
  ),
  /** Counts per level rank, inherent and residual side by side (both views). */
  byRank: z.array(
    z.object({ rank: z.number().int(), inherent: z.number().int(), residual: z.number().int() }),
  ),
  total: z.number().int(),
});
export type Heatmap = z.infer<typeof HeatmapSchema>;

export const TopRisksQuerySchema = z.strictObject({
  companyId: Id.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});
export type TopRisksQuery = z.infer<typeof TopRisksQuerySchema>;
/** Highest residual level first, then highest inherent level, then the most recently changed. */
export const TopRisksSchema = z.object({ items: z.array(RiskDtoSchema) });

export const TrendQuerySchema = z.strictObject({
  companyId: Id.optional(),
  days: z.coerce.number().int().min(7).max(730).default(90),
});
export type TrendQuery = z.infer<typeof TrendQuerySchema>;
const RankCountsSchema = z.array(
  z.object({ rank: z.number().int(), inherent: z.number().int(), residual: z.number().int() }),
);
export type RankCounts = z.infer<typeof RankCountsSchema>;
export const TrendPointSchema = z.object({
  date: z.string(),
  total: z.number().int(),
  /** Residual level above the acceptance threshold of the method each risk was assessed under. */
  aboveThreshold: z.number().int(),
  accepted: z.number().int(),
  overdueReviews: z.number().int(),
  byRank: RankCountsSchema,
});
export type TrendPoint = z.infer<typeof TrendPointSchema>;
/** One point per day from the daily snapshots; a day without a change carries the day before. */
export const TrendSchema = z.object({ companyId: Id.nullable(), points: z.array(TrendPointSchema) });
export type Trend = z.infer<typeof TrendSchema>;
