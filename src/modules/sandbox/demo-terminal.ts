// The demo merchant's POS: a store, a till (CAJA1) and a virtual terminal linked to it in PDV
// mode, made the way a real one is (register → link by pairing code → collect the credential).
// The credential is shown once by the device API, so the demo keeps it sealed in a settings row
// to print the virtual terminal's address on every `pasarela demo`. Made once per deployment:
// a terminal the merchant later unlinks stays unlinked.
import { InvariantError, ValidationError } from '../../kernel/errors.ts';
import type { Ctx } from '../../platform/context.ts';
import { claimSetting, getSetting } from '../../store/settings.ts';
import {
  activateTerminal,
  changeOperatingMode,
  createStore,
  createTill,
  findDeviceView,
  linkTerminal,
  registerTerminal,
  storesAndTills,
  unlinkTerminal,
  type PointTillRow,
} from '../point/index.ts';

/** Where the virtual terminal page lives; its credential travels in the fragment, never to the server. */
export const VIRTUAL_TERMINAL_PATH = '/p/terminal';
const KEY = 'demo_virtual_terminal';
const TILL = { store: 'Tienda Demo', name: 'Caja 1', externalPosId: 'CAJA1' };

export interface DemoDevice {
  id: string;
  operatingMode: string;
  /** The virtual terminal page, already linked (the credential is in the fragment). */
  virtualTerminalUrl: string;
}

export function virtualTerminalUrl(baseUrl: string, credential: string): string {
  return `${baseUrl}${VIRTUAL_TERMINAL_PATH}#credential=${encodeURIComponent(credential)}`;
}

async function demoTill(ctx: Ctx, ownerUserId: string): Promise<PointTillRow> {
  const find = async () => (await storesAndTills(ctx, ownerUserId)).tills.find((t) => t.external_pos_id === TILL.externalPosId);
  const existing = await find();
  if (existing) return existing;
  const { stores } = await storesAndTills(ctx, ownerUserId);
  const store = stores.find((s) => s.name === TILL.store) ?? (await createStore(ctx, ownerUserId, { name: TILL.store }));
  try {
    return await createTill(ctx, ownerUserId, { storeId: store.id, name: TILL.name, externalPosId: TILL.externalPosId });
  } catch (error) {
    // Another `demo` run made it between our look and our insert.
    const again = error instanceof ValidationError ? await find() : undefined;
    if (again) return again;
    throw error;
  }
}

async function linkedVirtualTerminal(ctx: Ctx, ownerUserId: string): Promise<{ deviceId: string; credential: string }> {
  const till = await demoTill(ctx, ownerUserId);
  const registration = await registerTerminal(ctx);
  await linkTerminal(ctx, ownerUserId, { pairingCode: registration.pairingCode, tillId: till.id });
  const activation = await activateTerminal(ctx, registration.pairingSecret);
  if (activation.status !== 'linked') throw new InvariantError(`demo terminal ${registration.deviceId} not linked after linking`);
  await changeOperatingMode(ctx, ownerUserId, registration.deviceId, 'PDV');
  return { deviceId: registration.deviceId, credential: activation.credential };
}

/** The demo's virtual terminal, as it is now (none once the merchant unlinked it). */
export async function ensureDemoDevices(ctx: Ctx, ownerUserId: string, baseUrl: string): Promise<DemoDevice[]> {
  const sealed = await getSetting(ctx.store.db, KEY);
  let kept: { deviceId: string; credential: string };
  if (sealed) kept = JSON.parse(ctx.keys.open(sealed));
  else {
    const mine = await linkedVirtualTerminal(ctx, ownerUserId);
    kept = JSON.parse(ctx.keys.open(await claimSetting(ctx.store.db, KEY, ctx.keys.seal(JSON.stringify(mine)))));
    // Another run's terminal was kept: ours would be a second, unused one.
    if (kept.deviceId !== mine.deviceId) await unlinkTerminal(ctx, ownerUserId, mine.deviceId);
  }
  const device = await findDeviceView(ctx.store.db, kept.deviceId);
  if (!device || device.status !== 'linked' || device.ownerUserId !== ownerUserId) return [];
  return [{ id: device.id, operatingMode: device.operatingMode, virtualTerminalUrl: virtualTerminalUrl(baseUrl, kept.credential) }];
}
