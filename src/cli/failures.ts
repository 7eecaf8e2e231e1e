// Failures an operator can cause and fix (a busy port, a missing setting, a database that does
// not answer): one clear line in their language and a non-zero exit, never a stack trace.
// Anything else is a bug and keeps its stack.
import { ConfigError, type Config, type Language } from '../platform/config.ts';
import { messages } from './messages.ts';

/** A failure already put into words for the operator; `exitCode` 2 is a usage error. */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

const NETWORK = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET']);

type Coded = Error & { code?: string; errors?: unknown[]; port?: number; address?: string; syscall?: string };

/** The codes of an error and of those it aggregates (a connection tried on IPv4 and IPv6). */
function codes(error: unknown): string[] {
  if (!(error instanceof Error)) return [];
  const e = error as Coded;
  return [...(e.code ? [String(e.code)] : []), ...(e.errors ?? []).flatMap(codes)];
}

/** host:port/database of a postgres URL, never its password. */
function databaseWhere(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return '';
  }
}

/** While listening: the port is taken, not ours to take, or the address is not this machine's. */
export function listenFailure(error: unknown, config: Config, lang: Language): CliFailure | undefined {
  const t = messages(lang);
  const [code] = codes(error);
  const port = String(config.port);
  if (code === 'EADDRINUSE') return new CliFailure(t.portBusy(port, config.host));
  if (code === 'EACCES') return new CliFailure(t.portDenied(port));
  if (code === 'EADDRNOTAVAIL') return new CliFailure(t.hostUnavailable(config.host));
  return undefined;
}

/** While opening the database: unreachable, refused, or a data folder that cannot be written. */
export function databaseFailure(error: unknown, config: Config, lang: Language): CliFailure | undefined {
  const t = messages(lang);
  const found = codes(error);
  if (config.databaseUrl) {
    const network = found.find((c) => NETWORK.has(c));
    // SQLSTATE class 28 (authentication), 3D000 (no such database), 57P03 (not accepting connections yet).
    const refused = found.find((c) => /^28/.test(c) || c === '3D000' || c === '57P03');
    const why = network ?? (refused ? `${refused}: ${(error as Error).message}` : undefined);
    return why ? new CliFailure(t.databaseUnreachable(databaseWhere(config.databaseUrl), why)) : undefined;
  }
  const io = found.find((c) => ['EACCES', 'EROFS', 'ENOTDIR', 'EEXIST', 'EPERM', 'ENOSPC', 'SQLITE_CANTOPEN', 'SQLITE_READONLY'].includes(c));
  return io ? new CliFailure(t.sqliteUnavailable(config.dataDir, io)) : undefined;
}

/** Any failure of a command that is the operator's to fix, in words; undefined for a bug. */
export function expectedFailure(error: unknown, lang: Language): CliFailure | undefined {
  if (error instanceof CliFailure) return error;
  if (error instanceof ConfigError) return new CliFailure(messages(lang).invalidConfig(error.in(lang)), 2);
  return undefined;
}
