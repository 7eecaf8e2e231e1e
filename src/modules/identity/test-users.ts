// Test users (the card family's POST /users/test_user, sandbox only): accounts made by the
// platform for an integrator to try its integration with, one site (and its currency) each.
// At most MAX_ALIVE_TEST_USERS alive per account; one idle TEST_USER_IDLE_MS (deployment clock)
// has expired: it cannot sign in and no longer counts. Test users and real users never pay
// each other (testUsersMix).
import { randomInt } from 'node:crypto';
import { ForbiddenError, ValidationError } from '../../kernel/errors.ts';
import type { Currency } from '../../kernel/money.ts';
import { isRefused, refuse } from '../../kernel/refusals.ts';
import type { Ctx } from '../../platform/context.ts';
import { randomToken } from '../../platform/secrets.ts';
import type { Db, Store, Tx } from '../../store/db.ts';
import { walletAccount } from '../ledger/index.ts';
import type { UserRow } from './repo.ts';
import { countAliveTestUsers, findTestUser, findTestUserByEmail, insertTestUser, lockOwner, touchTestUsers } from './test-users-repo.ts';
import { registerUser } from './users.ts';
import { IDENTITY_MESSAGES } from './rules.ts';

/** The sites of Latin America a test user can belong to, with their country and currency. */
export const TEST_USER_SITES = {
  MLA: { country: 'AR', currency: 'ARS' },
  MLB: { country: 'BR', currency: 'BRL' },
  MLM: { country: 'MX', currency: 'MXN' },
  MCO: { country: 'CO', currency: 'COP' },
  MLC: { country: 'CL', currency: 'CLP' },
  MPE: { country: 'PE', currency: 'PEN' },
  MLU: { country: 'UY', currency: 'UYU' },
  MLV: { country: 'VE', currency: 'VES' },
} as const satisfies Record<string, { country: string; currency: Currency }>;

export type TestUserSite = keyof typeof TEST_USER_SITES;

export const MAX_ALIVE_TEST_USERS = 10;
export const TEST_USER_IDLE_MS = 60 * 24 * 3600 * 1000;

export function isTestUserSite(value: unknown): value is TestUserSite {
  return typeof value === 'string' && Object.hasOwn(TEST_USER_SITES, value);
}

export interface CreatedTestUser {
  user: UserRow;
  site: TestUserSite;
  /** Shown once: only its hash is kept. */
  password: string;
}

const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');

/** A new test user of `siteId` for `owner`, with a wallet in the site's currency. */
export async function createTestUser(ctx: Ctx, owner: UserRow, siteId: unknown): Promise<CreatedTestUser> {
  if (ctx.config.environment !== 'sandbox') refuse({ code: 'sandbox_only' });
  if (owner.type === 'operator') refuse({ code: 'operator_has_no_wallet' });
  // Test users are made by real accounts: one made by another would escape the cap of 10.
  if (isTestUser(owner)) throw new ForbiddenError(IDENTITY_MESSAGES.testUserCreator.es, 'identity.testUserCreator');
  if (!isTestUserSite(siteId)) {
    throw new ValidationError([
      { path: ['site_id'], message: `El site_id debe ser uno de: ${Object.keys(TEST_USER_SITES).join(', ')}.`, code: 'identity.testUserSite' },
    ]);
  }
  const site = TEST_USER_SITES[siteId];
  const password = randomToken(9);
  // Made-up phone and identification: a clash with an existing user is refused by the
  // registration (already_registered) and simply drawn again.
  for (let attempt = 1; ; attempt++) {
    const number = digits(10);
    try {
      const user = await registerUser(
        ctx,
        {
          type: 'person',
          username: `test_user_${number}`,
          password,
          email: `test_user_${number}@testuser.com`,
          phone: `58${digits(10)}`,
          identification: `P${digits(9)}`,
          name: `Usuario de prueba ${siteId}`,
        },
        {
          isTest: true,
          testSiteId: siteId,
          inTransaction: async (tx, created, now) => {
            await lockOwner(tx, ctx.store.dialect, owner.id);
            if ((await countAliveTestUsers(tx, owner.id, now - TEST_USER_IDLE_MS)) >= MAX_ALIVE_TEST_USERS) {
              refuse({ code: 'test_users_limit', max: MAX_ALIVE_TEST_USERS });
            }
            await insertTestUser(tx, { user_id: created.id, owner_user_id: owner.id, site_id: siteId, created_at: now, last_active_at: now });
            await walletAccount(tx, created.id, site.currency, now);
          },
        },
      );
      return { user, site: siteId, password };
    } catch (error) {
      if (attempt < 3 && isRefused(error, 'already_registered')) continue;
      throw error;
    }
  }
}

export function isTestUser(user: Pick<UserRow, 'test_site_id'>): boolean {
  return user.test_site_id !== null;
}

// Whether a user is a test user never changes once made, so each process remembers it: the
// wallet family's payment paths ask about the merchant on every payment.
const testness = new WeakMap<Store, Map<string, boolean>>();
const TESTNESS_ENTRIES = 10_000;

/** Is the user of this id a test user? (Remembered per store; an unknown id is not one.) */
export async function isTestUserId(store: Store, db: Db | Tx, userId: string): Promise<boolean> {
  let known = testness.get(store);
  if (!known) testness.set(store, (known = new Map()));
  const cached = known.get(userId);
  if (cached !== undefined) return cached;
  const row = await findTestUser(db, userId);
  if (known.size >= TESTNESS_ENTRIES) known.clear();
  known.set(userId, !!row);
  return !!row;
}

/** Has this test user been idle too long (its last activity before the idle window)? */
export async function testUserExpired(db: Db | Tx, user: Pick<UserRow, 'id' | 'test_site_id'>, now: number): Promise<boolean> {
  if (!isTestUser(user)) return false;
  const row = await findTestUser(db, user.id);
  return !!row && row.last_active_at <= now - TEST_USER_IDLE_MS;
}

/**
 * Would this payment mix a test user and a real one? The payer is named by email (a card
 * payment's `payer.email`): a test user's email names it, any other email a real payer.
 */
export async function testUsersMix(
  db: Db | Tx,
  collector: Pick<UserRow, 'test_site_id'>,
  payerEmail: string | undefined,
): Promise<{ mixed: boolean; payer?: UserRow }> {
  // Test users' emails are made in lower case; an address is matched however it is typed.
  const email = payerEmail?.trim().toLowerCase();
  const payer = email ? await findTestUserByEmail(db, email) : undefined;
  return { mixed: isTestUser(collector) !== !!payer, payer };
}

/** A payment with an expired test user is refused (expired ones do not come back by paying). */
export async function refuseExpiredTestUsers(db: Db | Tx, users: readonly (Pick<UserRow, 'id' | 'test_site_id'> | undefined)[], now: number): Promise<void> {
  for (const user of users) if (user && (await testUserExpired(db, user, now))) refuse({ code: 'test_user_expired' });
}

/** Activity keeps test users alive (a sign-in, a payment). */
export async function markTestUsersActive(db: Db | Tx, users: readonly (Pick<UserRow, 'id' | 'test_site_id'> | undefined)[], now: number): Promise<void> {
  await touchTestUsers(
    db,
    users.filter((u): u is Pick<UserRow, 'id' | 'test_site_id'> => !!u && isTestUser(u)).map((u) => u.id),
    now,
    TEST_USER_IDLE_MS,
  );
}
