// Configuration comes from the environment only (names and defaults: shared surface doc).
import { resolve } from 'node:path';
import ipaddr from 'ipaddr.js';

export type Environment = 'sandbox' | 'production';

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  environment: Environment;
  dataDir: string;
  databaseUrl: string | undefined;
  masterKey: string | undefined;
  logLevel: string;
  /** Schema to use on PostgreSQL (tests give each run its own). */
  databaseSchema: string | undefined;
  /** WEBHOOK_* tunables; unset ones take the delivery defaults (src/modules/webhooks/settings.ts). */
  webhooks: {
    timeoutMs?: number;
    retryHorizonSeconds?: number;
    concurrencyPerEndpoint?: number;
    concurrency?: number;
    pollMs?: number;
    leaseMs?: number;
  };
  /** PASARELA_OPERATOR_PASSWORD: the operator's first password (generated when unset). */
  operatorPassword: string | undefined;
  /** PAYMENT_INTENT_TTL_SECONDS: an unapproved intent expires after this. */
  intentTtlSeconds: number;
  /**
   * PASARELA_TEST_FAULT=crash_after_commit (sandbox only): the process kills itself right after
   * a command with an idempotency key commits and before it answers, so a test can prove the
   * retry gets the stored answer and nothing happens twice.
   */
  testFault: 'crash_after_commit' | undefined;
  /** SQLite durability (SQLITE_SYNCHRONOUS): FULL (default, group commit) survives a power loss; NORMAL only a crash. */
  sqliteSynchronous: 'FULL' | 'NORMAL' | 'EXTRA';
  /** Bearer token `/metrics` requires (METRICS_TOKEN); without one, production answers 404 there. */
  metricsToken: string | undefined;
  /** HTTP server limits, so a slow or idle client cannot hold a connection for long. */
  http: HttpLimits;
  /** Tokens one OAuth client may obtain per window (TOKEN_RATE_LIMIT; 0 = no limit). */
  tokenRateLimit: { max: number; windowMs: number };
  /**
   * AUTH_CACHE_MS: how long this process may answer a bearer token from memory (0 = read it
   * on every request). Changes made in this process are seen at once; a token revoked (or an
   * account locked) by another process stops working here within this time.
   */
  authCacheMs: number;
  /** Card tokenizations with a public key per client address and window (CARD_TOKEN_RATE_LIMIT; 0 = no limit). */
  cardTokenRateLimit: { max: number; windowMs: number };
  /**
   * TRUST_PROXY: which proxies' X-Forwarded-For names the client (false: the socket's peer is the
   * client). The client address is what sign-in limits count by.
   */
  trustProxy: boolean | number | string[];
  /** POINT_INTENT_TTL_SECONDS: a POS intent not taken (or not paid once taken) by then is ABANDONED. */
  pointIntentTtlSeconds: number;
  /** SANDBOX_CLOCK_FOR_APPS: may an app's token move the sandbox clock (else only the operator)? */
  sandboxClockForApps: boolean;
  /** RETENTION_DAYS: finished webhook deliveries and their attempts are pruned after this. */
  retentionDays: number;
  /** SMTP_URL (smtp:// or smtps://, credentials in the URL) and MAIL_FROM: outgoing mail (password resets). */
  mail: { smtpUrl: string | undefined; from: string };
}

export interface HttpLimits {
  /** The request line and headers must arrive within this (HTTP_HEADERS_TIMEOUT_MS). */
  headersTimeoutMs: number;
  /** The whole request, body included, must arrive within this (HTTP_REQUEST_TIMEOUT_MS). */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this (HTTP_KEEP_ALIVE_TIMEOUT_MS). */
  keepAliveTimeoutMs: number;
}

/** A setting that cannot work: `message` in English (logs, tests), `es` for a Spanish-speaking operator. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly es: string = message,
  ) {
    super(message);
  }

  in(lang: Language): string {
    return lang === 'es' ? this.es : this.message;
  }
}

export type Language = 'es' | 'en';

/**
 * The operator's language for the command line (LC_ALL, then LC_MESSAGES, then LANG, as POSIX
 * orders them): English when it says en…, Spanish otherwise — the users speak Spanish.
 */
export function cliLanguage(env: NodeJS.ProcessEnv = process.env): Language {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^en\b|^en_/i.test(locale) ? 'en' : 'es';
}

