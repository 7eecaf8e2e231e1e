// The sandbox demo's POS terminal: a store, a till (CAJA1) and a virtual terminal linked to the
// demo merchant in PDV mode, with a credential planned once by the demo (so every run names the
// same terminal). Idempotent and safe beside a running server.
import { newRowId } from '../../kernel/ids.ts';
import type { Ctx } from '../../platform/context.ts';
import { sha256Hex } from '../../platform/secrets.ts';
import { isUniqueViolation } from '../../store/db.ts';
import { runCommand } from '../commands/index.ts';
import { newDeviceId, VIRTUAL_MODEL } from './model.ts';
import { findDeviceByCredential, findTillByExternalId, insertDevice, insertStore, insertTill } from './repo.ts';

export const DEMO_TILL = 'CAJA1';

export async function ensureDemoTerminal(ctx: Ctx, ownerUserId: string, credential: string): Promise<{ id: string; operatingMode: string }> {
  const hash = sha256Hex(credential);
  const found = await findDeviceByCredential(ctx.store.db, hash);
  if (found) return { id: found.id, operatingMode: found.operating_mode };
  try {
    return await runCommand(ctx, undefined, async ({ tx, now }) => {
      let till = await findTillByExternalId(tx, ownerUserId, DEMO_TILL);
      if (!till) {
        const storeId = newRowId();
        await insertStore(tx, { id: storeId, owner_user_id: ownerUserId, name: 'Tienda demo', external_id: null, created_at: now });
        till = { id: newRowId(), store_id: storeId, owner_user_id: ownerUserId, name: 'Caja 1', external_pos_id: DEMO_TILL, created_at: now };
        await insertTill(tx, till);
      }
      const id = newDeviceId(VIRTUAL_MODEL);
      await insertDevice(tx, {
        id,
        model: VIRTUAL_MODEL,
        status: 'linked',
        operating_mode: 'PDV',
        owner_user_id: ownerUserId,
        till_id: till.id,
        pairing_code: null,
        pairing_secret_hash: null,
        pairing_expires_at: null,
        credential_hash: hash,
        open_intent_id: null,
        linked_at: now,
        created_at: now,
        updated_at: now,
      });
      return { id, operatingMode: 'PDV' };
    });
  } catch (error) {
    // Another demo run linked it meanwhile (same planned credential).
    if (!isUniqueViolation(error)) throw error;
    const row = (await findDeviceByCredential(ctx.store.db, hash))!;
    return { id: row.id, operatingMode: row.operating_mode };
  }
}
