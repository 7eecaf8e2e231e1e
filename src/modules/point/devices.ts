// Terminals, stores and tills. A terminal registers itself and shows a short pairing code; the
// merchant links it to one of its tills with that code (console); the terminal then collects
// its own credential once, with the pairing secret only it holds. The credential is kept only
// as a SHA-256 hash. Unlinking cancels the terminal's waiting intent and the credential stops
// working at once.
import { randomInt } from 'node:crypto';
import { NotFoundError, ValidationError } from '../../kernel/errors.ts';
import { newRowId } from '../../kernel/ids.ts';
import { refuse } from '../../kernel/refusals.ts';
import type { Ctx } from '../../platform/context.ts';
import { randomToken, sha256Hex } from '../../platform/secrets.ts';
import { isUniqueViolation, type Tx } from '../../store/db.ts';
import { runCommand, type CommandScope } from '../commands/index.ts';
import { abandonIfDue, transitionIfStill } from './intents.ts';
import { DEVICE_MODEL, newDeviceId, VIRTUAL_MODEL, type OperatingMode, type PointDevice } from './model.ts';
import { POINT_MESSAGES } from './rules.ts';
import {
  devicesOf,
  findDevice,
  findDeviceByCredential,
  findDeviceByPairingSecret,
  findOwnDevice,
  findStore,
  findTill,
  insertDevice,
  insertStore,
  insertTill,
  issueCredential,
  linkDeviceByCode,
  setOperatingMode,
  storesOf,
  tillsOf,
  unlinkDevice,
  type DeviceRow,
  type StoreRow,
  type TillRow,
} from './repo.ts';

/** How long a pairing code waits for the merchant. */
export const PAIRING_TTL_MS = 15 * 60 * 1000;
/** Pairing codes: no 0/O or 1/I to misread on a terminal's screen. */
const PAIRING_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function pairingCode(): string {
  return Array.from({ length: 8 }, () => PAIRING_ALPHABET[randomInt(PAIRING_ALPHABET.length)]).join('');
}

export function deviceOf(row: DeviceRow, till?: Pick<TillRow, 'store_id' | 'external_pos_id'>): PointDevice {
  return {
    id: row.id,
    model: row.model,
    status: row.status,
    operatingMode: row.operating_mode,
    ownerUserId: row.owner_user_id,
    tillId: row.till_id,
    storeId: till?.store_id ?? null,
    externalPosId: till?.external_pos_id ?? null,
    linkedAt: row.linked_at === null ? null : Number(row.linked_at),
  };
}

// --- stores and tills (console) --------------------------------------------------------

export async function createStore(ctx: Ctx, ownerUserId: string, input: { name: string; externalId?: string }): Promise<StoreRow> {
  return runCommand(ctx, undefined, async ({ tx, now }) => {
    const row: StoreRow = { id: newRowId(), owner_user_id: ownerUserId, name: input.name, external_id: input.externalId ?? null, created_at: now };
    await insertStore(tx, row);
    return row;
  });
}

