// People, businesses and the operator: registration, sign-in, the operations PIN and its
// lockout (kept in the database so every process agrees).
import { runCommand } from '../commands/index.ts';
import { randomUUID } from 'node:crypto';
import { NotFoundError, ValidationError, type FieldError } from '../../kernel/errors.ts';
import { refuse } from '../../kernel/refusals.ts';
import { classifyPartyReference } from './model.ts';
import { IDENTITY_MESSAGES, pinFormProblems, readRegistration, type RegistrationFields } from './rules.ts';
import { DEFAULT_CURRENCY } from '../../kernel/money.ts';
import { isUniqueViolation, type Db, type Tx } from '../../store/db.ts';
import { findUserBy, findUserById, insertAffiliationCodes, insertUser, setPinHash, useAffiliationCode, usersClashingWith, type UserRow } from './repo.ts';
import type { Ctx } from '../../platform/context.ts';
import { walletAccount } from '../ledger/index.ts';
import { dummyPasswordHash, hashSecret, randomCode, verifySecret } from '../../platform/secrets.ts';
import { clearAllMerchantPinAttempts } from './limits-repo.ts';
import { findUserLock } from './admin-repo.ts';
import { markTestUsersActive, testUserExpired } from './test-users.ts';
import { checkPasswordLimited, LOCAL_SOURCE, signInSource, signInSubject } from './sign-in-limits.ts';

export { MAX_PIN_ATTEMPTS, verifyPin, type PinPlace } from './pin.ts';

export type { UserRow };

export type RegisterInput = RegistrationFields;

/** What only the platform itself decides about a new user, never the registration form. */
export interface RegisterOptions {
  /** A sandbox test user (the demo buyers); set only by the sandbox's own seeding paths. */
  isTest?: boolean;
  /** A test user of the card family's test-user API, of this site (see test-users.ts). */
  testSiteId?: string;
  /** More of the same registration, in its transaction (a test user's own rows). */
  inTransaction?: (tx: Tx, user: UserRow, now: number) => Promise<void>;
}

export function checkRegistration(input: Partial<Record<keyof RegisterInput, unknown>>): RegisterInput {
  const { value, errors } = readRegistration(input);
  if (errors.length) throw new ValidationError(errors);
  return value;
}

export async function registerUser(ctx: Ctx, raw: Partial<Record<keyof RegisterInput, unknown>>, options: RegisterOptions = {}): Promise<UserRow> {
  const input = checkRegistration(raw);
  const passwordHash = await hashSecret(input.password, 'password');
  const pinHash = input.pin ? await hashSecret(input.pin, 'pin') : null;
  const now = await ctx.clock.now();
  try {
    return await runCommand(ctx, undefined, async ({ tx }) => {
      const clash = await usersClashingWith(tx, input);
      const errors: FieldError[] = [];
      for (const row of clash) {
        if (row.username === input.username) errors.push({ path: ['username'], message: IDENTITY_MESSAGES.usernameTaken.es, code: 'identity.usernameTaken' });
        if (row.phone === input.phone) errors.push({ path: ['phone'], message: IDENTITY_MESSAGES.phoneTaken.es, code: 'identity.phoneTaken' });
        if (row.identification === input.identification)
          errors.push({ path: ['identification'], message: IDENTITY_MESSAGES.identificationTaken.es, code: 'identity.identificationTaken' });
      }
      if (errors.length) throw new ValidationError(errors);
      const id = randomUUID();
      const user: UserRow = {
        id,
        type: input.type,
        username: input.username,
        email: input.email,
        phone: input.phone,
        identification: input.identification,
        name: input.name,
        password_hash: passwordHash,
        pin_hash: pinHash,
        pin_failed_attempts: 0,
        pin_locked_at: null,
        is_test: options.isTest === true ? 1 : 0,
        test_site_id: options.testSiteId ?? null,
        created_at: now,
      };
      await insertUser(tx, user);
      if (input.type === 'business') {
        // Claim the code in the same statement that checks it, so two registrations cannot share one.
        if (!(await useAffiliationCode(tx, input.affiliationCode!, id, now))) {
          throw new ValidationError([
            { path: ['affiliationCode'], message: IDENTITY_MESSAGES.affiliationCodeInvalid.es, code: 'identity.affiliationCodeInvalid' },
          ]);
        }
      }
      await walletAccount(tx, id, DEFAULT_CURRENCY, now);
      await options.inTransaction?.(tx, user, now);
      return user;
    });
  } catch (error) {
    if (isUniqueViolation(error)) refuse({ code: 'already_registered' });
    throw error;
  }
}

