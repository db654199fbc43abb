// One error base for the whole product: a code, an HTTP status and whether the message is safe to show.

/**
 * What is wrong with one field: `message` in English for API clients and logs, `code` (and `params`) for a
 * screen to put in the user's language (web/src/shared/i18n: `issue.<code>`).
 */
export type FieldIssue = { path: string; message: string; code: IssueCode; params?: IssueParams };
export type IssueParams = Record<string, string | number>;

/** The kinds of field issue, from schema validation (platform/http/problem.ts) and from the services' rules. */
export const ISSUE_CODES = [
  // Schema validation (zod); params: minimum, maximum, expected, format, values, keys
  'required',
  'invalid_type',
  'too_short',
  'too_long',
  'too_few',
  'too_many',
  'too_small',
  'too_big',
  'invalid_format',
  'invalid_option',
  'unknown_field',
  'invalid',
  // The services' rules
  'not_found',
  'not_in_company',
  'not_in_catalogue',
  'cycle',
  'self_reference',
  'same_framework',
  'incorrect',
  'inactive',
  // params: value
  'duplicate',
  // params: min, max
  'out_of_range',
  // params: min, max: how many there must be
  'count_range',
  // params: level
  'level_missing',
  // params: likelihood, impact
  'cell_missing',
  'ends_before_start',
  'must_be_future',
  'must_be_empty',
  'must_be_true',
  // params: host
  'not_public_address',
  'no_risk_method',
  // params: level, threshold
  'needs_sign_off',
  'unavailable',
  'contains_email_name',
  // params: minimum
  'too_few_distinct',
  // Rows of an imported file (CSV)
  // params: count, expected
  'field_count',
  // params: value
  'not_boolean',
  // params: value
  'not_whole_number',
  // params: columns
  'missing_columns',
  // params: columns
  'unknown_columns',
  // params: columns
  'repeated_columns',
  'invalid_csv',
  'empty_file',
  // params: line (where the same key came first)
  'duplicate_row',
  'not_permitted',
  // params: value (a unique value another record has)
  'taken',
] as const;
export type IssueCode = (typeof ISSUE_CODES)[number];

/** A refused row of an imported file: its line, what is wrong in English (the issues' messages) and the issues. */
export interface RowError {
  line: number;
  message: string;
  issues: FieldIssue[];
}

/** Collects what is wrong with one row of an imported file, a column (the issue's path) at a time. */
export class RowIssues {
  readonly issues: FieldIssue[] = [];

  add(path: string, code: IssueCode, message: string, params?: IssueParams): void {
    this.issues.push(params ? { path, message, code, params } : { path, message, code });
  }

  /** An empty cell that must not be. */
  required(column: string, why = ''): void {
    this.add(column, 'required', `${column} is empty${why}`);
  }

  /** A cell whose value is none of those allowed. */
  notOneOf(column: string, value: string, allowed: readonly string[]): void {
    this.add(column, 'invalid_option', `${column} "${value}" is not one of ${allowed.join(', ')}`, {
      value,
      values: allowed.join(', '),
    });
  }

  get size(): number {
    return this.issues.length;
  }

  /** The row's error, its message the issues' messages joined. */
  error(line: number): RowError {
    return { line, message: this.issues.map((i) => i.message).join('; '), issues: this.issues };
  }
}

/** A row error of one issue. */
export const rowError = (
  line: number,
  path: string,
  code: IssueCode,
  message: string,
  params?: IssueParams,
): RowError => {
  const row = new RowIssues();
  row.add(path, code, message, params);
  return row.error(line);
};

export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly expose: boolean;
  readonly issues: FieldIssue[] | undefined;
  /** More members of the problem (RFC 9457 extension members), such as the code of a refused file's reason. */
  readonly extensions: Record<string, string | number | null> | undefined;

  constructor(
    code: string,
    status: number,
    message: string,
    options: {
      expose?: boolean;
      issues?: FieldIssue[];
      cause?: unknown;
      extensions?: Record<string, string | number | null>;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = status;
    this.expose = options.expose ?? status < 500;
    this.issues = options.issues;
    this.extensions = options.extensions;
  }
}

export const badRequest = (message: string, issues?: FieldIssue[]) =>
  new AppError('bad_request', 400, message, { issues });
export const validationFailed = (message: string, issues: FieldIssue[]) =>
  new AppError('validation_failed', 422, message, { issues });
export const unauthorized = (message = 'Authentication required') =>
  new AppError('unauthorized', 401, message);
/** Why an action is refused, for a screen to word in its language (web: `forbidden.<reason>`). */
export const FORBIDDEN_REASONS = [
  'not_allowed',
  'signed_in_only',
  'group_only',
  'mfa_required',
  'mfa_enrolment',
  'token_scope',
  'csrf',
] as const;
export type ForbiddenReason = (typeof FORBIDDEN_REASONS)[number];

/** A refusal, with its reason as an extension member of the problem; the plain one by default. */
export const forbidden = (
  message = 'You do not have permission to do this',
  reason: ForbiddenReason = 'not_allowed',
) => new AppError('forbidden', 403, message, { extensions: { reason } });
export const notFound = (entity: string) => new AppError('not_found', 404, `${entity} not found`);
/** A conflict with the stored data; `issues` names the fields whose value is taken, when that is the conflict. */
export const conflict = (message: string, issues?: FieldIssue[]) =>
  new AppError('conflict', 409, message, issues ? { issues } : {});
/**
 * Why a change conflicts with the state of the data, beyond a value taken: a code for a screen to word in its
 * language (web: `conflict.<reason>`), given in the problem as the extension member `reason`.
 */
export const CONFLICT_REASONS = [
  'role_held',
  'mfa_enrolled',
  'mfa_not_started',
  'mfa_not_enrolled',
  'user_disabled',
  'own_account',
  'last_admin',
  'already_set_up',
  'department_not_empty',
  'department_referred',
  // params: name
  'framework_adopted',
  'no_free_code',
  // params: from, to
  'relation_exists',
  // params: count, levels
  'classified_above',
  'not_given_up',
  'mapping_exists',
] as const;
export type ConflictReason = (typeof CONFLICT_REASONS)[number];

/** A conflict with the state of the data, with its reason (and figures) for the screens. */
export const stateConflict = (reason: ConflictReason, message: string, params: IssueParams = {}) =>
  new AppError('conflict', 409, message, { extensions: { ...params, reason } });

/** The field issue of a value another record already has. */
export const taken = (path: string, value: string): FieldIssue => ({
  path,
  message: `${value} is already used`,
  code: 'taken',
  params: { value },
});
export const staleVersion = (entity: string) =>
  new AppError('stale_version', 409, `${entity} was changed by someone else; reload it and try again`);
/** Too many attempts; the screens say so in their language (the code suffices). */
export const tooManyRequests = (message: string) => new AppError('rate_limited', 429, message);
export const payloadTooLarge = (message: string) => new AppError('payload_too_large', 413, message);
export const unsupportedMediaType = (message: string) => new AppError('unsupported_media_type', 415, message);

/** An error from the operator's side (bad config, unreachable database): shown on the CLI, never to API clients. */
export class OperationalError extends AppError {
  constructor(message: string, cause?: unknown) {
    super('operational', 503, message, { expose: false, cause });
    this.name = 'OperationalError';
  }
}

/** A command line used wrongly: the CLI prints the message and its usage, and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
