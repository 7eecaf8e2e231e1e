// The SQL of the POS terminals: stores, tills, devices, intents and their events. Every state
// change of an intent is one guarded update (`… where state = <expected>`): of two callers
// racing on one intent (the terminal taking it, the integrator cancelling it) exactly one
// changes it; the other sees nothing changed and is refused.
import { sql } from 'kysely';
import type { Db, Tx } from '../../store/db.ts';
import type {
  OperatingMode,
  PointDevicesTable,
  PointIntentEventsTable,
  PointIntentState,
  PointIntentsTable,
  PointStoresTable,
  PointTillsTable,
} from '../../store/schema-point.ts';

export type StoreRow = PointStoresTable;
export type TillRow = PointTillsTable;
export type DeviceRow = PointDevicesTable;
export type IntentRow = PointIntentsTable;
export type IntentEventRow = PointIntentEventsTable;

// --- stores and tills ------------------------------------------------------------------

export async function insertStore(tx: Tx, row: StoreRow): Promise<void> {
  await tx.insertInto('point_stores').values(row).execute();
}

export async function insertTill(tx: Tx, row: TillRow): Promise<void> {
  await tx.insertInto('point_tills').values(row).execute();
}

export function findStore(db: Db | Tx, ownerUserId: string, id: string): Promise<StoreRow | undefined> {
  return db.selectFrom('point_stores').selectAll().where('id', '=', id).where('owner_user_id', '=', ownerUserId).executeTakeFirst();
}

export function findTill(db: Db | Tx, ownerUserId: string, id: string): Promise<TillRow | undefined> {
  return db.selectFrom('point_tills').selectAll().where('id', '=', id).where('owner_user_id', '=', ownerUserId).executeTakeFirst();
}

export function findTillByExternalId(db: Db | Tx, ownerUserId: string, externalPosId: string): Promise<TillRow | undefined> {
  return db.selectFrom('point_tills').selectAll().where('owner_user_id', '=', ownerUserId).where('external_pos_id', '=', externalPosId).executeTakeFirst();
}

export function storesOf(db: Db | Tx, ownerUserId: string): Promise<StoreRow[]> {
  return db.selectFrom('point_stores').selectAll().where('owner_user_id', '=', ownerUserId).orderBy('created_at').orderBy('id').execute();
}

export function tillsOf(db: Db | Tx, ownerUserId: string): Promise<TillRow[]> {
  return db.selectFrom('point_tills').selectAll().where('owner_user_id', '=', ownerUserId).orderBy('created_at').orderBy('id').execute();
}

// --- devices ---------------------------------------------------------------------------

export async function insertDevice(tx: Tx, row: DeviceRow): Promise<void> {
  await tx.insertInto('point_devices').values(row).execute();
}

