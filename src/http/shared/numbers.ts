// Numbers from the wire. Every number a request carries is finite and within its range
// before anything uses it. Two doors lead in, and both end here:
// - values a route schema declares as integer/number: Ajv's type coercion turns the strings
//   "Infinity", "-Infinity" and "1e999" into ±Infinity without re-checking the type, and skips
//   `minimum`/`maximum` for a non-finite number — so `rejectNonFiniteNumbers` (a preHandler on
//   every route, after validation) refuses any non-finite number left in params, query or body;
// - values a route reads itself (the paginator's strings): `readInteger`, which accepts only
//   plain decimal digits, never "Infinity", "NaN", "1e3" or "0x10".
// Route schemas declare integers with `WireInteger`, whose range is mandatory.
import type { FastifyRequest } from 'fastify';
import { Type, type IntegerOptions } from '@sinclair/typebox';
import { ValidationError, type FieldError } from '../../kernel/errors.ts';
import { COMMON_MESSAGES } from '../../kernel/messages.ts';

const DIGITS = /^[+-]?\d{1,15}$/;

export interface IntegerRange {
  min: number;
  max: number;
  /** Above `max`: clamp to it (the contract's maxPerPage) instead of refusing. */
  clampToMax?: boolean;
}

/** Symfony's Spanish messages, as the schema errors use them, with their codes. */
export const NOT_A_NUMBER = COMMON_MESSAGES.invalid.es;
const notANumber = (path: string[]): FieldError => ({ path, message: NOT_A_NUMBER, code: 'common.invalid' });
const atLeast = (path: string[], min: number): FieldError => ({ path, message: `Este valor debería ser ${min} o más.`, code: 'common.tooSmall' });
const atMost = (path: string[], max: number): FieldError => ({ path, message: `Este valor debería ser ${max} o menos.`, code: 'common.tooLarge' });

/**
 * An amount on the wire: decimal text or a JSON number, read by `parseAmount` (exact, in the
 * currency's minor units). Text comes first in the union so Ajv's coercion hands parseAmount
 * text: a `Type.Number()` schema would coerce `true` to 1 and "0x10" to 16 before anyone looked.
 */
export function WireAmount() {
  return Type.Union([Type.String({ maxLength: 30 }), Type.Number()]);
}

/** Marks a schema integer for `rejectLooseIntegers`. */
export const WIRE_INTEGER = 'x-wire-integer';

/**
 * An integer schema with its range; the range cannot be forgotten. Ajv's coercion would read
 * a string as JavaScript's Number() does ("0x10" is 16, "1e2" 100, `true` 1), so the raw value
 * is checked first against the same digits-only rule as readInteger (rejectLooseIntegers).
 */
export function WireInteger(range: { minimum: number; maximum: number } & IntegerOptions) {
  return Type.Integer({ ...range, [WIRE_INTEGER]: true });
}

/**
 * preValidation (once, before every route's own): a top-level query or body field declared
 * with WireInteger must arrive as a JSON integer or a string of decimal digits.
 */
export async function rejectLooseIntegers(request: FastifyRequest): Promise<void> {
  const schema = request.routeOptions?.schema as { querystring?: unknown; body?: unknown } | undefined;
  if (!schema) return;
  const found: FieldError[] = [];
  for (const [part, value] of [
    [schema.querystring, request.query],
    [schema.body, request.body],
  ] as const) {
    const properties = (part as { properties?: Record<string, Record<string, unknown>> } | undefined)?.properties;
    if (!properties || value === null || typeof value !== 'object') continue;
    for (const [key, property] of Object.entries(properties)) {
      if (property[WIRE_INTEGER] !== true) continue;
      const raw = (value as Record<string, unknown>)[key];
      if (raw === undefined || typeof raw === 'number') continue;
      if (typeof raw === 'string' && DIGITS.test(raw.trim())) continue;
      found.push(notANumber([key]));
    }
  }
  if (found.length) throw new ValidationError(found);
}

/**
 * The one reader for an integer a route reads itself: a JS safe integer or a string of
 * decimal digits, within `range`. `undefined` and '' give `fallback`.
 */
export function readInteger(value: unknown, path: string[], range: IntegerRange, fallback?: number): number {
  if ((value === undefined || value === '') && fallback !== undefined) return fallback;
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && DIGITS.test(value.trim())) n = Number(value.trim());
  else throw new ValidationError([notANumber(path)]);
  if (!Number.isSafeInteger(n)) throw new ValidationError([notANumber(path)]);
  if (n < range.min) throw new ValidationError([atLeast(path, range.min)]);
  if (n > range.max) {
    if (range.clampToMax) return range.max;
    throw new ValidationError([atMost(path, range.max)]);
  }
  return n;
}

/** Paths of the non-finite numbers in a validated request part (bounded by the body limits). */
function nonFinite(value: unknown, path: string[], out: FieldError[], depth = 0): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) out.push(notANumber(path));
    return;
  }
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value) || depth > 40) return;
  for (const [key, child] of Object.entries(value)) nonFinite(child, [...path, key], out, depth + 1);
}

/** preHandler (registered once, before every route's own): no ±Infinity or NaN gets past. */
export async function rejectNonFiniteNumbers(request: FastifyRequest): Promise<void> {
  const found: FieldError[] = [];
  nonFinite(request.params, [], found);
  nonFinite(request.query, [], found);
  const formRoot = request.routeOptions?.config?.formRoot;
  const body: FieldError[] = [];
  nonFinite(request.body, [], body);
  for (const error of body) found.push(formRoot && error.path[0] === formRoot ? { ...error, path: error.path.slice(1) } : error);
  if (found.length) throw new ValidationError(found);
}
