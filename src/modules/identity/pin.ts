// The operations PIN check and its lockout, kept in the database so every process agrees.
// Wrong PINs are counted per place the PIN is typed: the person's own console (transfers) on
// the users row, and each merchant's till apart (pin_merchant_attempts), so one merchant's
// failures lock the PIN at that merchant only. A reset of the PIN clears every lock.
import { ValidationError } from '../../kernel/errors.ts';
import { refuse } from '../../kernel/refusals.ts';
import type { Ctx } from '../../platform/context.ts';
import { verifySecret } from '../../platform/secrets.ts';
import { clearMerchantPinAttempts, lockMerchantPin, merchantPinLockedAt, reserveMerchantPinAttempt } from './limits-repo.ts';
import { isPin } from './model.ts';
import { IDENTITY_MESSAGES } from './rules.ts';
import { clearPinAttempts, findUserById, lockPin, reservePinAttempt } from './repo.ts';

export const MAX_PIN_ATTEMPTS = 3;

/** Where the PIN is typed: the person's own console (undefined) or a merchant's till. */
export type PinPlace = { merchantUserId: string } | undefined;

/** How long a PIN check waits for the checks already in flight for the same user. */
const PIN_WAIT_MAX_MS = 5000;

interface PinCounter {
  /** Count one attempt unless the limit is reached: the stored hash and the count, when counted. */
  reserve(): Promise<{ pinHash: string; attempts: number } | undefined>;
  lockedAt(): Promise<number | null>;
  lock(now: number): Promise<void>;
  clear(): Promise<void>;
}

function pinCounter(ctx: Ctx, userId: string, place: PinPlace): PinCounter {
  const db = ctx.store.db;
  if (!place) {
    return {
      async reserve() {
        const row = await reservePinAttempt(db, userId, MAX_PIN_ATTEMPTS);
        return row?.pin_hash ? { pinHash: row.pin_hash, attempts: row.pin_failed_attempts } : undefined;
      },
      lockedAt: async () => (await findUserById(db, userId))?.pin_locked_at ?? null,
      lock: (now) => lockPin(db, userId, now),
      clear: () => clearPinAttempts(db, userId),
    };
  }
  const merchant = place.merchantUserId;
  return {
    async reserve() {
      const pinHash = (await findUserById(db, userId))?.pin_hash;
      if (!pinHash) return undefined;
      const attempts = await reserveMerchantPinAttempt(db, userId, merchant, MAX_PIN_ATTEMPTS);
      return attempts === undefined ? undefined : { pinHash, attempts };
    },
    lockedAt: () => merchantPinLockedAt(db, userId, merchant),
    lock: (now) => lockMerchantPin(db, userId, merchant, now),
    clear: () => clearMerchantPinAttempts(db, userId, merchant),
  };
}

/**
 * Check the operations PIN typed at `place`. An attempt is reserved in the database before the
 * (slow) hash comparison, so parallel guesses cannot exceed the limit; a right PIN clears the
 * count. While the reservations are all taken by checks still in flight (the user is not
 * locked), a check waits for them (bounded) instead of being refused as locked.
 */
export async function verifyPin(ctx: Ctx, userId: string, pin: unknown, path: string[] = ['pin'], place?: PinPlace): Promise<void> {
  const text = pin === undefined || pin === null ? '' : String(pin);
  if (!isPin(text)) throw new ValidationError([{ path, message: IDENTITY_MESSAGES.pin.es, code: 'identity.pin' }]);
  const counter = pinCounter(ctx, userId, place);
  let reserved: { pinHash: string; attempts: number } | undefined;
  for (let waitedMs = 0, attempt = 0; ; attempt++) {
    reserved = await counter.reserve();
    if (reserved) break;
    if (!(await findUserById(ctx.store.db, userId))?.pin_hash) refuse({ code: 'pin_not_set' });
    if ((await counter.lockedAt()) !== null || waitedMs >= PIN_WAIT_MAX_MS) refuse({ code: 'pin_locked' });
    const delayMs = Math.min(5 * 2 ** attempt, 100) + Math.random() * 5;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    waitedMs += delayMs;
  }
  const now = await ctx.clock.now();
  if (await verifySecret(text, reserved.pinHash)) {
    await counter.clear();
    return;
  }
  if (reserved.attempts >= MAX_PIN_ATTEMPTS) {
    await counter.lock(now);
    refuse({ code: 'pin_locked' });
  }
  refuse({ code: 'pin_wrong', field: path });
}
