// Small key/value facts of a deployment (clock offset, bootstrap secrets, counters).
import type { Db, Tx } from './db.ts';

export async function getSetting(db: Db | Tx, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

/** Store `value` unless the key is set already; return whichever value is stored. */
export async function claimSetting(db: Db | Tx, key: string, value: string): Promise<string> {
  await db
    .insertInto('settings')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return (await getSetting(db, key))!;
}

export async function putSetting(db: Db | Tx, key: string, value: string): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

/** Insert the key; fails if it is set already (the caller read it as missing under its lock). */
export async function insertSetting(db: Db | Tx, key: string, value: string): Promise<void> {
  await db.insertInto('settings').values({ key, value }).execute();
}

/** Change an existing key's value. */
export async function updateSetting(db: Db | Tx, key: string, value: string): Promise<void> {
  await db.updateTable('settings').set({ value }).where('key', '=', key).execute();
}

/**
 * Take the key's row lock until the transaction ends (a no-op update: the same statement on
 * both databases; SQLite's single writer needs no lock, PostgreSQL's writers queue here).
 */
export async function lockSetting(tx: Tx, key: string): Promise<void> {
  await tx
    .updateTable('settings')
    .set((eb) => ({ value: eb.ref('value') }))
    .where('key', '=', key)
    .execute();
}
