// The deployment clock: wall time plus an offset that the sandbox clock helper can move
// forward, so the 24-hour and expiry rules are testable. The offset lives in the database so
// every process of a deployment agrees; each process re-reads it at most once a second.
import type { Store } from '../store/db.ts';

const KEY = 'clock_offset_ms';

export class Clock {
  private offsetMs = 0;
  private loadedAt = -Infinity;

  constructor(private readonly store: Store) {}

  async load(): Promise<void> {
    const row = await this.store.db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
    this.offsetMs = row ? Number(row.value) : 0;
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

  async advance(seconds: number): Promise<number> {
    const deltaMs = Math.trunc(seconds * 1000);
    await this.store.db.transaction().execute(async (tx) => {
      const row = await tx.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
      const next = (row ? Number(row.value) : 0) + deltaMs;
      if (row) await tx.updateTable('settings').set({ value: String(next) }).where('key', '=', KEY).execute();
      else await tx.insertInto('settings').values({ key: KEY, value: String(next) }).execute();
    });
    await this.load();
    return this.now();
  }
}
