// The console API client: same-origin fetch with the session cookie, the CSRF token on every
// state change, and answers turned into typed errors the pages can show.
export interface FieldProblems {
  [field: string]: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Field errors of a "Validation Failed" answer, by field name. */
    readonly fields: FieldProblems = {},
    /** Form-level errors of a "Validation Failed" answer. */
    readonly general: string[] = [],
    /** The refusal's stable code (the `pasarela-refusal` header): what the console translates. */
    readonly refusal?: string,
    /** The shared rules' code of each field's message, by field (the `pasarela-field-codes` header). */
    readonly fieldCodes: FieldProblems = {},
    /** The rule code of each form-level message (`general`), in its order ('' where it has none). */
    readonly generalCodes: string[] = [],
    /** The rule code of the answer's own message (the `pasarela-message-code` header: a 401, 403, 404, …). */
    readonly messageCode?: string,
  ) {
    super(message);
  }
}

/** The server could not be reached at all (offline, DNS, server down). */
export class NetworkError extends Error {}

let csrfToken = '';
let onUnauthorized: (() => void) | undefined;

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Called when a signed-in request answers 401: the session ended (expired or signed out elsewhere). */
export function setUnauthorizedHandler(handler: (() => void) | undefined): void {
  onUnauthorized = handler;
}

interface ErrorNode {
  errors?: string[];
  children?: Record<string, ErrorNode>;
}

function flatten(node: ErrorNode | undefined, path: string[], into: FieldProblems): void {
  if (!node) return;
  if (node.errors?.length && path.length) into[path.join('.')] ??= node.errors[0]!;
  for (const [key, child] of Object.entries(node.children ?? {})) flatten(child, [...path, key], into);
}

export async function readError(response: Response): Promise<ApiError> {
  let body: { message?: unknown; errors?: ErrorNode } = {};
  try {
    body = await response.json();
  } catch {
    // not JSON (a proxy's page): the status alone says enough
  }
  const fields: FieldProblems = {};
  flatten(body.errors, [], fields);
  const message = typeof body.message === 'string' ? body.message : response.statusText;
  const { byField, general } = readFieldCodes(response.headers.get('pasarela-field-codes'));
  return new ApiError(
    response.status,
    message,
    fields,
    body.errors?.errors ?? [],
    response.headers.get('pasarela-refusal') ?? undefined,
    byField,
    general,
    response.headers.get('pasarela-message-code') ?? undefined,
  );
}

/**
 * "logo=apps.logoNotPng, name=apps.name, =payouts.fileEmpty" → by field {logo: 'apps.logoNotPng',
 * name: 'apps.name'} and, for the form-level messages (no field name), ['payouts.fileEmpty'].
 */
function readFieldCodes(header: string | null): { byField: FieldProblems; general: string[] } {
  const byField: FieldProblems = {};
  const general: string[] = [];
  for (const pair of (header ?? '').split(',')) {
    if (!pair.includes('=')) continue;
    const [field = '', code = ''] = pair.trim().split('=');
    try {
      if (!field) general.push(decodeURIComponent(code));
      else if (code) byField[decodeURIComponent(field)] ??= decodeURIComponent(code);
    } catch {
      // a malformed pair says nothing
      if (!field) general.push('');
    }
  }
  return { byField, general };
}

export interface RequestOptions {
  /** A 401 here is an answer (wrong password, not signed in), not an ended session. */
  anonymous?: boolean;
  headers?: Record<string, string>;
}

export async function api<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    throw new NetworkError('network');
  }
  if (response.status === 401 && !options.anonymous) onUnauthorized?.();
  if (!response.ok) throw await readError(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}
