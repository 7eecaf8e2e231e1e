// Opens a deployment: configuration → store (migrated) → clock, keyring → the service context.
import { loadConfig, type Config } from './config.ts';
import { Clock } from './clock.ts';
import type { Ctx } from './context.ts';
import { ensureOperator } from '../modules/identity/index.ts';
import { loadKeyring } from './secrets.ts';
import { createMailer } from './mailer.ts';
import { openStore, type Store } from '../store/db.ts';
import { migrateToLatest } from '../store/migrate.ts';

/** The deployment's database as configured (no migration, no context). */
export function openConfiguredStore(config: Config = loadConfig()): Promise<Store> {
  return openStore({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    schema: config.databaseSchema,
    sqliteSynchronous: config.sqliteSynchronous,
    onSyncFailure: stopOnSyncFailure,
  });
}

/**
 * The disk lost writes the process has already committed: answering on would report them as
 * durable. Stop; on restart SQLite recovers from what the disk really holds (group-sync.ts).
 */
function stopOnSyncFailure(error: Error): void {
  process.stderr.write(`${JSON.stringify({ level: 60, time: Date.now(), msg: 'stopping: the database log could not be synced', err: String(error) })}\n`);
  process.exit(75);
}

export async function openPlatform(config: Config = loadConfig(), options: { migrate?: boolean } = {}): Promise<Ctx> {
  const store = await openConfiguredStore(config);
  try {
    if (options.migrate !== false) await migrateToLatest(store);
    const clock = new Clock(store);
    await clock.load();
    const ctx: Ctx = { store, config, clock, keys: loadKeyring(config), mailer: createMailer(config.mail) };
    await ensureOperator(ctx);
    return ctx;
  } catch (error) {
    await store.close();
    throw error;
  }
}
