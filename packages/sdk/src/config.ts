// The API context (as the mPandco PHP SDK's ApiContext): which deployment — sandbox or
// production, each its own base URL — and which app's keys. Checked once, when the client is made.

export type Environment = 'sandbox' | 'production';

/** The parts of `fetch` the client uses (Node's global fetch by default; undici's works too). */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<{ status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>;

export interface PasarelaOptions {
  /** The app's client id (console: Configuraciones › Aplicaciones oAuth › llaves de acceso). */
  clientId?: string;
  /** The app's client secret. */
  clientSecret?: string;
  /**
   * Instead of the client id and secret: the app's own access token (it does not expire, so
   * nothing is refreshed). Tokens are obtained and refreshed for you when you give the keys.
   */
  accessToken?: string;
  /** `sandbox` (the default) or `production`: keys of the other environment are refused. */
  environment?: Environment;
  /**
   * The deployment's base URL. Default in sandbox: `http://localhost:3000` (what `npm start`
   * serves); required in production.
   */
  baseUrl?: string;
  /** Retries after a network error or a 5xx, with exponential backoff (default 2; 0 turns them off). */
  maxNetworkRetries?: number;
  /** Per attempt, in milliseconds (default 30 000). */
  timeoutMs?: number;
  /** Another fetch (a proxy agent, instrumentation). */
  fetch?: FetchLike;
}

export type Credentials = { kind: 'keys'; clientId: string; clientSecret: string } | { kind: 'token'; accessToken: string };

export interface ApiContext {
  environment: Environment;
  baseUrl: string;
  credentials: Credentials;
  maxNetworkRetries: number;
  timeoutMs: number;
  fetch: FetchLike;
}

export const DEFAULT_SANDBOX_URL = 'http://localhost:3000';
export const DEFAULT_MAX_NETWORK_RETRIES = 2;
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Keys and tokens carry their environment: `TEST-…` in sandbox, `APP_USR-…` in production. */
export const TOKEN_PREFIX: Record<Environment, string> = { sandbox: 'TEST-', production: 'APP_USR-' };

export function apiContext(options: PasarelaOptions): ApiContext {
  const environment = options.environment ?? 'sandbox';
  if (environment !== 'sandbox' && environment !== 'production') {
    throw new TypeError(`Pasarela: environment must be "sandbox" or "production", not ${JSON.stringify(environment)}`);
  }
  const base = options.baseUrl ?? (environment === 'sandbox' ? DEFAULT_SANDBOX_URL : undefined);
  if (!base) throw new TypeError('Pasarela: baseUrl is required in production (the address of your deployment).');
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new TypeError(`Pasarela: baseUrl is not a URL: ${base}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`Pasarela: baseUrl must be http(s): ${base}`);
  if (environment === 'production' && url.protocol !== 'https:' && !isLoopback(url.hostname)) {
    throw new TypeError('Pasarela: production needs an https baseUrl.');
  }
  return {
    environment,
    baseUrl: url.toString().replace(/\/+$/, ''),
    credentials: credentialsOf(options, environment),
    maxNetworkRetries: count(options.maxNetworkRetries, DEFAULT_MAX_NETWORK_RETRIES, 'maxNetworkRetries', 0),
    timeoutMs: count(options.timeoutMs, DEFAULT_TIMEOUT_MS, 'timeoutMs', 1),
    fetch: options.fetch ?? (globalThis.fetch as unknown as FetchLike),
  };
}

function credentialsOf(options: PasarelaOptions, environment: Environment): Credentials {
  if (options.accessToken !== undefined) {
    if (options.clientId !== undefined || options.clientSecret !== undefined) {
      throw new TypeError('Pasarela: give either clientId and clientSecret, or accessToken — not both.');
    }
    checkTokenEnvironment(options.accessToken, environment);
    return { kind: 'token', accessToken: options.accessToken };
  }
  if (!options.clientId || !options.clientSecret) throw new TypeError('Pasarela: clientId and clientSecret are required (or an accessToken).');
  return { kind: 'keys', clientId: options.clientId, clientSecret: options.clientSecret };
}

/** A token of the other environment means the client points at the wrong deployment or keys. */
export function checkTokenEnvironment(token: string, environment: Environment): void {
  const other: Environment = environment === 'sandbox' ? 'production' : 'sandbox';
  if (token.startsWith(TOKEN_PREFIX[other])) {
    throw new TypeError(`Pasarela: this token is a ${other} token (${TOKEN_PREFIX[other]}…) but the client is configured for ${environment}.`);
  }
}

function count(value: number | undefined, fallback: number, name: string, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min) throw new TypeError(`Pasarela: ${name} must be a whole number ≥ ${min}.`);
  return value;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\./.test(hostname);
}
