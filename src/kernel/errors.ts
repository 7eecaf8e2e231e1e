// Errors about the request itself (bad fields, unknown or foreign objects), answered by each
// wire family in its shape (src/http/shared/errors.ts). A business refusal is a Refused with
// a code from the closed list (refusals.ts); anything else thrown is a bug (InvariantError).
import { COMMON_MESSAGES } from './messages.ts';

/** A field-level or form-level validation problem. `path` mirrors the request tree. */
export interface FieldError {
  path: string[];
  message: string;
  /**
   * The message's stable code where it comes from a shared rule table ("apps.logoNotPng", the
   * table's module and key): the wire sends it beside the Spanish text (`pasarela-field-codes`)
   * so a client such as the web console can say it in its own language.
   */
  code?: string;
}

export class ValidationError extends Error {
  readonly fieldErrors: FieldError[];
  /** Field errors, or one form-level message (with its rule code, as a field error's). */
  constructor(fieldErrors: FieldError[] | string, code?: string) {
    const list: FieldError[] = typeof fieldErrors === 'string' ? [{ path: [], message: fieldErrors, ...(code ? { code } : {}) }] : fieldErrors;
    super(list.map((e) => (e.path.length ? `${e.path.join('.')}: ` : '') + e.message).join('; '));
    this.fieldErrors = list;
  }
  /** Prefix every path (a service validates a sub-tree that a route nests under a key). */
  under(...prefix: string[]): ValidationError {
    return new ValidationError(this.fieldErrors.map((e) => ({ ...e, path: [...prefix, ...e.path] })));
  }
}

/**
 * A 401, 403 or 404 whose Spanish message names its rule code, as a field error does: the wire
 * sends it beside the text (`pasarela-message-code`) for a client to say in its own language.
 * Without arguments, the common message and code of its kind.
 */
abstract class CodedError extends Error {
  readonly code: string | undefined;
  constructor(message: string, code: string | undefined) {
    super(message);
    this.code = code;
  }
}

export class NotFoundError extends CodedError {
  constructor(message?: string, code?: string) {
    super(message ?? COMMON_MESSAGES.notFound.es, message === undefined ? 'common.notFound' : code);
  }
}

export class UnauthorizedError extends CodedError {
  constructor(message?: string, code?: string) {
    super(message ?? COMMON_MESSAGES.unauthorized.es, message === undefined ? 'common.unauthorized' : code);
  }
}

export class ForbiddenError extends CodedError {
  constructor(message?: string, code?: string) {
    super(message ?? COMMON_MESSAGES.forbidden.es, message === undefined ? 'common.forbidden' : code);
  }
}

/** A broken invariant: never expected, always a bug. */
export class InvariantError extends Error {}

export function assertNever(value: never, what = 'value'): never {
  throw new InvariantError(`unexpected ${what}: ${String(value)}`);
}
