// People, businesses and the operator: registration, sign-in, the operations PIN and its
// lockout (kept in the database so every process agrees).
import { runCommand } from '../commands/index.ts';
import { randomUUID } from 'node:crypto';
import { NotFoundError, ValidationError, type FieldError } from '../../kernel/errors.ts';
import { refuse } from '../../kernel/refusals.ts';
import { classifyPartyReference, isPin } from './model.ts';
import { IDENTITY_MESSAGES, readRegistration, type RegistrationFields } from './rules.ts';
import { DEFAULT_CURRENCY } from '../../kernel/money.ts';
import { inTransaction, isUniqueViolation, type Db, type Tx } from '../../store/db.ts';
import {
  clearPinAttempts,
  clearSignInAttempts,
  countSignInAttempt,
  findUserBy,
  findUserById,
  insertAffiliationCodes,
  insertUser,
  lockPin,
  reservePinAttempt,
  setPinHash,
  useAffiliationCode,
  usersClashingWith,
  type UserRow,
} from './repo.ts';
import type { Ctx } from '../../platform/context.ts';
import { walletAccount } from '../ledger/index.ts';
import { dummyPasswordHash, hashSecret, randomCode, verifySecret } from '../../platform/secrets.ts';

export const MAX_PIN_ATTEMPTS = 3;

export type { UserRow };

export type RegisterInput = RegistrationFields;

/** What only the platform itself decides about a new user, never the registration form. */
export interface RegisterOptions {
  /** A sandbox test user (the demo buyers); set only by the sandbox's own seeding paths. */
  isTest?: boolean;
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
        if (row.username === input.username) errors.push({ path: ['username'], message: IDENTITY_MESSAGES.usernameTaken.es });
        if (row.phone === input.phone) errors.push({ path: ['phone'], message: IDENTITY_MESSAGES.phoneTaken.es });
        if (row.identification === input.identification) errors.push({ path: ['identification'], message: IDENTITY_MESSAGES.identificationTaken.es });
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
        created_at: now,
      };
      await insertUser(tx, user);
      if (input.type === 'business') {
        // Claim the code in the same statement that checks it, so two registrations cannot share one.
        if (!(await useAffiliationCode(tx, input.affiliationCode!, id, now))) {
          throw new ValidationError([{ path: ['affiliationCode'], message: IDENTITY_MESSAGES.affiliationCodeInvalid.es }]);
        }
      }
      await walletAccount(tx, id, DEFAULT_CURRENCY, now);
      return user;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ValidationError('El usuario, teléfono o identificación ya está registrado.');
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
  if (!user) throw new NotFoundError('Usuario no encontrado.');
  return user;
}

/** Sign-in by username, phone or identification plus password; undefined when it fails. */
export async function authenticate(ctx: Ctx, login: string, password: string): Promise<UserRow | undefined> {
  const user = await findUserByReference(ctx.store.db, login);
  const ok = await verifySecret(password, user?.password_hash ?? (await dummyPasswordHash()));
  return ok && user ? user : undefined;
}

const LOGIN_WINDOW_MS = 15 * 60 * 1000;
const MAX_LOGIN_FAILURES = 10;

/**
 * `authenticate` with guessing slowed: attempts are counted per login name in the database
 * (a settings row, so every process agrees), reserved in one transaction before the slow
 * password check so parallel guesses are counted too; a success clears the count. Used by
 * every sign-in: console, checkout and the OAuth password grant.
 */
export async function authenticateLimited(ctx: Ctx, loginName: string, password: string): Promise<UserRow | undefined> {
  // Counted per person, not per spelling: "+58 412-555 0001" and "584125550001" are one login.
  let reference: string;
  try {
    const ref = classifyPartyReference(loginName);
    reference = `${ref.kind}:${ref.value}`;
  } catch {
    reference = loginName.trim().toLowerCase();
  }
  const key = `login_failures:${reference.slice(0, 80)}`;
  const now = await ctx.clock.now();
  const allowed = await inTransaction(ctx.store, (tx) => countSignInAttempt(tx, ctx.store.dialect, key, now, LOGIN_WINDOW_MS, MAX_LOGIN_FAILURES));
  if (!allowed) refuse({ code: 'too_many_attempts' });
  const user = await authenticate(ctx, loginName, password);
  if (user) await clearSignInAttempts(ctx.store.db, key);
  return user;
}

export async function setPin(ctx: Ctx, userId: string, password: string, pin: string): Promise<void> {
  if (!isPin(pin)) throw new ValidationError([{ path: ['pin'], message: 'El PIN debe tener 4 dígitos.' }]);
  const user = await getUser(ctx.store.db, userId);
  if (!(await verifySecret(password, user.password_hash))) {
    throw new ValidationError([{ path: ['password'], message: 'La contraseña no es correcta.' }]);
  }
  const pinHash = await hashSecret(pin, 'pin');
  await setPinHash(ctx.store.db, userId, pinHash);
}

export const PIN_WRONG = 'El PIN de operaciones no es correcto.';

/** How long a PIN check waits for the checks already in flight for the same user. */
const PIN_WAIT_MAX_MS = 5000;

/**
 * Check the operations PIN. An attempt is reserved in the database before the (slow) hash
 * comparison, so parallel guesses cannot exceed the limit; a right PIN clears the count.
 * While the reservations are all taken by checks still in flight (the user is not locked),
 * a check waits for them (bounded) instead of being refused as locked.
 */
export async function verifyPin(ctx: Ctx, userId: string, pin: unknown, path: string[] = ['pin']): Promise<void> {
  const text = pin === undefined || pin === null ? '' : String(pin);
  if (!isPin(text)) throw new ValidationError([{ path, message: 'El PIN debe tener 4 dígitos.' }]);
  let reserved: { pin_hash: string | null; pin_failed_attempts: number } | undefined;
  for (let waitedMs = 0, attempt = 0; ; attempt++) {
    reserved = await reservePinAttempt(ctx.store.db, userId, MAX_PIN_ATTEMPTS);
    if (reserved) break;
    const user = await getUser(ctx.store.db, userId);
    if (!user.pin_hash) refuse({ code: 'pin_not_set' });
    if (user.pin_locked_at !== null || waitedMs >= PIN_WAIT_MAX_MS) refuse({ code: 'pin_locked' });
    const delayMs = Math.min(5 * 2 ** attempt, 100) + Math.random() * 5;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    waitedMs += delayMs;
  }
  const now = await ctx.clock.now();
  if (await verifySecret(text, reserved.pin_hash!)) {
    await clearPinAttempts(ctx.store.db, userId);
    return;
  }
  if (reserved.pin_failed_attempts >= MAX_PIN_ATTEMPTS) {
    await lockPin(ctx.store.db, userId, now);
    refuse({ code: 'pin_locked' });
  }
  throw new ValidationError([{ path, message: PIN_WRONG }]);
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
