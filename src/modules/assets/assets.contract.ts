// The assets module's contract: the information-asset inventory (ISO/IEC 27001 A.5.9–5.12), its
// classification, its relations and its CSV import. Zod schemas are the types, the validation and the OpenAPI.
import { z } from 'zod';
import { RowErrorSchema } from '../../platform/http/field-issue.ts';
import { PageQuerySchema, pageOf } from '../../platform/http/pagination.ts';

export const ASSET_TYPES = [
  'information',
  'personal_information',
  'software',
  'hardware',
  'service',
  'network',
  'site',
  'people',
  'supplier',
] as const;
export const AssetTypeSchema = z.enum(ASSET_TYPES);
export type AssetType = z.infer<typeof AssetTypeSchema>;

export const LIFECYCLE_STATES = ['planned', 'in_use', 'retired', 'disposed'] as const;
export const LifecycleSchema = z.enum(LIFECYCLE_STATES);
export type Lifecycle = z.infer<typeof LifecycleSchema>;

/** Directed: "<from> runs on <to>", "<from> stores <to>", "<from> depends on <to>", "<from> is supplied by <to>". */
export const RELATION_KINDS = ['runs_on', 'stores', 'depends_on', 'supplied_by'] as const;
export const RelationKindSchema = z.enum(RELATION_KINDS);
export type RelationKind = z.infer<typeof RelationKindSchema>;

/** Kinds of personal information an asset holds (APPI / GDPR vocabulary, coarse on purpose). */
export const PERSONAL_DATA_CATEGORIES = [
  'basic_identity',
  'contact',
  'financial',
  'payment_card',
  'government_id',
  'special_care',
  'employment',
  'location',
  'online_identifier',
  'communications',
  'other',
] as const;
export const PersonalDataCategorySchema = z.enum(PERSONAL_DATA_CATEGORIES);
export type PersonalDataCategory = z.infer<typeof PersonalDataCategorySchema>;

/** A company classifies on a scale of 1..levels; 3 until its scale is set. */
export const SCALE_LEVELS = [3, 4] as const;
export const DEFAULT_SCALE_LEVELS = 3;
export const MAX_LEVEL = 4;
export const ScaleLevelsSchema = z.union([z.literal(3), z.literal(4)]);

const Id = z.uuid();
const Version = z.number().int().min(1);
const Timestamp = z.string();
const Level = z.number().int().min(1).max(MAX_LEVEL);
const QueryLevel = z.coerce.number().int().min(1).max(MAX_LEVEL);
const Flag = z.enum(['true', 'false']);

export const AssetCodeSchema = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,49}$/,
    'must be 1-50 letters, digits, _, . or -, starting with a letter or digit',
  );
const Name = z.string().trim().min(1).max(200);
const Description = z.string().trim().max(2000);
const Location = z.string().trim().max(200);
const RecordCount = z.number().int().min(0).max(2_147_483_647);

export const AssetIdParamsSchema = z.strictObject({ id: Id });
export const RelationParamsSchema = z.strictObject({ id: Id, relationId: Id });
export const CompanyParamsSchema = z.strictObject({ companyId: Id });