export function findDevice(db: Db | Tx, id: string): Promise<DeviceRow | undefined> {
  return db.selectFrom('point_devices').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A linked device of this merchant. */
export function findOwnDevice(db: Db | Tx, ownerUserId: string, id: string): Promise<DeviceRow | undefined> {
  return db
    .selectFrom('point_devices')
    .selectAll()
    .where('id', '=', id)
    .where('owner_user_id', '=', ownerUserId)
    .where('status', '=', 'linked')
    .executeTakeFirst();
}

export function findDeviceByCredential(db: Db | Tx, credentialHash: string): Promise<DeviceRow | undefined> {
  return db.selectFrom('point_devices').selectAll().where('credential_hash', '=', credentialHash).where('status', '=', 'linked').executeTakeFirst();
}

export function findDeviceByPairingSecret(db: Db | Tx, secretHash: string): Promise<DeviceRow | undefined> {
  return db.selectFrom('point_devices').selectAll().where('pairing_secret_hash', '=', secretHash).executeTakeFirst();
}

/** Link the device waiting with this code (guarded: a code links once, before it expires). */
export async function linkDeviceByCode(tx: Tx, code: string, ownerUserId: string, tillId: string, now: number): Promise<DeviceRow | undefined> {
  return tx
    .updateTable('point_devices')
    .set({ status: 'linked', owner_user_id: ownerUserId, till_id: tillId, pairing_code: null, linked_at: now, updated_at: now })
    .where('pairing_code', '=', code)
    .where('status', '=', 'pending')
    .where('pairing_expires_at', '>', now)
    .returningAll()
    .executeTakeFirst();
}

/** The credential is issued once: only while the pairing secret is still there. */
export async function issueCredential(tx: Tx, id: string, secretHash: string, credentialHash: string, now: number): Promise<boolean> {
  const result = await tx
    .updateTable('point_devices')
    .set({ credential_hash: credentialHash, pairing_secret_hash: null, pairing_expires_at: null, updated_at: now })
    .where('id', '=', id)
    .where('pairing_secret_hash', '=', secretHash)
    .where('status', '=', 'linked')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Unlinked: its credential stops working and it belongs to no one. */
export async function unlinkDevice(tx: Tx, ownerUserId: string, id: string, now: number): Promise<DeviceRow | undefined> {
  return tx
    .updateTable('point_devices')
    .set({ status: 'unlinked', owner_user_id: null, till_id: null, credential_hash: null, pairing_secret_hash: null, open_intent_id: null, updated_at: now })
    .where('id', '=', id)
    .where('owner_user_id', '=', ownerUserId)
    .where('status', '=', 'linked')
    .returningAll()
    .executeTakeFirst();
}

/** STANDALONE only while no intent is active on the device (guarded against one being created meanwhile). */
export async function setOperatingMode(tx: Tx, ownerUserId: string, id: string, mode: OperatingMode, now: number): Promise<DeviceRow | undefined> {
  let q = tx
    .updateTable('point_devices')
    .set({ operating_mode: mode, updated_at: now })
    .where('id', '=', id)
    .where('owner_user_id', '=', ownerUserId)
    .where('status', '=', 'linked');
  if (mode === 'STANDALONE') q = q.where('open_intent_id', 'is', null);
  return q.returningAll().executeTakeFirst();
}

/** A device takes one active intent at a time: claimed only while it has none. */
export async function claimDeviceSlot(tx: Tx, id: string, intentId: string): Promise<boolean> {
  const result = await tx
    .updateTable('point_devices')
    .set({ open_intent_id: intentId })
    .where('id', '=', id)
    .where('open_intent_id', 'is', null)
    .where('status', '=', 'linked')
    .where('operating_mode', '=', 'PDV')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function releaseDeviceSlot(tx: Tx, id: string, intentId: string): Promise<void> {
  await tx.updateTable('point_devices').set({ open_intent_id: null }).where('id', '=', id).where('open_intent_id', '=', intentId).execute();
}

export interface DeviceListing {
  device: DeviceRow;
  till: TillRow | undefined;
}

export async function devicesOf(db: Db, ownerUserId: string, page: { limit: number; offset: number; storeId?: string; posId?: string }) {
  let q = db
    .selectFrom('point_devices as d')
    .leftJoin('point_tills as t', 't.id', 'd.till_id')
    .where('d.owner_user_id', '=', ownerUserId)
    .where('d.status', '=', 'linked');
  if (page.storeId) q = q.where('t.store_id', '=', page.storeId);
  if (page.posId) q = q.where('t.id', '=', page.posId);
  const [{ total }] = (await q.select(sql<number>`count(*)`.as('total')).execute()) as [{ total: number }];
  const rows = await q
    .selectAll('d')
    .select(['t.store_id as till_store_id', 't.external_pos_id as till_external_pos_id', 't.name as till_name'])
    .orderBy('d.linked_at')
    .orderBy('d.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { total: Number(total), rows };
}

// --- intents ---------------------------------------------------------------------------

export async function insertIntent(tx: Tx, row: IntentRow): Promise<void> {
  await tx.insertInto('point_intents').values(row).execute();
}

export function findIntent(db: Db | Tx, id: string): Promise<IntentRow | undefined> {
  return db.selectFrom('point_intents').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The one guarded update of a transition; undefined when the intent was not in `from`. */
export async function moveIntent(
  tx: Tx,
  id: string,
  from: readonly PointIntentState[],
  to: PointIntentState,
  now: number,
  changes: Partial<Pick<IntentRow, 'payment_id' | 'payment_state' | 'payment_type' | 'expires_at'>> = {},
  /**
   * `unexpired`: only while not past its deadline (a terminal cannot take an intent already
   * abandoned); `due`: only once past it (a terminal that just took it has a new deadline).
   */
  deadline?: 'unexpired' | 'due',
): Promise<IntentRow | undefined> {
  let q = tx
    .updateTable('point_intents')
    .set({ ...changes, state: to, updated_at: now })
    .where('id', '=', id)
    .where('state', 'in', from);
  if (deadline === 'unexpired') q = q.where('expires_at', '>', now);
  if (deadline === 'due') q = q.where('expires_at', '<=', now);
  return q.returningAll().executeTakeFirst();
}

/** The intent the terminal should show next: its active one, oldest first. */
export function nextIntentOf(db: Db | Tx, deviceId: string): Promise<IntentRow | undefined> {
  return db
    .selectFrom('point_intents')
    .selectAll()
    .where('device_id', '=', deviceId)
    .where('state', 'in', ['OPEN', 'ON_TERMINAL', 'PROCESSING'])
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirst();
}

export function dueIntents(db: Db, now: number, limit: number): Promise<IntentRow[]> {
  return db
    .selectFrom('point_intents')
    .selectAll()
    .where('state', 'in', ['OPEN', 'ON_TERMINAL'])
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .limit(limit)
    .execute();
}

export async function insertIntentEvent(tx: Tx, row: Omit<IntentEventRow, 'seq'>): Promise<void> {
  const [{ last }] = (await tx
    .selectFrom('point_intent_events')
    .select(sql<number | null>`max(seq)`.as('last'))
    .where('intent_id', '=', row.intent_id)
    .execute()) as [{ last: number | null }];
  await tx
    .insertInto('point_intent_events')
    .values({ ...row, seq: Number(last ?? 0) + 1 })
    .execute();
}

export function eventsOfIntent(db: Db | Tx, intentId: string): Promise<IntentEventRow[]> {
  return db.selectFrom('point_intent_events').selectAll().where('intent_id', '=', intentId).orderBy('seq').execute();
}

export function eventsBetween(db: Db, ownerUserId: string, since: number, until: number, limit: number): Promise<IntentEventRow[]> {
  return db
    .selectFrom('point_intent_events')
    .selectAll()
    .where('owner_user_id', '=', ownerUserId)
    .where('created_at', '>=', since)
    .where('created_at', '<', until)
    .orderBy('created_at')
    .orderBy('intent_id')
    .orderBy('seq')
    .limit(limit)
    .execute();
}
