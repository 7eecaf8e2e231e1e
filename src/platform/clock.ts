// The deployment clock: wall time plus an offset that the sandbox clock helper can move
// forward, so the 24-hour and expiry rules are testable. The offset lives in the database so
// every process of a deployment agrees; each process re-reads it at most once a second.
//
// The offset is always a safe integer of milliseconds within MAX_OFFSET_MS: a move that would
// leave that range is refused, and a stored value that is not one (a damaged row) is read as 0
// with a log line, so one bad value can never make every time-dependent request fail.
import type { Store } from '../store/db.ts';
import { inTransaction } from '../store/db.ts';
import { claimSetting, getSetting, lockSetting, updateSetting } from '../store/settings.ts';
import { ValidationError } from '../kernel/errors.ts';

const KEY = 'clock_offset_ms';

/** A century: far past any TTL the rules use, far below what a Date can hold (±8.64e15 ms). */
export const MAX_OFFSET_MS = 100 * 365 * 24 * 3600 * 1000;

export type ClockLog = (message: string, detail: Record<string, unknown>) => void;

const stderrLog: ClockLog = (message, detail) => {
  process.stderr.write(JSON.stringify({ level: 40, time: Date.now(), msg: message, ...detail }) + '\n');
};

/** The stored offset, or undefined when the stored text is not a valid one. */
export function parseOffset(text: string): number | undefined {
  if (!/^-?\d{1,16}$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) && Math.abs(n) <= MAX_OFFSET_MS ? n : undefined;
}

export class Clock {
  private offsetMs = 0;
  private loadedAt = -Infinity;
  private warnedAbout: string | undefined;

  constructor(
    private readonly store: Store,
    private readonly log: ClockLog = stderrLog,
  ) {}

  private read(text: string | undefined): number {
    if (text === undefined) return 0;
    const offset = parseOffset(text);
    if (offset !== undefined) return offset;
    // Logged once per damaged value, not once a second.
    if (this.warnedAbout !== text) {
      this.warnedAbout = text;
      this.log('stored clock offset is not a valid number of milliseconds; using 0', { key: KEY, value: text.slice(0, 40) });
    }
    return 0;
  }

  async load(): Promise<void> {
    this.offsetMs = this.read(await getSetting(this.store.db, KEY));
    this.loadedAt = Date.now();
  }

  /** Milliseconds since the epoch on the deployment clock. */
  async now(): Promise<number> {
    if (Date.now() - this.loadedAt > 1000) await this.load();
    return Date.now() + this.offsetMs;
  }

  offset(): number {
    return this.offsetMs;
  }

  /** Move the clock forward; a damaged stored offset is replaced (counted from 0). */
  async advance(seconds: number): Promise<number> {
    if (!Number.isFinite(seconds) || seconds <= 0)
      throw new ValidationError([{ path: ['advanceSeconds'], message: 'Debe ser un número de segundos mayor que cero.' }]);
    const deltaMs = Math.trunc(seconds * 1000);
    // Read and write under the row's lock: two moves at once both count.
    await inTransaction(this.store, async (tx) => {
      await claimSetting(tx, KEY, '0');
      await lockSetting(tx, KEY);
      const next = this.read(await getSetting(tx, KEY)) + deltaMs;
      if (!Number.isSafeInteger(next) || next > MAX_OFFSET_MS) {
        throw new ValidationError([{ path: ['advanceSeconds'], message: 'El reloj no puede adelantarse más de 100 años en total.' }]);
      }
      await updateSetting(tx, KEY, String(next));
    });
    await this.load();
    return this.now();
  }
}
