// How password guessing is slowed without letting a stranger lock a person out.
//
// Every password check (console and checkout sign-in, the OAuth password grant, the password
// behind a PIN reset) is counted for its *subject* — the person, whatever spelling of their
// username, phone or identification was typed, or the name itself when it is nobody's — twice:
//
// - per (subject, source), where the source is the client address (an IPv6 client's /64):
//   10 failures within 15 minutes and that source is refused for that subject until the window
//   ends. This is the limit a guesser meets, and it stops nobody else.
// - per subject, across sources: 100 failures within 15 minutes (ten sources' worth) and
//   sources that are *unfamiliar* to the person are refused too; a source the person signed in
//   from within 30 days keeps its own allowance, so even a distributed guesser cannot shut the
//   person out of the places they use (as Entra ID's smart lockout tells familiar locations).
// - per source, across subjects: 50 failures within 15 minutes whatever names were typed, and
//   that source is refused for everyone it is not familiar to. Without it one address typing
//   ever-new names is never refused and buys one scrypt hash per request, without end (the
//   hashes queue in libuv's small pool, where every other slow call, fsync included, waits).
//   People who signed in from that source within 30 days keep signing in from it, so a guesser
//   behind a shared address (an office, a carrier's NAT) does not shut out its regulars.
//
// Attempts are reserved in one transaction before the slow hash check, so parallel guesses are
// all counted; a refused attempt counts nothing. A limit reached only by checks still in flight
// makes the next check wait for their outcome (bounded) rather than refuse it, so a burst of
// right passwords is not turned away as if it were failures. A success clears its (subject, source) count
// and remembers the source. Unknown names are counted exactly as people are, so the limits do
// not tell which names exist.
import ipaddr from 'ipaddr.js';
import { refuse } from '../../kernel/refusals.ts';
import type { Ctx } from '../../platform/context.ts';
import { inTransaction } from '../../store/db.ts';
import { classifyPartyReference } from './model.ts';
import {
  decrementFailureCounter,
  deleteFailureCounter,
  deleteFailureCountersBefore,
  deleteSourcesBefore,
  isFamiliarSource,
  lockFailureCounter,
  rememberSource,
  setFailureCounter,
} from './limits-repo.ts';

export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_SOURCE = 10;
export const MAX_FAILURES_PER_PERSON = 100;
export const MAX_FAILURES_PER_ADDRESS = 50;
export const FAMILIAR_SOURCE_MS = 30 * 24 * 3600 * 1000;
/** The source of checks that do not come from the network (CLI, tests). */
export const LOCAL_SOURCE = 'local';
/** Every network client whose address does not parse. */
export const UNREADABLE_SOURCE = 'unreadable';

/** Who a password check is counted for. */
export interface SignInSubject {
  key: string;
  /** The person, when the name is someone's. */
  userId?: string;
}

export function signInSubject(loginName: string, user: { id: string } | undefined): SignInSubject {
  if (user) return { key: `user:${user.id}`, userId: user.id };
  let name: string;
  try {
    const ref = classifyPartyReference(loginName);
    name = `${ref.kind}:${ref.value}`;
  } catch {
    name = loginName.trim().toLowerCase();
  }
  return { key: `name:${name.slice(0, 80)}` };
}

/**
 * The client address as a counting source: IPv4 (also when IPv4-mapped) as it is, IPv6 by its
 * /64 (one subscriber usually holds a whole /64, so counting single addresses would give a
 * guesser billions of fresh sources).
 */
export function signInSource(address: string | undefined): string {
  if (!address) return LOCAL_SOURCE;
  // An address that does not parse (a proxy passing garbage along) is still a network client:
  // all such share one counted source rather than escaping the per-address ceiling.
  if (!ipaddr.isValid(address)) return UNREADABLE_SOURCE;
  const ip = ipaddr.process(address);
  if (ip.kind() === 'ipv4') return ip.toString();
  return `${(ip as ipaddr.IPv6).parts
    .slice(0, 4)
    .map((part) => part.toString(16))
    .join(':')}::/64`;
}

const pairKey = (subject: SignInSubject, source: string) => `${subject.key}|${source}`;
const sourceKey = (source: string) => `source:${source}`;
const retryAfter = (windowStart: number, now: number) => Math.max(1, Math.ceil((windowStart + SIGN_IN_WINDOW_MS - now) / 1000));

/**
 * Checks in flight in this process, per counter key: their reservations are in the counters but
 * are not failures (yet). A check that finds a limit reached only by checks still in flight —
 * a burst of right passwords from one office, a merchant's workers fetching tokens at boot —
 * waits for them instead of being refused. Another process's checks in flight count as
 * failures here: the limits stay on the safe side.
 */
const inFlight = new WeakMap<Ctx['store'], Map<string, number>>();
const IN_FLIGHT_WAIT_MAX_MS = 5_000;

function inFlightOf(ctx: Ctx): Map<string, number> {
  let map = inFlight.get(ctx.store);
  if (!map) inFlight.set(ctx.store, (map = new Map()));
  return map;
}

function counterKeys(subject: SignInSubject, source: string): string[] {
  return [subject.key, pairKey(subject, source), ...(source !== LOCAL_SOURCE ? [sourceKey(source)] : [])];
}

