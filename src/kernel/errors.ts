// Errors about the request itself (bad fields, unknown or foreign objects), answered by each
// wire family in its shape (src/http/shared/errors.ts). A business refusal is a Refused with
// a code from the closed list (refusals.ts); anything else thrown is a bug (InvariantError).

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
  constructor(fieldErrors: FieldError[] | string) {
    const list = typeof fieldErrors === 'string' ? [{ path: [], message: fieldErrors }] : fieldErrors;
    super(list.map((e) => (e.path.length ? `${e.path.join('.')}: ` : '') + e.message).join('; '));
    this.fieldErrors = list;
  }
  /** Prefix every path (a service validates a sub-tree that a route nests under a key). */
  under(...prefix: string[]): ValidationError {
    return new ValidationError(this.fieldErrors.map((e) => ({ ...e, path: [...prefix, ...e.path] })));
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

/** A broken invariant: never expected, always a bug. */
export class InvariantError extends Error {}

export function assertNever(value: never, what = 'value'): never {
  throw new InvariantError(`unexpected ${what}: ${String(value)}`);
}
