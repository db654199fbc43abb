// The frameworks module's contract: control catalogs and their requirements.
import { z } from 'zod';
import { RowErrorSchema } from '../../platform/http/field-issue.ts';

const Id = z.uuid();

export const FrameworkDtoSchema = z.object({
  id: Id,
  ref: z.string(),
  name: z.string(),
  /** The catalog's own edition label (e.g. "2022", "4.0", "5.0.1"). */
  edition: z.string(),
  publisher: z.string().nullable(),
  source: z.enum(['builtin', 'oscal']),
  /** Assessable requirements: controls and enhancements, withdrawn ones included, or the catalog's leaves. */
  requirements: z.number().int(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type FrameworkDto = z.infer<typeof FrameworkDtoSchema>;
export const FrameworkListSchema = z.object({ items: z.array(FrameworkDtoSchema) });

export const RequirementDtoSchema = z.object({
  id: Id,
  parentId: Id.nullable(),
  ref: z.string(),
  title: z.string(),
  kind: z.string(),
  class: z.string().nullable(),
  depth: z.number().int(),
  assessable: z.boolean(),
  withdrawn: z.boolean(),
});
export type RequirementDto = z.infer<typeof RequirementDtoSchema>;
export const RequirementListSchema = z.object({
  framework: FrameworkDtoSchema,
  items: z.array(RequirementDtoSchema),
});

export const FrameworkParamsSchema = z.strictObject({ id: Id });
const Ref = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'must be 2-64 lower-case letters, digits, . _ or -');
export const FrameworkRefSchema = Ref;
export const ImportOscalQuerySchema = z.strictObject({ ref: Ref.optional() });

export const MappingRelationSchema = z.enum(['equivalent', 'subset', 'superset', 'intersects']);
const MappedRequirement = z.object({
  id: Id,
  frameworkId: Id,
  frameworkRef: z.string(),
  ref: z.string(),
  title: z.string(),
});
export const MappingDtoSchema = z.object({
  id: Id,
  source: MappedRequirement,
  target: MappedRequirement,
  /** How the source relates to the target: the source's requirement set is equivalent to, a subset of, … the target's. */
  relation: MappingRelationSchema,
  note: z.string().nullable(),
  version: z.number().int(),
});
export type MappingDto = z.infer<typeof MappingDtoSchema>;
export const MappingListSchema = z.object({ items: z.array(MappingDtoSchema) });
export const CreateMappingSchema = z.strictObject({
  sourceRequirementId: Id,
  targetRequirementId: Id,
  relation: MappingRelationSchema,
  note: z.string().trim().max(2000).nullable().default(null),
});
export type CreateMappingInput = z.infer<typeof CreateMappingSchema>;
export const UpdateMappingSchema = z.strictObject({
  version: z.number().int().min(1),
  relation: MappingRelationSchema.optional(),
  note: z.string().trim().max(2000).nullable().optional(),
});
export type UpdateMappingInput = z.infer<typeof UpdateMappingSchema>;
export const RequirementParamsSchema = z.strictObject({ id: Id });
export const MappingImportQuerySchema = z.strictObject({
  commit: z.enum(['true', 'false']).default('false'),
});
export const MappingImportReportSchema = z.object({
  committed: z.boolean(),
  rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  errors: z.array(RowErrorSchema),
  errorsTruncated: z.boolean(),
});
export type MappingImportReport = z.infer<typeof MappingImportReportSchema>;
export const MappingExportQuerySchema = z.strictObject({ framework: z.string().max(64).optional() });