/** Fresh sandbox affiliation codes, one of each type (seed 001). */
export async function issueAffiliationCodes(ctx: Ctx): Promise<{ regular: string; commercial: string }> {
  const now = await ctx.clock.now();
  const codes = { regular: randomCode(8), commercial: randomCode(8) };
  await insertAffiliationCodes(ctx.store.db, codes, now);
  return codes;
}

/** A user by username, phone or identification; undefined also when it is none of them. */
export async function findUserByReference(db: Db | Tx, reference: string): Promise<UserRow | undefined> {
  let ref;
  try {
    ref = classifyPartyReference(reference);
  } catch {
    return undefined;
  }
  return findUserBy(db, ref);
}

export async function getUser(db: Db | Tx, id: string): Promise<UserRow> {
  const user = await findUserById(db, id);
  if (!user) throw new NotFoundError(IDENTITY_MESSAGES.userNotFound.es, 'identity.userNotFound');
  return user;
}

/**
 * Sign-in by username, phone or identification plus password (undefined when it fails), with
 * guessing slowed (see sign-in-limits.ts): counted per person whatever
 * spelling was typed, and per client source, reserved before the slow password check. Used by
 * every sign-in: console, checkout and the OAuth password grant. `source` is the client address.
 */
export async function authenticateLimited(ctx: Ctx, loginName: string, password: string, source: string = LOCAL_SOURCE): Promise<UserRow | undefined> {
  const user = await findUserByReference(ctx.store.db, loginName);
  const subject = signInSubject(loginName, user);
  const from = signInSource(source);
  const ok = await checkPasswordLimited(
    ctx,
    subject,
    from,
    async () => (await verifySecret(password, user?.password_hash ?? (await dummyPasswordHash()))) && !!user,
  );
  if (!ok || !user) return undefined;
  // Said only to whoever knows the password: a lock is not a way to probe which accounts exist.
  if ((await findUserLock(ctx.store.db, user.id)) !== null) refuse({ code: 'account_locked' });
  if (user.test_site_id !== null) {
    // A test user's sign-in is activity; one idle past its window has expired (test-users.ts).
    const now = await ctx.clock.now();
    if (await testUserExpired(ctx.store.db, user, now)) refuse({ code: 'test_user_expired' });
    await markTestUsersActive(ctx.store.db, [user], now);
  }
  return user;
}

/** Set or reset the PIN with the account password; the password check is limited like a sign-in. */
export async function setPin(ctx: Ctx, userId: string, password: string, pin: string, source: string = LOCAL_SOURCE): Promise<void> {
  // The console's PIN form checks the same rules before sending.
  const problems = pinFormProblems({ password, pin });
  if (problems.length) throw new ValidationError(problems);
  const user = await getUser(ctx.store.db, userId);
  const subject = signInSubject(user.username, user);
  const from = signInSource(source);
  if (!(await checkPasswordLimited(ctx, subject, from, () => verifySecret(password, user.password_hash)))) {
    refuse({ code: 'password_wrong', field: ['password'] });
  }
  const pinHash = await hashSecret(pin, 'pin');
  await setPinHash(ctx.store.db, userId, pinHash);
  await clearAllMerchantPinAttempts(ctx.store.db, userId);
}

/** Whether the person has an operations PIN, and whether wrong guesses locked it (console). */
export function pinState(user: UserRow): { set: boolean; locked: boolean } {
  return { set: Boolean(user.pin_hash), locked: user.pin_locked_at !== null };
}

export function publicProfile(user: UserRow) {
  return {
    id: user.id,
    type: user.type,
    username: user.username,
    name: user.name,
    email: user.email,
    phone: user.phone,
    identification: user.identification,
  };
}