/**
 * Check a password for `subject` from `source` within the limits: an attempt is reserved in the
 * counters before the slow `check` (so parallel guesses are all counted) or refused
 * (too_many_attempts); a right password gives it back. Answers whether the password was right.
 */
export async function checkPasswordLimited(ctx: Ctx, subject: SignInSubject, source: string, check: () => Promise<boolean>): Promise<boolean> {
  const keys = counterKeys(subject, source);
  const flying = inFlightOf(ctx);
  for (let waitedMs = 0, attempt = 0; ; attempt++) {
    const outcome = await reserveSignInAttempt(ctx, subject, source, flying);
    if (outcome === 'reserved') break;
    if (outcome !== 'busy') refuse({ code: 'too_many_attempts', retryAfterSeconds: outcome });
    if (waitedMs >= IN_FLIGHT_WAIT_MAX_MS) refuse({ code: 'too_many_attempts', retryAfterSeconds: 1 });
    const delayMs = Math.min(10 * 2 ** attempt, 200);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    waitedMs += delayMs;
  }
  for (const key of keys) flying.set(key, (flying.get(key) ?? 0) + 1);
  try {
    const ok = await check();
    // Given back before this check stops counting as in flight: never a moment where it
    // looks like a failure.
    if (ok) await signInSucceeded(ctx, subject, source);
    return ok;
  } finally {
    for (const key of keys) {
      const left = (flying.get(key) ?? 1) - 1;
      if (left > 0) flying.set(key, left);
      else flying.delete(key);
    }
  }
}

/** Reserve one attempt, or say why not: seconds to wait (failures reached a limit) or 'busy' (checks in flight did). */
async function reserveSignInAttempt(ctx: Ctx, subject: SignInSubject, source: string, flying: Map<string, number>): Promise<'reserved' | 'busy' | number> {
  const now = await ctx.clock.now();
  const countsSource = source !== LOCAL_SOURCE;
  return inTransaction(ctx.store, async (tx) => {
    // One lock order for every check: the subject's row, the pair's, then the source's.
    const person = { key: subject.key, ...(await lockFailureCounter(tx, subject.key, now)) };
    const pair = { key: pairKey(subject, source), ...(await lockFailureCounter(tx, pairKey(subject, source), now)) };
    const address = countsSource ? { key: sourceKey(source), ...(await lockFailureCounter(tx, sourceKey(source), now)) } : undefined;
    type Counter = { key: string; count: number; windowStart: number };
    const fresh = (counter: Counter) => now - counter.windowStart >= SIGN_IN_WINDOW_MS;
    // The pair's limit spares nobody; the person's and the address's spare a familiar source.
    const limits: { counter: Counter | undefined; max: number; sparesFamiliar: boolean }[] = [
      { counter: pair, max: MAX_FAILURES_PER_SOURCE, sparesFamiliar: false },
      { counter: person, max: MAX_FAILURES_PER_PERSON, sparesFamiliar: true },
      { counter: address, max: MAX_FAILURES_PER_ADDRESS, sparesFamiliar: true },
    ];
    let familiar: boolean | undefined;
    let busy = false;
    let refusedUntil = 0;
    for (const { counter, max, sparesFamiliar } of limits) {
      if (!counter || fresh(counter) || counter.count < max) continue;
      if (sparesFamiliar) {
        familiar ??= subject.userId !== undefined && (await isFamiliarSource(tx, subject.userId, source, now - FAMILIAR_SOURCE_MS));
        if (familiar) continue;
      }
      // Reached: by failures, or only because checks of this process are still in flight.
      if (counter.count - (flying.get(counter.key) ?? 0) >= max) refusedUntil = Math.max(refusedUntil, counter.windowStart);
      else busy = true;
    }
    if (refusedUntil) return retryAfter(refusedUntil, now);
    if (busy) return 'busy';
    for (const counter of [person, pair, ...(address ? [address] : [])]) {
      await setFailureCounter(tx, counter.key, fresh(counter) ? 1 : counter.count + 1, fresh(counter) ? now : counter.windowStart);
    }
    return 'reserved';
  });
}

/**
 * The password was right: this source starts afresh for the person and is remembered as
 * familiar. The person-wide and source-wide counts only give back this check's reservation: the
 * other failures stay counted (they are what holds a distributed or many-named guesser back).
 */
async function signInSucceeded(ctx: Ctx, subject: SignInSubject, source: string): Promise<void> {
  await deleteFailureCounter(ctx.store.db, pairKey(subject, source));
  await decrementFailureCounter(ctx.store.db, subject.key);
  if (source !== LOCAL_SOURCE) await decrementFailureCounter(ctx.store.db, sourceKey(source));
  if (subject.userId !== undefined && source !== LOCAL_SOURCE) await rememberSource(ctx.store.db, subject.userId, source, await ctx.clock.now());
}

/** One retention batch: up to `limit` failure counters whose window has passed go. */
export async function pruneSignInFailures(ctx: Ctx, limit: number): Promise<number> {
  return deleteFailureCountersBefore(ctx.store.db, (await ctx.clock.now()) - SIGN_IN_WINDOW_MS, limit);
}

/** One retention batch: up to `limit` sources the person has not signed in from for 30 days go. */
export async function pruneSignInSources(ctx: Ctx, limit: number): Promise<number> {
  return deleteSourcesBefore(ctx.store.db, (await ctx.clock.now()) - FAMILIAR_SOURCE_MS, limit);
}
