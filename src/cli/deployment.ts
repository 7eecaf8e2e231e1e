// What every command starts from: the operator's language, the parsed arguments, and the
// deployment opened with its expected failures (a database that does not answer) in words.
import { loadConfig, type Config, type Language } from '../platform/config.ts';
import type { Ctx } from '../platform/context.ts';
import { openConfiguredStore, openPlatform } from '../platform/open.ts';
import type { Store } from '../store/db.ts';
import { pingDatabase } from '../store/health.ts';
import { CliFailure, databaseFailure } from './failures.ts';
import type { Messages } from './messages.ts';

export interface Ui {
  lang: Language;
  t: Messages;
}

/** parseArgs' answer for one command. */
export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** The deployment's context, migrated. */
export async function openDeployment(ui: Ui, config: Config = loadConfig()): Promise<Ctx> {
  try {
    return await openPlatform(config);
  } catch (error) {
    throw databaseFailure(error, config, ui.lang) ?? error;
  }
}

/** Only the database (migrate, verify-ledger). */
export async function openStoreOnly(ui: Ui): Promise<Store> {
  const config = loadConfig();
  let store: Store | undefined;
  try {
    store = await openConfiguredStore(config);
    // PostgreSQL connects on the first query: make that one here, where a refusal has words.
    await pingDatabase(store.db);
    return store;
  } catch (error) {
    await store?.close().catch(() => {});
    throw databaseFailure(error, config, ui.lang) ?? error;
  }
}

/** A sandbox-only command's deployment: production is refused in words before anything is opened. */
export async function openSandbox(ui: Ui, command: string): Promise<Ctx> {
  const config = loadConfig();
  if (config.environment !== 'sandbox') throw new CliFailure(ui.t.sandboxOnly(command));
  return openDeployment(ui, config);
}
