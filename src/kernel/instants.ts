// Instants are stored as epoch milliseconds and leave every wire as ISO 8601 text in UTC
// (reading them back: src/http/shared/instants.ts). A bigint column can come back from
// PostgreSQL as text, so the value is read as a number first.

/** One day of 24 hours (a UTC day; the instants here have no time zone). */
export const DAY_MS = 86_400_000;

/** "2026-03-01T12:00:00.000Z" for an instant in epoch milliseconds. */
export function iso(ms: number | string): string {
  return new Date(Number(ms)).toISOString();
}

/** iso(ms), or null where there is no instant. */
export function isoOrNull(ms: number | string | null | undefined): string | null {
  return ms == null ? null : iso(ms);
}