export async function createTill(ctx: Ctx, ownerUserId: string, input: { storeId: string; name: string; externalPosId: string }): Promise<TillRow> {
  try {
    return await runCommand(ctx, undefined, async ({ tx, now }) => {
      if (!(await findStore(tx, ownerUserId, input.storeId))) throw new NotFoundError(POINT_MESSAGES.storeNotFound.es, 'point.storeNotFound');
      const row: TillRow = {
        id: newRowId(),
        store_id: input.storeId,
        owner_user_id: ownerUserId,
        name: input.name,
        external_pos_id: input.externalPosId,
        created_at: now,
      };
      await insertTill(tx, row);
      return row;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ValidationError([{ path: ['externalPosId'], message: POINT_MESSAGES.tillTaken.es, code: 'point.tillTaken' }]);
    throw error;
  }
}

export async function storesAndTills(ctx: Ctx, ownerUserId: string): Promise<{ stores: StoreRow[]; tills: TillRow[] }> {
  const [stores, tills] = await Promise.all([storesOf(ctx.store.db, ownerUserId), tillsOf(ctx.store.db, ownerUserId)]);
  return { stores, tills };
}

// --- the terminal's side of linking ----------------------------------------------------

export interface Registration {
  deviceId: string;
  pairingCode: string;
  /** Only the terminal has it: it collects the credential with it once linked. */
  pairingSecret: string;
  expiresAt: number;
}

export async function registerTerminal(ctx: Ctx, model = VIRTUAL_MODEL): Promise<Registration> {
  if (!DEVICE_MODEL.test(model) || model.length > 40)
    throw new ValidationError([{ path: ['model'], message: POINT_MESSAGES.deviceModel.es, code: 'point.deviceModel' }]);
  const pairingSecret = randomToken();
  return runCommand(ctx, undefined, async ({ tx, now }) => {
    const id = newDeviceId(model);
    const code = pairingCode();
    await insertDevice(tx, {
      id,
      model,
      status: 'pending',
      operating_mode: 'STANDALONE',
      owner_user_id: null,
      till_id: null,
      pairing_code: code,
      pairing_secret_hash: sha256Hex(pairingSecret),
      pairing_expires_at: now + PAIRING_TTL_MS,
      credential_hash: null,
      open_intent_id: null,
      linked_at: null,
      created_at: now,
      updated_at: now,
    });
    return { deviceId: id, pairingCode: code, pairingSecret, expiresAt: now + PAIRING_TTL_MS };
  });
}

export type Activation =
  { status: 'pending'; deviceId: string; pairingCode: string; expiresAt: number } | { status: 'linked'; deviceId: string; credential: string };

/** The terminal asks, with its pairing secret, whether it was linked; the first time it was, it gets its credential. */
export async function activateTerminal(ctx: Ctx, pairingSecret: string): Promise<Activation> {
  const secretHash = sha256Hex(pairingSecret);
  const credential = randomToken();
  return runCommand(ctx, undefined, async ({ tx, now }) => {
    const device = await findDeviceByPairingSecret(tx, secretHash);
    if (!device) refuse({ code: 'point_pairing_code_invalid' });
    if (device.status === 'pending') {
      if (device.pairing_code === null || Number(device.pairing_expires_at) <= now) refuse({ code: 'point_pairing_code_invalid' });
      return { status: 'pending', deviceId: device.id, pairingCode: device.pairing_code, expiresAt: Number(device.pairing_expires_at) };
    }
    if (!(await issueCredential(tx, device.id, secretHash, sha256Hex(credential), now))) refuse({ code: 'point_device_not_linked' });
    return { status: 'linked', deviceId: device.id, credential };
  });
}

/** The linked terminal a credential names (undefined: unknown, or unlinked since). */
export async function authenticateTerminal(ctx: Ctx, credential: string): Promise<DeviceRow | undefined> {
  if (!credential || credential.length > 200) return undefined;
  return findDeviceByCredential(ctx.store.db, sha256Hex(credential));
}

// --- the merchant's side (console) -----------------------------------------------------

export async function linkTerminal(ctx: Ctx, ownerUserId: string, input: { pairingCode: string; tillId: string }): Promise<PointDevice> {
  return runCommand(ctx, undefined, async ({ tx, now }) => {
    const till = await findTill(tx, ownerUserId, input.tillId);
    if (!till) throw new NotFoundError(POINT_MESSAGES.tillNotFound.es, 'point.tillNotFound');
    const device = await linkDeviceByCode(tx, input.pairingCode.trim().toUpperCase(), ownerUserId, till.id, now);
    if (!device) refuse({ code: 'point_pairing_code_invalid', field: ['pairingCode'] });
    return deviceOf(device, till);
  });
}

/** Cancel what the terminal was about to charge, then unlink it: its credential stops working. */
export async function unlinkTerminal(ctx: Ctx, ownerUserId: string, deviceId: string): Promise<PointDevice> {
  return runCommand(ctx, undefined, async (scope) => {
    const device = await findOwnDevice(scope.tx, ownerUserId, deviceId);
    if (!device) throw new NotFoundError(POINT_MESSAGES.deviceNotFound.es, 'point.deviceNotFound');
    await cancelActiveIntent(scope, device);
    const row = await unlinkDevice(scope.tx, ownerUserId, deviceId, scope.now);
    if (!row) throw new NotFoundError(POINT_MESSAGES.deviceNotFound.es, 'point.deviceNotFound');
    return deviceOf(row);
  });
}

async function cancelActiveIntent(scope: CommandScope, device: DeviceRow): Promise<void> {
  if (!device.open_intent_id) return;
  // A payment that got there first keeps its outcome: only a waiting or taken intent is cancelled.
  await transitionIfStill(scope, device.open_intent_id, ['OPEN', 'ON_TERMINAL'], 'CANCELED');
}

export async function changeOperatingMode(ctx: Ctx, ownerUserId: string, deviceId: string, mode: OperatingMode): Promise<PointDevice> {
  return runCommand(ctx, undefined, async (scope) => {
    const { tx, now } = scope;
    const device = await findOwnDevice(tx, ownerUserId, deviceId);
    if (!device) throw new NotFoundError(POINT_MESSAGES.deviceNotFound.es, 'point.deviceNotFound');
    // A STANDALONE terminal takes no intent from the API, so it may not keep one waiting either.
    if (mode === 'STANDALONE' && device.open_intent_id) await abandonIfDue(scope, device.open_intent_id);
    const row = await setOperatingMode(tx, ownerUserId, deviceId, mode, now);
    if (!row) refuse({ code: 'point_device_busy' });
    return deviceOf(row, row.till_id ? await findTill(tx, ownerUserId, row.till_id) : undefined);
  });
}

export async function listDevices(
  ctx: Ctx,
  ownerUserId: string,
  page: { limit: number; offset: number; storeId?: string; posId?: string },
): Promise<{ total: number; devices: PointDevice[] }> {
  const { total, rows } = await devicesOf(ctx.store.db, ownerUserId, page);
  return {
    total,
    devices: rows.map((r) => deviceOf(r, r.till_store_id ? { store_id: r.till_store_id, external_pos_id: r.till_external_pos_id! } : undefined)),
  };
}

export async function findDeviceView(tx: Tx | Ctx['store']['db'], id: string): Promise<PointDevice | undefined> {
  const row = await findDevice(tx, id);
  if (!row) return undefined;
  return deviceOf(row, row.till_id && row.owner_user_id ? await findTill(tx, row.owner_user_id, row.till_id) : undefined);
}
