// Domain errors: expected business outcomes are values of one closed set of classes; the HTTP
// layer maps each class to a status code in one place (src/http/errors.ts).

/** A field-level or form-level validation problem. `path` mirrors the request tree. */
export interface FieldError {
  path: string[];
  message: string;
}

export class ValidationError extends Error {
  readonly fieldErrors: FieldError[];
  constructor(fieldErrors: FieldError[] | string) {
    const list = typeof fieldErrors === 'string' ? [{ path: [], message: fieldErrors }] : fieldErrors;
    super(list.map((e) => (e.path.length ? `${e.path.join('.')}: ` : '') + e.message).join('; '));
    this.fieldErrors = list;
  }
  /** Prefix every path (a service validates a sub-tree that a route nests under a key). */
  under(...prefix: string[]): ValidationError {
    return new ValidationError(this.fieldErrors.map((e) => ({ path: [...prefix, ...e.path], message: e.message })));
  }
}

export class NotFoundError extends Error {
  constructor(message = 'No encontrado.') {
    super(message);
  }
}

export class UnauthorizedError extends Error {
  constructor(message = 'Token de acceso inválido o vencido.') {
    super(message);
  }
}

export class ForbiddenError extends Error {
  constructor(message = 'No tiene permiso para acceder a este recurso.') {
    super(message);
  }
}

/** The request is well-formed but the current state forbids it (already executed, locked…). */
export class ConflictError extends Error {
  constructor(
    message: string,
    readonly reason: string = 'conflict',
  ) {
    super(message);
  }
}

/** Too many attempts (PIN, login): the caller must wait or reset. */
export class LockedError extends Error {
  constructor(message: string) {
    super(message);
  }
}

/** A broken invariant: never expected, always a bug. */
export class InvariantError extends Error {}

export function assertNever(value: never, what = 'value'): never {
  throw new InvariantError(`unexpected ${what}: ${String(value)}`);
}

/** Too many failed sign-ins: the caller must wait. */
export class RateLimitedError extends Error {
  constructor(message: string) {
    super(message);
  }
}
