// One error class per kind of failure (as stripe-node does), built from the server's documented
// shapes: the "Validation Failed" tree, `{code, message}`, and OAuth's `{error,
// error_description}` on the token endpoint. The refusal's stable code comes in the
// `pasarela-refusal` header (the body's text is Spanish and fixed by the contract).

/** The contract's error tree: form-level messages and one child per field, as the request nests them. */
export interface ErrorTree {
  errors?: string[];
  children?: Record<string, ErrorTree>;
}

/** One message of the tree with the path of its field (`[]` for the form itself). */
export interface FieldError {
  path: string[];
  message: string;
}

export interface PasarelaErrorDetails {
  message: string;
  statusCode?: number;
  code?: string;
  requestId?: string;
  body?: unknown;
  errors?: ErrorTree;
  retryAfterSeconds?: number;
  cause?: unknown;
}

export class PasarelaError extends Error {
  /** HTTP status of the answer (none for connection and signature errors). */
  readonly statusCode: number | undefined;
  /**
   * What went wrong, stable for programs: the refusal code (`intent_executed`,
   * `insufficient_funds`, `idempotency_key_reused`, …) or the OAuth error (`invalid_client`).
   */
  readonly code: string | undefined;
  /** The server's `x-request-id`: quote it when asking the operator about a request. */
  readonly requestId: string | undefined;
  /** The answer's body as the server sent it (parsed JSON, or text). */
  readonly body: unknown;
  /** The error tree of a 400 "Validation Failed" (empty otherwise). */
  readonly errors: ErrorTree;

  constructor(details: PasarelaErrorDetails) {
    super(details.message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.statusCode = details.statusCode;
    this.code = details.code;
    this.requestId = details.requestId;
    this.body = details.body;
    this.errors = details.errors ?? {};
  }

  /** Form-level messages (`errors.errors`). */
  get formErrors(): string[] {
    return this.errors.errors ?? [];
  }

  /** Every message of the tree with its field path, depth first. */
  get fieldErrors(): FieldError[] {
    return flattenTree(this.errors);
  }
}

/** A request the server could not read: a malformed body, a wrong method, an unknown grant. */
export class PasarelaInvalidRequestError extends PasarelaError {}

/** 400 "Validation Failed": see `errors` / `fieldErrors` (paths as the request's fields are named). */
export class PasarelaValidationError extends PasarelaInvalidRequestError {}

/**
 * The object's state, or the idempotency key, refuses the request: the intent is already
 * executed, annulled, expired or not approved yet; the key was used for another request.
 */
export class PasarelaConflictError extends PasarelaError {}

/** 401: wrong client id or secret, or a token the server no longer accepts. */
export class PasarelaAuthenticationError extends PasarelaError {}

/** 403: the app lacks the permission (billing API, payouts) or is not activated. */
export class PasarelaPermissionError extends PasarelaError {}

/** 404: no such object for this merchant. */
export class PasarelaNotFoundError extends PasarelaError {}

/** 429: too many tokens or attempts; `retryAfterSeconds` says when to try again. */
export class PasarelaRateLimitError extends PasarelaError {
  readonly retryAfterSeconds: number | undefined;
  constructor(details: PasarelaErrorDetails) {
    super(details);
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/** The server failed (5xx after the retries) or answered something unreadable. */
export class PasarelaApiError extends PasarelaError {}

/** No answer: the connection failed or timed out on every attempt. */
export class PasarelaConnectionError extends PasarelaError {}

/** `webhooks.constructEvent` refused a notification; `code` says why. */
export class PasarelaSignatureVerificationError extends PasarelaError {}

/** Refusal codes about the state of an object or of an idempotency key (the rest are validation). */
export const CONFLICT_CODES = [
  'intent_executed',
  'intent_annulled',
  'intent_rejected',
  'intent_expired',
  'intent_not_approved',
  'intent_not_payable',
  'already_annulled',
  'not_executed',
  'annul_window_passed',
  'batch_already_submitted',
  'batch_not_submitted',
  'hold_already_posted',
  'hold_already_voided',
  'hold_expired',
  'delivery_in_flight',
  'app_already_active',
  'already_registered',
  'idempotency_key_reused',
] as const;

const conflicts = new Set<string>(CONFLICT_CODES);

export function flattenTree(tree: ErrorTree, path: string[] = []): FieldError[] {
  const here = (tree.errors ?? []).map((message) => ({ path, message }));
  return [...here, ...Object.entries(tree.children ?? {}).flatMap(([name, child]) => flattenTree(child, [...path, name]))];
}

interface Answer {
  status: number;
  body: unknown;
  requestId: string | undefined;
  refusal: string | undefined;
  retryAfter: string | null;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The error for a 4xx/5xx answer, by its status and documented body. */
export function errorFromAnswer(answer: Answer): PasarelaError {
  const { status, body } = answer;
  const common = { statusCode: status, requestId: answer.requestId, body };
  // OAuth (token endpoint): {error, error_description}
  if (isObject(body) && typeof body.error === 'string') {
    const details = { ...common, code: body.error, message: String(body.error_description ?? body.error) };
    if (status === 429) return new PasarelaRateLimitError({ ...details, retryAfterSeconds: seconds(answer.retryAfter) });
    if (status >= 500) return new PasarelaApiError(details);
    if (body.error === 'unauthorized_client') return new PasarelaPermissionError(details);
    if (status === 401 || body.error === 'invalid_client' || body.error === 'invalid_grant') return new PasarelaAuthenticationError(details);
    return new PasarelaInvalidRequestError(details);
  }
  const text = isObject(body) && typeof body.message === 'string' ? body.message : typeof body === 'string' && body ? body.slice(0, 300) : `HTTP ${status}`;
  const tree = isObject(body) && isObject(body.errors) ? (body.errors as ErrorTree) : undefined;
  const details: PasarelaErrorDetails = { ...common, code: answer.refusal, message: text };
  if (tree) {
    details.errors = tree;
    const lines = flattenTree(tree).map((e) => (e.path.length ? `${e.path.join('.')}: ` : '') + e.message);
    if (lines.length) details.message = `${text}: ${lines.join('; ')}`;
  }
  if (status === 409 || (answer.refusal !== undefined && conflicts.has(answer.refusal))) return new PasarelaConflictError(details);
  if (status === 400 && tree) return new PasarelaValidationError(details);
  if (status === 401) return new PasarelaAuthenticationError(details);
  if (status === 403) return new PasarelaPermissionError(details);
  if (status === 404) return new PasarelaNotFoundError(details);
  if (status === 429) return new PasarelaRateLimitError({ ...details, retryAfterSeconds: seconds(answer.retryAfter) });
  if (status >= 500) return new PasarelaApiError(details);
  return new PasarelaInvalidRequestError(details);
}

function seconds(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}
