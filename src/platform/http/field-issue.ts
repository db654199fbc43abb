// The wire shape of a field issue (platform/errors.ts FieldIssue), for contracts that return issues in a body
// (an import's refused rows) rather than in a problem.
import { z } from 'zod';
import { ISSUE_CODES } from '../errors.ts';

export const FieldIssueSchema = z.object({
  path: z.string(),
  message: z.string(),
  code: z.enum(ISSUE_CODES),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

export const RowErrorSchema = z.object({
  line: z.number().int(),
  /** In English: the issues' messages. */
  message: z.string(),
  issues: z.array(FieldIssueSchema),
});
