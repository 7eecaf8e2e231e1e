// Card tokens: the card checked, its number and security code sealed (AES-256-GCM under the
// master key, the key's id stored beside), single use, 7 days. Only the first six and last
// four digits are ever shown.
import { randomHex } from '../../platform/secrets.ts';
import type { Ctx } from '../../platform/context.ts';
import { InvariantError, NotFoundError } from '../../kernel/errors.ts';
import { checkCard, type CardFields, type CardProblemCode, type CheckedCard } from './model.ts';
import { expireCardTokens, findCardToken, insertCardToken, type CardTokenRow } from './repo.ts';
import { inTransaction } from '../../store/db.ts';
import { overQuota, pruneWindows } from '../../store/rate-limits.ts';
import { refuse } from '../../kernel/refusals.ts';
import { signInSource } from '../identity/index.ts';

export const CARD_TOKEN_TTL_MS = 7 * 24 * 3600 * 1000;

/** The card's data-entry problems, in field order: the card family answers 400 with their codes. */
export class CardProblems extends Error {
  constructor(readonly codes: readonly CardProblemCode[]) {
    super(`card problems: ${codes.join(', ')}`);
    this.name = 'CardProblems';
  }
}

export interface CardToken {
  id: string;
  appId: string;
  liveMode: boolean;
  paymentMethodId: string;
  paymentTypeId: string;
  firstSixDigits: string;
  lastFourDigits: string;
  cardNumberLength: number;
  securityCodeLength: number;
  expirationMonth: number;
  expirationYear: number;
  cardholder: { name: string; identification: { type: string; number: string } | null };
  status: CardTokenRow['status'];
  createdAt: number;
  expiresAt: number;
}

export function cardTokenModel(row: CardTokenRow, now: number): CardToken {
  return {
    id: row.id,
    appId: row.app_id,
    liveMode: row.live_mode === 1,
    paymentMethodId: row.payment_method_id,
    paymentTypeId: row.payment_type_id,
    firstSixDigits: row.first_six_digits,
    lastFourDigits: row.last_four_digits,
    cardNumberLength: row.card_number_length,
    securityCodeLength: row.security_code_length,
    expirationMonth: row.expiration_month,
    expirationYear: row.expiration_year,
    cardholder: {
      name: row.cardholder_name,
      identification: row.identification_type && row.identification_number ? { type: row.identification_type, number: row.identification_number } : null,
    },
    status: row.status === 'active' && row.expires_at <= now ? 'expired' : row.status,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

/** Year and month of an instant, in UTC (card expiry is a calendar month). */
export function yearMonth(at: number): { year: number; month: number } {
  const d = new Date(at);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 };
}

export async function createCardToken(ctx: Ctx, appId: string, fields: CardFields): Promise<CardToken> {
  const now = await ctx.clock.now();
  const checked = checkCard(fields, yearMonth(now));
  if ('problems' in checked) throw new CardProblems(checked.problems);
  const { card } = checked;
  const row: CardTokenRow = {
    id: randomHex(16),
    app_id: appId,
    live_mode: ctx.config.environment === 'production' ? 1 : 0,
    payment_method_id: card.brand.id,
    payment_type_id: card.brand.paymentTypeId,
    first_six_digits: card.cardNumber.slice(0, 6),
    last_four_digits: card.cardNumber.slice(-4),
    card_number_length: card.cardNumber.length,
    security_code_length: card.securityCode.length,
    number_sealed: ctx.keys.seal(card.cardNumber),
    security_code_sealed: ctx.keys.seal(card.securityCode),
    key_id: ctx.keys.keyId,
    expiration_month: card.expirationMonth,
    expiration_year: card.expirationYear,
    cardholder_name: card.cardholderName,
    identification_type: card.identification?.type ?? null,
    identification_number: card.identification?.number ?? null,
    status: 'active',
    created_at: now,
    expires_at: now + CARD_TOKEN_TTL_MS,
    used_at: null,
  };
  await inTransaction(ctx.store, (tx) => insertCardToken(tx, row));
  return cardTokenModel(row, now);
}

export async function getCardToken(ctx: Ctx, appId: string, id: string): Promise<CardToken> {
  const row = await findCardToken(ctx.store.db, id);
  if (!row || row.app_id !== appId) throw new NotFoundError('El token de la tarjeta no existe.');
  return cardTokenModel(row, await ctx.clock.now());
}

const QUOTA_PREFIX = 'card_token:';

/**
 * Card tokenizations with a public key per client address and window (CARD_TOKEN_RATE_LIMIT
 * per CARD_TOKEN_RATE_WINDOW_SECONDS): the endpoint answers any browser, so one client must
 * not be able to try card numbers without end. Counted in the database (every process of a
 * deployment together), per app and client address (an IPv6 client by its /64, as the
 * sign-in limits count it): the buyers of one merchant behind a shared address do not use up
 * another merchant's allowance.
 */
export async function takeCardTokenQuota(ctx: Ctx, appId: string, clientAddress: string | undefined): Promise<void> {
  const { max, windowMs } = ctx.config.cardTokenRateLimit;
  if (max === 0) return;
  const now = await ctx.clock.now();
  const retryAfterSeconds = await overQuota(ctx.store.db, `${QUOTA_PREFIX}${appId}:${signInSource(clientAddress)}`, max, windowMs, now);
  if (retryAfterSeconds !== undefined) refuse({ code: 'too_many_attempts', retryAfterSeconds });
}

/** Counters of tokenization windows that have ended (retention worker; at most `limit` per call). */
export async function pruneCardTokenQuotas(ctx: Ctx, limit: number): Promise<number> {
  const now = await ctx.clock.now();
  return pruneWindows(ctx.store.db, QUOTA_PREFIX, now - ctx.config.cardTokenRateLimit.windowMs, limit);
}

/** The card a token sealed, opened for the processor (only while the token is being used). */
export function openSealedCard(ctx: Ctx, row: CardTokenRow, sealedCode: string | null): Omit<CheckedCard, 'brand' | 'identification'> & { brand: string } {
  if (row.key_id !== ctx.keys.keyId) throw new InvariantError(`card token ${row.id} was sealed under key ${row.key_id}, not the current one`);
  if (row.number_sealed === null) throw new InvariantError(`card token ${row.id}: its card number was erased (used or expired)`);
  return {
    cardNumber: ctx.keys.open(row.number_sealed),
    securityCode: sealedCode ? ctx.keys.open(sealedCode) : '',
    expirationMonth: row.expiration_month,
    expirationYear: row.expiration_year,
    cardholderName: row.cardholder_name,
    brand: row.payment_method_id,
  };
}

/** Tokens past their 7 days lose their card number and security code (retention worker; at most `limit` per call). */
export async function eraseExpiredCardCodes(ctx: Ctx, limit: number): Promise<number> {
  return expireCardTokens(ctx.store.db, await ctx.clock.now(), limit);
}
