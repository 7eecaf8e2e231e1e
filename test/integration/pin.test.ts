// The operations PIN: three wrong PINs lock it, concurrent guesses cannot get past the limit,
// the lock lives in the database (a new platform instance sees it) and only a reset clears it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationError } from '../../src/kernel/errors.ts';
import { isRefused } from '../../src/kernel/refusals.ts';
import { readTransfer } from '../../src/http/console-api/transfer-wire.ts';
import { openPlatform } from '../../src/platform/open.ts';
import { getUser, MAX_PIN_ATTEMPTS, registerUser, setPin, verifyPin, type UserRow } from '../../src/modules/identity/users.ts';
import { fundWallet, listWallets, sendMoney } from '../../src/modules/wallets/service.ts';
import { openTestPlatform, type TestPlatform } from '../helpers.ts';

const PASSWORD = 'contraseña-segura';
let platform: TestPlatform;
let serial = 0;

async function person(pin: string | null = '1234'): Promise<UserRow> {
  serial += 1;
  return registerUser(platform.ctx, {
    type: 'person',
    username: `pin${serial}`,
    password: PASSWORD,
    email: `pin${serial}@example.com`,
    phone: `584160000${String(serial).padStart(3, '0')}`,
    identification: `V4000${String(serial).padStart(4, '0')}`,
    name: 'Persona',
    pin,
  });
}

/** 'ok', 'wrong' or 'locked' — anything else fails the test. */
async function attempt(userId: string, pin: string, ctx = platform.ctx): Promise<'ok' | 'wrong' | 'locked'> {
  try {
    await verifyPin(ctx, userId, pin);
    return 'ok';
  } catch (error) {
    if (isRefused(error, 'pin_locked')) return 'locked';
    if (isRefused(error, 'pin_wrong')) return 'wrong';
    throw error;
  }
}

before(async () => {
  platform = await openTestPlatform();
});
after(async () => {
  await platform.close();
});

describe('operations PIN lockout', () => {
  test('three wrong PINs lock; the right PIN is then refused; the lock is in the database', async () => {
    const user = await person();
    assert.equal(MAX_PIN_ATTEMPTS, 3);
    assert.deepEqual([await attempt(user.id, '0000'), await attempt(user.id, '1111'), await attempt(user.id, '2222')], ['wrong', 'wrong', 'locked']);
    assert.equal(await attempt(user.id, '1234'), 'locked');
    const row = await getUser(platform.ctx.store.db, user.id);
    assert.equal(row.pin_failed_attempts, 3);
    assert.ok(row.pin_locked_at !== null, 'pin_locked_at is set');

    // another instance of the deployment (another process, a restart) sees the same lock
    const other = await openPlatform(platform.config);
    try {
      assert.equal(await attempt(user.id, '1234', other), 'locked');
      // a transfer authorized with the right PIN is refused too, and moves nothing
      await assert.rejects(sendMoney(other, user.id, readTransfer({ to: 'nobody-here', amount: '1.00', pin: '1234' })), (e) => isRefused(e, 'pin_locked'));
    } finally {
      await other.store.close();
    }

    // resetting the PIN (with the password) clears the lock
    await assert.rejects(setPin(platform.ctx, user.id, 'not-the-password', '5678'), (e) => isRefused(e, 'password_wrong'));
    assert.equal(await attempt(user.id, '1234'), 'locked', 'a failed reset leaves the lock');
    await setPin(platform.ctx, user.id, PASSWORD, '5678');
    assert.equal(await attempt(user.id, '1234'), 'wrong', 'the old PIN is gone');
    assert.equal(await attempt(user.id, '5678'), 'ok');
    const cleared = await getUser(platform.ctx.store.db, user.id);
    assert.equal(cleared.pin_failed_attempts, 0);
    assert.equal(cleared.pin_locked_at, null);
  });

  test('a right PIN resets the count of wrong ones', async () => {
    const user = await person();
    for (let round = 0; round < 3; round++) {
      assert.equal(await attempt(user.id, '9999'), 'wrong');
      assert.equal(await attempt(user.id, '9998'), 'wrong');
      assert.equal(await attempt(user.id, '1234'), 'ok');
    }
  });

  test('concurrent wrong guesses: at most three are ever evaluated', async () => {
    const user = await person();
    const guesses = Array.from({ length: 20 }, (_, i) => String(5000 + i));
    const answers = await Promise.all(guesses.map((g) => attempt(user.id, g)));
    // the first two evaluated say "wrong", the third evaluated locks, every other is refused
    // unevaluated — a fourth evaluation would show up as a third "wrong"
    assert.equal(answers.filter((a) => a === 'wrong').length, 2, answers.join());
    assert.equal(answers.filter((a) => a === 'locked').length, 18, answers.join());
    const row = await getUser(platform.ctx.store.db, user.id);
    assert.equal(row.pin_failed_attempts, 3);
    assert.equal(await attempt(user.id, '1234'), 'locked');
  });

  test('concurrent payments with the right PIN all go through (none refused as locked)', async () => {
    const payer = await person();
    const payee = await person();
    await fundWallet(platform.ctx, { account: payer.username, amount: '100.00' });
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () => sendMoney(platform.ctx, payer.id, readTransfer({ to: payee.username, amount: '1.00', pin: '1234' }))),
    );
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as Error).message)),
      Array(12).fill('ok'),
    );
    const [wallet] = await listWallets(platform.ctx.store.db, payee.id);
    assert.equal(wallet!.balance, '12.00');
    assert.equal((await getUser(platform.ctx.store.db, payer.id)).pin_failed_attempts, 0);
  });

  test('malformed PINs are refused without using an attempt; a user without PIN cannot pay', async () => {
    const user = await person();
    for (const bad of ['123', '12345', 'abcd', '', undefined, null]) {
      await assert.rejects(verifyPin(platform.ctx, user.id, bad), (e) => e instanceof ValidationError && /4 dígitos/.test(e.message));
    }
    assert.equal((await getUser(platform.ctx.store.db, user.id)).pin_failed_attempts, 0);
    const noPin = await person(null);
    await assert.rejects(verifyPin(platform.ctx, noPin.id, '1234'), (e) => isRefused(e, 'pin_not_set'));
  });
});
