// Rows a process keeps in memory for a short while, forgotten as soon as this process writes one
// of the tables they were read from (table-writes.ts): a change made here is seen by the very
// next read; one made by another process (a second server on the same PostgreSQL, the CLI)
// within the cache's time to live. For rows read on every request that change rarely — bearer
// tokens (modules/apps/bearer.ts), the fee schedule (modules/fees) — where each read was a join
// or a round trip.
import type { Store } from './db.ts';

export class ReadCache<V> {
  private readonly entries = new Map<string, { value: V; at: number }>();
  /** Bumped by every write that may change a kept row: a read that overlapped one is not kept. */
  private generation = 0;

  /** `ttlMs` 0 keeps nothing. Past `maxEntries` the oldest read goes. */
  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  forget(): void {
    this.generation++;
    this.entries.clear();
  }

  /** The kept value of `key`, or `load()`'s, kept unless it is undefined (nothing found is read again). */
  async get(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    if (this.ttlMs === 0) return load();
    const at = this.now();
    const hit = this.entries.get(key);
    if (hit && at - hit.at < this.ttlMs) return hit.value;
    const generation = this.generation;
    const value = await load();
    if (value !== undefined && generation === this.generation) {
      this.entries.delete(key);
      // Oldest first (a Map keeps insertion order).
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, { value, at });
    }
    return value;
  }
}

const caches = new WeakMap<Store, Map<string, ReadCache<unknown>>>();

/** The store's cache called `name`, made at first use: forgets on any write to `tables`. */
export function readCacheOf<V>(store: Store, name: string, tables: readonly string[], ttlMs: number): ReadCache<V> {
  let ofStore = caches.get(store);
  if (!ofStore) caches.set(store, (ofStore = new Map()));
  let cache = ofStore.get(name) as ReadCache<V> | undefined;
  if (!cache) {
    const created = new ReadCache<V>(ttlMs);
    store.tableWrites.on(tables, () => created.forget());
    ofStore.set(name, created as ReadCache<unknown>);
    cache = created;
  }
  return cache;
}
