// Reads of an app that other modules need (payment intents, the checkout page): the apps
// module's SQL for them.
import type { Db, Tx } from '../../store/db.ts';

/** Whether the app may distribute funds, read again at execution (permissions change). */
export function findAppDistributionPermission(db: Db | Tx, appId: string): Promise<{ id: string; perm_distributions: number }> {
  return db.selectFrom('oauth_apps').select(['id', 'perm_distributions']).where('id', '=', appId).executeTakeFirstOrThrow();
}

export async function findAppName(db: Db | Tx, appId: string): Promise<string | undefined> {
  return (await db.selectFrom('oauth_apps').select('name').where('id', '=', appId).executeTakeFirst())?.name;
}

export async function findAppLogo(db: Db | Tx, appId: string): Promise<Uint8Array | null | undefined> {
  return (await db.selectFrom('oauth_apps').select('logo_png').where('id', '=', appId).executeTakeFirst())?.logo_png;
}
