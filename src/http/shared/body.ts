// Request bodies in the three encodings the contract uses — multipart (`curl -F`),
// urlencoded and JSON — all become the same tree: bracket names are nested with `qs`, and
// objects keyed "0", "1", … become arrays. Depth, field count and size are limited, each
// answered with a clear 400/413.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import qs from 'qs';
import { COMMON_MESSAGES, type CommonCode } from '../../kernel/messages.ts';

export const LIMITS = {
  bodyBytes: 1024 * 1024,
  fileBytes: 1024 * 1024,
  fieldBytes: 64 * 1024,
  fields: 1000,
  files: 4,
  depth: 12,
} as const;

/** A body (or query string) refused before any route reads it; `code` names its common message. */
export class BodyError extends Error {
  constructor(
    readonly statusCode: 400 | 413 | 415,
    message: string,
    readonly code: CommonCode,
  ) {
    super(message);
  }
}

export interface Upload {
  filename: string;
  mimetype: string;
  data: Buffer;
}

declare module 'fastify' {
  interface FastifyRequest {
    uploads: Record<string, Upload>;
  }
}

const QS_OPTIONS: qs.IParseOptions = {
  depth: LIMITS.depth,
  strictDepth: true,
  parameterLimit: LIMITS.fields,
  throwOnLimitExceeded: true,
  arrayLimit: LIMITS.fields,
  allowPrototypes: false,
};

/** Parse a urlencoded string (body or query) into the nested tree. */
export function parseForm(text: string): Record<string, unknown> {
  try {
    return normalizeLists(qs.parse(text, QS_OPTIONS)) as Record<string, unknown>;
  } catch (error) {
    throw limitError(error);
  }
}

const QUERY_ERROR = Symbol('queryError');

/**
 * The router's query-string parser. It runs before any hook and outside the error handler,
 * where a throw would crash the process; a bad query string is kept as a marker instead and
 * refused in `onRequest` (see registerBodyParsing) with the same 400/413 as a bad body.
 */
export function parseQuery(text: string): Record<string, unknown> {
  try {
    return parseForm(text);
  } catch (error) {
    return { [QUERY_ERROR]: error } as Record<string, unknown>;
  }
}

function limitError(error: unknown): BodyError {
  const message = error instanceof Error ? error.message : String(error);
  if (/depth/i.test(message)) return new BodyError(400, `Los campos anidan más de ${LIMITS.depth} niveles.`, 'common.bodyTooDeep');
  if (/parameter limit|array limit/i.test(message)) return new BodyError(413, `La solicitud tiene más de ${LIMITS.fields} campos.`, 'common.bodyTooManyFields');
  return new BodyError(400, COMMON_MESSAGES.bodyInvalid.es, 'common.bodyInvalid');
}

/** `{"0": a, "1": b}` → `[a, b]`, recursively; any other object is left as it is. */
export function normalizeLists(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalizeLists);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  const isList = entries.length > 0 && entries.every(([k], i) => k === String(i));
  if (isList) return entries.map(([, v]) => normalizeLists(v));
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) out[k] = normalizeLists(v);
  return out;
}

/** Depth and node count of a parsed JSON body, so a JSON body obeys the form limits too. */
function checkShape(value: unknown): void {
  let nodes = 0;
  const walk = (v: unknown, depth: number) => {
    if (v === null || typeof v !== 'object') return;
    if (depth > LIMITS.depth + 1) throw new BodyError(400, `Los campos anidan más de ${LIMITS.depth} niveles.`, 'common.bodyTooDeep');
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (++nodes > LIMITS.fields * 5) throw new BodyError(413, `La solicitud tiene más de ${LIMITS.fields} campos.`, 'common.bodyTooManyFields');
      walk(child, depth + 1);
    }
  };
  walk(value, 0);
}

async function readMultipart(request: FastifyRequest): Promise<void> {
  const pairs: string[] = [];
  const uploads: Record<string, Upload> = {};
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        uploads[part.fieldname] = { filename: part.filename, mimetype: part.mimetype, data };
      } else {
        pairs.push(`${encodeURIComponent(part.fieldname)}=${encodeURIComponent(String(part.value ?? ''))}`);
      }
    }
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (/FILE_TOO_LARGE|FILES_LIMIT|FIELDS_LIMIT|PARTS_LIMIT/.test(code)) {
      const key = code.includes('FILE_TOO_LARGE') ? 'fileTooLarge' : 'tooManyParts';
      throw new BodyError(413, COMMON_MESSAGES[key].es, `common.${key}`);
    }
    if (error instanceof BodyError) throw error;
    throw new BodyError(400, COMMON_MESSAGES.multipartInvalid.es, 'common.multipartInvalid');
  }
  request.uploads = uploads;
  request.body = parseForm(pairs.join('&'));
}

export async function registerBodyParsing(app: FastifyInstance): Promise<void> {
  app.decorateRequest('uploads', null as unknown as Record<string, Upload>);
  // Only the contract's three encodings: a text/plain body (fetch's default for a string) is
  // answered 415 with the list of accepted types instead of a meaningless validation error.
  app.removeContentTypeParser('text/plain');
  app.addHook('onRequest', async (request) => {
    const queryError = (request.query as Record<PropertyKey, unknown> | undefined)?.[QUERY_ERROR];
    if (queryError) throw queryError;
  });
  await app.register(formbody, {
    bodyLimit: LIMITS.bodyBytes,
    parser: (text: string) => parseForm(text),
  });
  await app.register(multipart, {
    limits: {
      fieldNameSize: 200,
      fieldSize: LIMITS.fieldBytes,
      fields: LIMITS.fields,
      fileSize: LIMITS.fileBytes,
      files: LIMITS.files,
      parts: LIMITS.fields + LIMITS.files,
      headerPairs: 200,
    },
    throwFileSizeLimit: true,
  });
  app.addHook('preValidation', async (request) => {
    if (!request.uploads) request.uploads = {};
    if (request.isMultipart()) {
      await readMultipart(request);
    } else if (request.body !== undefined && request.body !== null && typeof request.body === 'object') {
      checkShape(request.body);
      request.body = normalizeLists(request.body);
    }
    for (const part of [request.params, request.query, request.body]) {
      if (hasNulByte(part)) throw new BodyError(400, COMMON_MESSAGES.nulCharacter.es, 'common.nulCharacter');
    }
  });
}

/** PostgreSQL cannot store U+0000 in text; no field of any contract needs it. */
function hasNulByte(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (value === null || typeof value !== 'object' || depth > LIMITS.depth + 2) return false;
  for (const [key, child] of Object.entries(value)) {
    if (key.includes('\u0000') || hasNulByte(child, depth + 1)) return true;
  }
  return false;
}
