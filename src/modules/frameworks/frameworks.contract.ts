// The frameworks module's contract: control catalogs and their requirements.
import { z } from 'zod';

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
