// react-hook-form wired to the shared rules (src/modules/*/rules.ts): the browser refuses what
// the server would, with the same words, and the server's own answers land on the same fields.
import type { FieldValues, Resolver, UseFormSetError, Path } from 'react-hook-form';
import type { FieldError } from '../../../src/kernel/errors.ts';
import { ApiError } from './api.ts';
import { localize } from './messages.ts';

export function rulesResolver<T extends FieldValues>(check: (values: T) => FieldError[]): Resolver<T> {
  return async (values) => {
    const problems = check(values);
    if (!problems.length) return { values, errors: {} };
    const errors: Record<string, { type: string; message: string }> = {};
    for (const p of problems) errors[p.path.join('.') || 'root'] ??= { type: 'rule', message: p.message };
    return { values: {}, errors: errors as never };
  };
}

/** Puts a failed request's field errors on the form; answers whether any landed on a field. */
export function showServerErrors<T extends FieldValues>(error: unknown, setError: UseFormSetError<T>, fields: readonly string[]): boolean {
  if (!(error instanceof ApiError)) return false;
  let placed = false;
  for (const [field, message] of Object.entries(error.fields)) {
    if (!fields.includes(field)) continue;
    setError(field as Path<T>, { type: 'server', message: localize(error, message, field) }, { shouldFocus: !placed });
    placed = true;
  }
  return placed;
}