/** A whole number ≥ 1 from the environment, or the default when unset. */
function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d{1,12}$/.test(raw.trim()) || Number(raw) < 1)
    throw new ConfigError(`${name} must be a whole number ≥ 1, got ${raw}`, `${name} debe ser un número entero ≥ 1; vale ${raw}`);
  return Number(raw);
}

/** AUTH_CACHE_MS: 0 to 60000 (a minute is as long as a revocation elsewhere may take to reach this process). */
function authCacheMs(env: NodeJS.ProcessEnv): number {
  const raw = env.AUTH_CACHE_MS?.trim();
  if (raw === undefined || raw === '') return 1000;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 60_000)
    throw new ConfigError(
      `AUTH_CACHE_MS must be a whole number from 0 to 60000, got ${raw}`,
      `AUTH_CACHE_MS debe ser un número entero de 0 a 60000; vale ${raw}`,
    );
  return Number(raw);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = env.PORT ? Number(env.PORT) : 3000;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(`PORT must be a port number, got ${env.PORT}`, `PORT debe ser un número de puerto; vale ${env.PORT}`);
  const environment = (env.PASARELA_ENV ?? 'sandbox') as Environment;
  if (environment !== 'sandbox' && environment !== 'production') {
    throw new ConfigError(
      `PASARELA_ENV must be sandbox or production, got ${env.PASARELA_ENV}`,
      `PASARELA_ENV debe ser sandbox o production; vale ${env.PASARELA_ENV}`,
    );
  }
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl))
    throw new ConfigError('DATABASE_URL must be a postgres:// URL', 'DATABASE_URL debe ser un URL postgres://');
  if (environment === 'production' && !env.PASARELA_MASTER_KEY) {
    throw new ConfigError(
      'PASARELA_MASTER_KEY is required in production (32 bytes, base64: openssl rand -base64 32)',
      'PASARELA_MASTER_KEY es obligatoria en producción (32 bytes en base64: openssl rand -base64 32)',
    );
  }
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    publicUrl,
    environment,
    dataDir: resolve(env.DATA_DIR ?? './data'),
    databaseUrl,
    masterKey: env.PASARELA_MASTER_KEY || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    databaseSchema: env.DATABASE_SCHEMA || undefined,
    operatorPassword: env.PASARELA_OPERATOR_PASSWORD || undefined,
    webhooks: {
      timeoutMs: optionalPositive(env, 'WEBHOOK_TIMEOUT_MS'),
      retryHorizonSeconds: optionalPositive(env, 'WEBHOOK_RETRY_HORIZON_SECONDS'),
      concurrencyPerEndpoint: optionalPositive(env, 'WEBHOOK_CONCURRENCY_PER_ENDPOINT'),
      concurrency: optionalPositive(env, 'WEBHOOK_CONCURRENCY'),
      pollMs: optionalPositive(env, 'WEBHOOK_POLL_MS'),
      leaseMs: optionalPositive(env, 'WEBHOOK_LEASE_MS'),
    },
    intentTtlSeconds: positiveNumber(env, 'PAYMENT_INTENT_TTL_SECONDS', 10_800),
    pointIntentTtlSeconds: positiveNumber(env, 'POINT_INTENT_TTL_SECONDS', 600),
    testFault: environment === 'sandbox' && env.PASARELA_TEST_FAULT === 'crash_after_commit' ? 'crash_after_commit' : undefined,
    sqliteSynchronous: sqliteSynchronous(env.SQLITE_SYNCHRONOUS),
    metricsToken: env.METRICS_TOKEN || undefined,
    http: httpLimits(env),
    tokenRateLimit: {
      max: env.TOKEN_RATE_LIMIT === '0' ? 0 : positiveInteger(env, 'TOKEN_RATE_LIMIT', 300),
      windowMs: positiveInteger(env, 'TOKEN_RATE_WINDOW_SECONDS', 60) * 1000,
    },
    authCacheMs: authCacheMs(env),
    cardTokenRateLimit: {
      max: env.CARD_TOKEN_RATE_LIMIT === '0' ? 0 : positiveInteger(env, 'CARD_TOKEN_RATE_LIMIT', 60),
      windowMs: positiveInteger(env, 'CARD_TOKEN_RATE_WINDOW_SECONDS', 60) * 1000,
    },
    trustProxy: trustProxy(env.TRUST_PROXY),
    sandboxClockForApps: flag(env, 'SANDBOX_CLOCK_FOR_APPS', true),
    retentionDays: positiveInteger(env, 'RETENTION_DAYS', 30),
    mail: { smtpUrl: smtpUrl(env.SMTP_URL), from: env.MAIL_FROM || `Pasarela <no-reply@${mailDomain(publicUrl)}>` },
  };
}

