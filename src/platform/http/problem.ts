// Maps every error to an RFC 9457 problem+json body. A 5xx is a bug: it is logged and its detail hidden.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { AppError, type FieldIssue } from '../errors.ts';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: string;
  errors?: FieldIssue[];
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

const zodIssues = (err: ZodError): FieldIssue[] =>
  err.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));

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
    return problem(err.status, err.code, err.expose ? err.message : 'An internal error occurred', err.issues);
  }
  if (err instanceof ZodError)
    return problem(400, 'validation_failed', 'The request is not valid', zodIssues(err));
  const fe = err as Partial<FastifyError> & {
    validation?: Array<{ instancePath?: string; message?: string }>;
  };
  if (Array.isArray(fe.validation)) {
    const where = fe.validationContext ?? 'request';
    const issues = fe.validation.map((v) => ({
      path: `${where}${(v.instancePath ?? '').replace(/\//g, '.')}`,
      message: v.message ?? 'is invalid',
    }));
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
