import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { en } from '../../../web/src/shared/i18n/en.ts';
import { ja } from '../../../web/src/shared/i18n/ja.ts';
import {
  CONFLICT_REASONS,
  FORBIDDEN_REASONS,
  ISSUE_CODES,
  forbidden,
  stateConflict,
  validationFailed,
} from '../errors.ts';
import { schemaIssue, toProblem } from './problem.ts';

const Schema = z
  .object({
    name: z.string().min(2).max(5),
    title: z.string().min(1),
    count: z.number().int().min(1).max(9),
    kind: z.enum(['asset', 'risk']),
    email: z.email(),
    tags: z.array(z.string()).max(1),
    owner: z.string(),
  })
  .strict();

const issuesOf = (input: unknown) => {
  const parsed = Schema.safeParse(input);
  if (parsed.success) throw new Error('expected the input to be refused');
  return toProblem(parsed.error).errors ?? [];
};

describe('toProblem field issues', () => {
  it('gives each schema issue a code and the figures a screen needs, beside the English message', () => {
    const issues = issuesOf({
      name: 'x',
      title: '',
      count: 12,
      kind: 'other',
      email: 'not-an-address',
      tags: ['a', 'b'],
      extra: 1,
    });
    const byPath = Object.fromEntries(issues.map(({ path, code, params }) => [path, { code, params }]));
    expect(byPath).toEqual({
      name: { code: 'too_short', params: { minimum: 2 } },
      title: { code: 'too_short', params: { minimum: 1 } },
      count: { code: 'too_big', params: { maximum: 9 } },
      kind: { code: 'invalid_option', params: { values: 'asset, risk' } },
      email: { code: 'invalid_format', params: { format: 'email' } },
      tags: { code: 'too_many', params: { maximum: 1 } },
      owner: { code: 'required', params: undefined },
      '(root)': { code: 'unknown_field', params: { keys: 'extra' } },
    });
    for (const issue of issues) expect(issue.message).toMatch(/\w/);
  });

  it('tells a wrong type from a missing value', () => {
    const [issue] = issuesOf({
      name: 'abc',
      title: 't',
      count: 'three',
      kind: 'risk',
      email: 'a@example.com',
      tags: [],
      owner: 'o',
    });
    expect(issue).toMatchObject({ path: 'count', code: 'invalid_type', params: { expected: 'number' } });
  });

  it("reads fastify-type-provider-zod's copy of an issue the same way", () => {
    expect(schemaIssue('body.name', 'too_big', { origin: 'string', maximum: 5 }, 'Too big')).toEqual({
      path: 'body.name',
      message: 'Too big',
      code: 'too_long',
      params: { maximum: 5 },
    });
    expect(schemaIssue('body.x', 'custom', {}, 'set at least one field')).toEqual({
      path: 'body.x',
      message: 'set at least one field',
      code: 'invalid',
    });
  });

  it("passes a service's issues through with their codes", () => {
    const p = toProblem(
      validationFailed('The parent company does not exist', [
        { path: 'parentId', message: 'not found', code: 'not_found' },
      ]),
    );
    expect(p).toMatchObject({
      status: 422,
      code: 'validation_failed',
      errors: [{ path: 'parentId', message: 'not found', code: 'not_found' }],
    });
  });
});

describe('issue codes', () => {
  it('each has words in both languages of the web UI, and so has each reason of a conflict', () => {
    for (const messages of [en, ja]) {
      expect(ISSUE_CODES.filter((code) => !Object.hasOwn(messages, `issue.${code}`))).toEqual([]);
      expect(CONFLICT_REASONS.filter((r) => !Object.hasOwn(messages, `conflict.${r}`))).toEqual([]);
      expect(FORBIDDEN_REASONS.filter((r) => !Object.hasOwn(messages, `forbidden.${r}`))).toEqual([]);
    }
  });

  it('gives a refusal its reason, the plain one by default', () => {
    expect(toProblem(forbidden())).toMatchObject({ status: 403, code: 'forbidden', reason: 'not_allowed' });
    expect(toProblem(forbidden('Only group-wide users edit the list', 'group_only'))).toMatchObject({
      reason: 'group_only',
    });
  });

  it('gives a conflict with the data its reason and figures as extension members', () => {
    expect(toProblem(stateConflict('classified_above', 'detail', { count: 2, levels: 3 }))).toMatchObject({
      status: 409,
      code: 'conflict',
      detail: 'detail',
      reason: 'classified_above',
      count: 2,
      levels: 3,
    });
  });
});