/** The public URL's host name, where it can be a mail domain (an IP address cannot, unbracketed). */
function mailDomain(publicUrl: string): string {
  const host = new URL(publicUrl).hostname;
  return /[a-z]/i.test(host) && !host.startsWith('[') ? host : 'localhost';
}

function smtpUrl(raw: string | undefined): string | undefined {
  const value = (raw ?? '').trim();
  if (!value) return undefined;
  if (!/^smtps?:\/\/[^/\s]+/.test(value))
    throw new ConfigError(
      'SMTP_URL must be an smtp:// or smtps:// URL (smtps://user:password@host:465)',
      'SMTP_URL debe ser un URL smtp:// o smtps:// (smtps://usuario:clave@servidor:465)',
    );
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(`${name} must be true or false, got ${env[name]}`, `${name} debe ser true o false; vale ${env[name]}`);
}

/** `true`, a number of proxy hops, or a comma-separated list of proxy addresses and CIDR ranges. */
function trustProxy(raw: string | undefined): Config['trustProxy'] {
  const value = (raw ?? '').trim();
  const lower = value.toLowerCase();
  if (lower === '' || lower === 'false') return false;
  if (lower === 'true') return true;
  if (/^\d{1,3}$/.test(value)) return Number(value);
  const entries = value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  // Checked here, so a typo ("yes", "10.0.0.0/33") is a configuration error naming the
  // variable, not a stack trace from the proxy-address compiler at startup.
  for (const entry of entries) {
    if (!isProxyEntry(entry)) {
      throw new ConfigError(
        `TRUST_PROXY must be true, false, a number of hops or a list of addresses / CIDR ranges (loopback, linklocal, uniquelocal), got ${entry}`,
        `TRUST_PROXY debe ser true, false, un número de saltos o una lista de direcciones / rangos CIDR (loopback, linklocal, uniquelocal); vale ${entry}`,
      );
    }
  }
  return entries;
}

function isProxyEntry(entry: string): boolean {
  if (entry === 'loopback' || entry === 'linklocal' || entry === 'uniquelocal') return true;
  const [address = '', range, ...rest] = entry.split('/');
  // A bare number is an IPv4 address to ipaddr.js ("100" is 0.0.0.100): never what was meant.
  if (rest.length || /^\d+$/.test(address) || !ipaddr.isValid(address)) return false;
  if (range === undefined) return true;
  if (/^\d{1,3}$/.test(range)) return Number(range) <= (ipaddr.parse(address).kind() === 'ipv4' ? 32 : 128);
  return ipaddr.IPv4.isValid(range) && ipaddr.IPv4.isValid(address);
}

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  return optionalPositive(env, name) ?? fallback;
}

function optionalPositive(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new ConfigError(`${name} must be a positive number, got ${text}`, `${name} debe ser un número positivo; vale ${text}`);
  return value;
}

function httpLimits(env: NodeJS.ProcessEnv): HttpLimits {
  const requestTimeoutMs = positiveInteger(env, 'HTTP_REQUEST_TIMEOUT_MS', 30_000);
  const headersTimeoutMs = positiveInteger(env, 'HTTP_HEADERS_TIMEOUT_MS', 10_000);
  // Node refuses a headers timeout longer than the request timeout.
  if (headersTimeoutMs > requestTimeoutMs)
    throw new ConfigError(
      'HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS',
      'HTTP_HEADERS_TIMEOUT_MS no puede ser mayor que HTTP_REQUEST_TIMEOUT_MS',
    );
  return { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs: positiveInteger(env, 'HTTP_KEEP_ALIVE_TIMEOUT_MS', 10_000) };
}

function sqliteSynchronous(raw: string | undefined): Config['sqliteSynchronous'] {
  const value = (raw || 'FULL').trim().toUpperCase();
  // OFF would lose acknowledged payments on a crash of the machine: not offered.
  if (value !== 'FULL' && value !== 'NORMAL' && value !== 'EXTRA')
    throw new ConfigError(`SQLITE_SYNCHRONOUS must be FULL, NORMAL or EXTRA, got ${raw}`, `SQLITE_SYNCHRONOUS debe ser FULL, NORMAL o EXTRA; vale ${raw}`);
  return value;
}
