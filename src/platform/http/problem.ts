// Maps every error to an RFC 9457 problem+json body. A 5xx is a bug: it is logged and its detail hidden.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { AppError, type FieldIssue, type IssueCode } from '../errors.ts';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: string;
  errors?: FieldIssue[];
  /** Extension members (AppError.extensions). */
  [member: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  406: 'Not acceptable',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export function problem(status: number, code: string, detail: string, errors?: FieldIssue[]): Problem {
  return {
    type: `urn:mamori:problem:${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

const SIZE_CODES: Record<string, [IssueCode, IssueCode]> = {
  string: ['too_short', 'too_long'],
  array: ['too_few', 'too_many'],
  set: ['too_few', 'too_many'],
  file: ['too_small', 'too_big'],
};

const text = (v: unknown): string =>
  Array.isArray(v) ? v.map(text).join(', ') : typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));

/**
 * A schema issue (zod's, or fastify-type-provider-zod's copy of it: the same fields) with a code and figures a
 * screen can put in the user's language; the English message stays for API clients.
 */
export function schemaIssue(
  path: string,
  zodCode: string,
  p: Record<string, unknown>,
  message: string,
): FieldIssue {
  const sizes = SIZE_CODES[String(p.origin)] ?? ['too_small', 'too_big'];
  switch (zodCode) {
    case 'invalid_type': {
      // A missing field: zod says it received undefined (and gives the input when asked to).
      const missing = 'input' in p ? p.input === undefined : message.endsWith('received undefined');
      return missing
        ? { path, message, code: 'required' }
        : { path, message, code: 'invalid_type', params: { expected: text(p.expected) } };
    }
    case 'too_small':
      return { path, message, code: sizes[0], params: { minimum: Number(p.minimum) } };
    case 'too_big':
      return { path, message, code: sizes[1], params: { maximum: Number(p.maximum) } };
    case 'invalid_format':
      return { path, message, code: 'invalid_format', params: { format: text(p.format) } };
    case 'invalid_value':
      return { path, message, code: 'invalid_option', params: { values: text(p.values) } };
    case 'unrecognized_keys':
      return { path, message, code: 'unknown_field', params: { keys: text(p.keys) } };
    default:
      return { path, message, code: 'invalid' };
  }
}

const zodIssues = (err: ZodError): FieldIssue[] =>
  err.issues.map((i) => schemaIssue(i.path.join('.') || '(root)', i.code, { ...i }, i.message));

const FASTIFY_CODES: Record<string, [number, string, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'malformed_json', 'The request body is not valid JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'malformed_json', 'The request body is empty but JSON was declared'],
  FST_ERR_CTP_BODY_TOO_LARGE: [
    413,
    'payload_too_large',
    'The request body is larger than this endpoint accepts',
  ],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'This content type is not accepted here'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [
    400,
    'bad_request',
    'The Content-Length header does not match the body',
  ],
};

export function toProblem(err: unknown): Problem {
  if (err instanceof AppError) {
    const p = problem(
      err.status,
      err.code,
      err.expose ? err.message : 'An internal error occurred',
      err.issues,
    );
    return err.expose && err.extensions ? { ...err.extensions, ...p } : p;
  }
  if (err instanceof ZodError)
    return problem(400, 'validation_failed', 'The request is not valid', zodIssues(err));
  const fe = err as Partial<FastifyError> & {
    validation?: Array<{
      instancePath?: string;
      message?: string;
      keyword?: string;
      params?: Record<string, unknown>;
    }>;
  };
  if (Array.isArray(fe.validation)) {
    const where = fe.validationContext ?? 'request';
    const issues = fe.validation.map((v) =>
      schemaIssue(
        `${where}${(v.instancePath ?? '').replace(/\//g, '.')}`,
        v.keyword ?? 'custom',
        v.params ?? {},
        v.message ?? 'is invalid',
      ),
    );
    return problem(400, 'validation_failed', `The ${where} is not valid`, issues);
  }
  if (fe.code && FASTIFY_CODES[fe.code]) {
    const [status, code, detail] = FASTIFY_CODES[fe.code]!;
    return problem(status, code, detail);
  }
  if (err instanceof SyntaxError && fe.statusCode === 400) {
    return problem(400, 'malformed_json', 'The request body is not valid JSON');
  }
  const status = fe.statusCode ?? 500;
  if (status >= 400 && status < 500) return problem(status, 'bad_request', fe.message ?? 'Bad request');
  return problem(500, 'internal', 'An internal error occurred; it has been logged');
}

export function sendProblem(reply: FastifyReply, req: FastifyRequest, p: Problem): FastifyReply {
  return reply
    .code(p.status)
    .type('application/problem+json')
    .send(JSON.stringify({ ...p, instance: req.url.split('?')[0] }));
}
