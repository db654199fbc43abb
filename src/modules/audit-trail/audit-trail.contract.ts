// The audit trail's contract: browsing entries and verifying the chain.
import { z } from 'zod';
import { PageQuerySchema, pageOf } from '../../platform/http/pagination.ts';

export const AuditEntryDtoSchema = z.object({
  seq: z.number().int(),
  id: z.string(),
  occurredAt: z.string(),
  actorUserId: z.string().nullable(),
  actorLabel: z.string(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  companyId: z.string().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  requestId: z.string().nullable(),
  hash: z.string(),
});
export type AuditEntryDto = z.infer<typeof AuditEntryDtoSchema>;

const Identifier = z
  .string()
  .max(100)
  .regex(/^[a-z0-9_.-]+$/i, 'letters, digits, _ . - only');

export const ListAuditQuerySchema = PageQuerySchema.extend({
  action: Identifier.optional(),
  entityType: Identifier.optional(),
  entityId: z.string().max(100).optional(),
  actorUserId: z.uuid().optional(),
  companyId: z.uuid().optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
}).strict();
export type ListAuditQuery = z.infer<typeof ListAuditQuerySchema>;
export const AuditPageSchema = pageOf(AuditEntryDtoSchema);

export const VerifyResultDtoSchema = z.object({
  ok: z.boolean(),
  entries: z.number().int(),
  brokenSeq: z.number().int().nullable(),
  brokenId: z.string().nullable(),
  reason: z.string().nullable(),
});