export const AssetDtoSchema = z.object({
  id: Id,
  companyId: Id,
  code: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  assetType: AssetTypeSchema,
  departmentId: Id.nullable(),
  departmentName: z.string().nullable(),
  ownerPersonId: Id,
  ownerName: z.string(),
  custodianPersonId: Id.nullable(),
  custodianName: z.string().nullable(),
  location: z.string().nullable(),
  lifecycle: LifecycleSchema,
  confidentiality: z.number().int(),
  integrity: z.number().int(),
  availability: z.number().int(),
  personalData: z.boolean(),
  personalDataCategories: z.array(PersonalDataCategorySchema),
  personalRecordCount: z.number().int().nullable(),
  pciScope: z.boolean(),
  specifiedUserInfo: z.boolean(),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type AssetDto = z.infer<typeof AssetDtoSchema>;

export const CreateAssetSchema = z.strictObject({
  companyId: Id,
  /** Left out: the next free code of the company, e.g. KCARD-A-0001. */
  code: AssetCodeSchema.optional(),
  name: Name,
  description: Description.nullable().default(null),
  assetType: AssetTypeSchema,
  departmentId: Id.nullable().default(null),
  ownerPersonId: Id,
  custodianPersonId: Id.nullable().default(null),
  location: Location.nullable().default(null),
  lifecycle: LifecycleSchema.default('in_use'),
  confidentiality: Level,
  integrity: Level,
  availability: Level,
  personalData: z.boolean().default(false),
  personalDataCategories: z
    .array(PersonalDataCategorySchema)
    .max(PERSONAL_DATA_CATEGORIES.length)
    .default([]),
  personalRecordCount: RecordCount.nullable().default(null),
  pciScope: z.boolean().default(false),
  specifiedUserInfo: z.boolean().default(false),
});
export type CreateAssetInput = z.infer<typeof CreateAssetSchema>;

export const UpdateAssetSchema = z.strictObject({
  version: Version,
  code: AssetCodeSchema.optional(),
  name: Name.optional(),
  description: Description.nullable().optional(),
  assetType: AssetTypeSchema.optional(),
  departmentId: Id.nullable().optional(),
  ownerPersonId: Id.optional(),
  custodianPersonId: Id.nullable().optional(),
  location: Location.nullable().optional(),
  lifecycle: LifecycleSchema.optional(),
  confidentiality: Level.optional(),
  integrity: Level.optional(),
  availability: Level.optional(),
  personalData: z.boolean().optional(),
  personalDataCategories: z.array(PersonalDataCategorySchema).max(PERSONAL_DATA_CATEGORIES.length).optional(),
  personalRecordCount: RecordCount.nullable().optional(),
  pciScope: z.boolean().optional(),
  specifiedUserInfo: z.boolean().optional(),
});
export type UpdateAssetInput = z.infer<typeof UpdateAssetSchema>;

/** Every filter of the inventory; the list, the summary and the export take the same ones. */
export const AssetFilterSchema = z.object({
  q: z.string().max(200).optional(),
  companyId: Id.optional(),
  departmentId: Id.optional(),
  assetType: AssetTypeSchema.optional(),
  lifecycle: LifecycleSchema.optional(),
  ownerPersonId: Id.optional(),
  custodianPersonId: Id.optional(),
  location: z.string().max(200).optional(),
  confidentiality: QueryLevel.optional(),
  integrity: QueryLevel.optional(),
  availability: QueryLevel.optional(),
  personalData: Flag.optional(),
  personalDataCategory: PersonalDataCategorySchema.optional(),
  pciScope: Flag.optional(),
  specifiedUserInfo: Flag.optional(),
});
export type AssetFilter = z.infer<typeof AssetFilterSchema>;
export const AssetFilterQuerySchema = AssetFilterSchema.strict();

/** In asset-code order (codes are unique per company and start with its short code, so companies group). */
export const ListAssetsQuerySchema = PageQuerySchema.extend(AssetFilterSchema.shape).strict();
export type ListAssetsQuery = z.infer<typeof ListAssetsQuerySchema>;
export const AssetPageSchema = pageOf(AssetDtoSchema);

export const AssetSummarySchema = z.object({
  total: z.number().int(),
  /** Assets per confidentiality x integrity (cells with none are left out). */
  matrix: z.array(
    z.object({ confidentiality: z.number().int(), integrity: z.number().int(), count: z.number().int() }),
  ),
  byType: z.array(z.object({ assetType: AssetTypeSchema, count: z.number().int() })),
  personalData: z.number().int(),
  pciScope: z.number().int(),
  specifiedUserInfo: z.number().int(),
});
export type AssetSummary = z.infer<typeof AssetSummarySchema>;

// ---- relations and the graph ----
export const RelationDtoSchema = z.object({
  id: Id,
  companyId: Id,
  fromAssetId: Id,
  toAssetId: Id,
  kind: RelationKindSchema,
  createdAt: Timestamp,
});
export type RelationDto = z.infer<typeof RelationDtoSchema>;

export const CreateRelationSchema = z.strictObject({ kind: RelationKindSchema, toAssetId: Id });
export type CreateRelationInput = z.infer<typeof CreateRelationSchema>;

export const MAX_GRAPH_DEPTH = 4;
export const MAX_GRAPH_NODES = 300;
export const GraphQuerySchema = z.strictObject({
  depth: z.coerce.number().int().min(1).max(MAX_GRAPH_DEPTH).default(2),
});

export const GraphNodeSchema = z.object({
  id: Id,
  companyId: Id,
  code: z.string(),
  name: z.string(),
  assetType: AssetTypeSchema,
  lifecycle: LifecycleSchema,
  confidentiality: z.number().int(),
  integrity: z.number().int(),
  availability: z.number().int(),
  /** Hops from the asset the graph is around (0 for itself). */
  distance: z.number().int(),
});
export type GraphNode = z.infer<typeof GraphNodeSchema>;
export const AssetGraphSchema = z.object({
  rootId: Id,
  depth: z.number().int(),
  nodes: z.array(GraphNodeSchema),
  edges: z.array(RelationDtoSchema),
  /** More than MAX_GRAPH_NODES assets were within reach: the farthest were left out. */
  truncated: z.boolean(),
});
export type AssetGraph = z.infer<typeof AssetGraphSchema>;

// ---- bulk edit ----
export const MAX_BULK_ITEMS = 1000;
export const BulkUpdateSchema = z.strictObject({
  /** The selection, each with the version the user saw: any stale one refuses the whole edit. */
  items: z
    .array(z.strictObject({ id: Id, version: Version }))
    .min(1)
    .max(MAX_BULK_ITEMS),
  set: z
    .strictObject({
      ownerPersonId: Id.optional(),
      custodianPersonId: Id.nullable().optional(),
      confidentiality: Level.optional(),
      integrity: Level.optional(),
      availability: Level.optional(),
    })
    .refine((s) => Object.values(s).some((v) => v !== undefined), 'set at least one field'),
});
export type BulkUpdateInput = z.infer<typeof BulkUpdateSchema>;
export const BulkUpdateResultSchema = z.object({ updated: z.number().int(), unchanged: z.number().int() });
export type BulkUpdateResult = z.infer<typeof BulkUpdateResultSchema>;

// ---- classification scale ----
export const AssetScaleDtoSchema = z.object({
  companyId: Id,
  levels: z.number().int(),
  /** 0 while the company uses the default scale and has never set one. */
  version: z.number().int(),
  updatedAt: Timestamp.nullable(),
});
export type AssetScaleDto = z.infer<typeof AssetScaleDtoSchema>;
export const SetAssetScaleSchema = z.strictObject({
  version: z.number().int().min(0),
  levels: ScaleLevelsSchema,
});
export type SetAssetScaleInput = z.infer<typeof SetAssetScaleSchema>;

// ---- CSV import and export ----
/** Columns of the inventory CSV that Mamori imports and exports. */
export const ASSET_CSV_COLUMNS = [
  'company_code',
  'asset_code',
  'name',
  'asset_type',
  'description',
  'department_code',
  'owner_employee_number',
  'custodian_employee_number',
  'location',
  'lifecycle',
  'confidentiality',
  'integrity',
  'availability',
  'personal_data',
  'personal_data_categories',
  'personal_record_count',
  'pci_scope',
  'specified_user_info',
] as const;
export type AssetCsvColumn = (typeof ASSET_CSV_COLUMNS)[number];

export const AssetImportReportSchema = z.object({
  committed: z.boolean(),
  rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  errors: z.array(RowErrorSchema),
  /** More errors were found than listed. */
  errorsTruncated: z.boolean(),
});
export type AssetImportReport = z.infer<typeof AssetImportReportSchema>;
export const AssetImportQuerySchema = z.strictObject({ commit: z.enum(['true', 'false']).default('false') });
export const AssetExportQuerySchema = AssetFilterQuerySchema;
