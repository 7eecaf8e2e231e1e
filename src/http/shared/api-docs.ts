// What the OpenAPI document says about each operation, kept beside each wire family in its
// own docs.ts and merged into the document by @fastify/swagger's `transform` (see
// src/http/reference/document.ts). The answer schemas here are documentation only: Fastify
// builds its serializers from the routes' own schemas, never from these, so describing an
// answer cannot strip a field from it (fast-json-stringify drops what a schema omits).
// test/helpers.ts checks every real answer of the test suites against these schemas.
import { Type, type TSchema } from '@sinclair/typebox';

export type Security = Record<string, string[]>[];

export interface AnswerDoc {
  description: string;
  /** JSON unless `contentType` says otherwise; absent for an empty answer (204). */
  schema?: TSchema;
  example?: unknown;
  contentType?: string;
  headers?: Record<string, { description: string; schema: TSchema }>;
}

export interface OperationDoc {
  summary: string;
  description: string;
  /** Success answers by status. */
  answers: Record<number, AnswerDoc>;
  /** Error statuses beyond the usual ones (see errorStatuses). */
  errors?: number[];
  security?: Security;
  /** Tags other than the family's. */
  tags?: string[];
  /** A body the route reads by itself (no validation schema), e.g. CSV text. */
  body?: { contentType: string; schema: TSchema; example?: unknown };
  /** An example of the request body (every encoding). */
  bodyExample?: unknown;
  /** Request encodings, when not the family's. */
  consumes?: string[];
}

/** A wire family: its tag, its error shape and its documented operations by "METHOD /url". */
export interface FamilyDocs {
  tag: string;
  /** Request encodings the family accepts for a body. */
  consumes: string[];
  /** The family's error body, and an example of it for a status. */
  errorShape: TSchema;
  errorExample(status: number): unknown;
  security?: Security;
  operations: Record<string, OperationDoc>;
}

/** The three encodings every body of the wallet-family contract may come in (shared/body.ts). */
export const FORM_ENCODINGS = ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'];

const STATUS_TEXT: Record<number, string> = {
  400: 'The request is not valid (fields, query string or body).',
  401: 'No valid credentials.',
  403: 'The caller may not do this.',
  404: 'Not found (or not the caller’s).',
  405: 'Method not allowed on this path.',
  409: 'Conflicts with the current state.',
  413: 'The body or query string is too large or has too many fields.',
  414: 'The URL is too long.',
  415: 'The body is not JSON, a form or multipart.',
  429: 'Too many requests: wait for `Retry-After` seconds.',
  503: 'Not ready.',
};

/**
 * The error statuses an operation can answer: 400 and 413 always (a malformed query string, or one
 * of too many fields, is refused on any route), 415 on any method that may carry a body (a body of
 * an unknown type is refused even where none is read), 401/403 with credentials, 404 with an id in the path, 414 when
 * a path parameter can be too long; plus the operation's own.
 */
export function errorStatuses(op: OperationDoc, route: { hasBody: boolean; hasPathParams: boolean; secured: boolean }): number[] {
  const out = new Set<number>([400, 413]);
  if (route.hasBody) out.add(415);
  if (route.secured) [401, 403].forEach((s) => out.add(s));
  if (route.hasPathParams) [404, 414].forEach((s) => out.add(s));
  for (const s of op.errors ?? []) out.add(s);
  return [...out].sort((a, b) => a - b);
}

export function statusText(status: number): string {
  return STATUS_TEXT[status] ?? 'Error.';
}

/** Shorthands for answer schemas. */
export const Doc = {
  str: (description?: string, example?: unknown) =>
    Type.String({ ...(description ? { description } : {}), ...(example !== undefined ? { examples: [example] } : {}) }),
  int: (description?: string, example?: unknown) =>
    Type.Integer({ ...(description ? { description } : {}), ...(example !== undefined ? { examples: [example] } : {}) }),
  num: (description?: string) => Type.Number(description ? { description } : {}),
  bool: (description?: string) => Type.Boolean(description ? { description } : {}),
  nullable: <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]),
  opt: <T extends TSchema>(schema: T) => Type.Optional(schema),
  /** An ISO 8601 instant. */
  instant: (description?: string) => Type.String({ format: 'date-time', ...(description ? { description } : {}) }),
  list: <T extends TSchema>(item: T, description?: string) => Type.Array(item, description ? { description } : {}),
  obj: Type.Object,
  /** One answer of an operation: `{[status]: {description, schema, example?}}`. */
  answer: (status: number, description: string, schema: TSchema, example?: unknown) => ({
    [status]: { description, schema, ...(example !== undefined ? { example } : {}) },
  }),
  /** `{data: [...]}`, the console's list answer. */
  data: <T extends TSchema>(item: T) => Type.Object({ data: Type.Array(item) }),
};

/** A decimal amount as text, e.g. "150.75". */
export const DecimalText = Type.String({ pattern: '^-?\\d+(\\.\\d+)?$', examples: ['150.75'] });

export const Empty = { description: 'Done; no body.' } as const;
