// A seller's customers and their saved cards. Saving a card uses a token (once, as a payment
// would) and keeps its sealed number; paying with a saved card needs a fresh token made from
// the card's id and its security code typed again, which is never stored with the card.
import { InvariantError, NotFoundError } from '../../kernel/errors.ts';
import { newRowId } from '../../kernel/ids.ts';
import { refuse } from '../../kernel/refusals.ts';
import { randomHex } from '../../platform/secrets.ts';
import type { Ctx } from '../../platform/context.ts';
import { inTransaction } from '../../store/db.ts';
import { brandById } from './model.ts';
import {
  deleteCustomer,
  deleteCustomerCard,
  findCardToken,
  findCustomer,
  findCustomerByEmail,
  findCustomerCard,
  findCustomerCards,
  insertCardToken,
  insertCustomer,
  insertCustomerCard,
  searchCustomers,
  updateCustomer,
  useCardToken,
  type CustomerCardRow,
  type CustomerRow,
} from './repo.ts';
import { CARD_TOKEN_TTL_MS, CardProblems, cardTokenModel, type CardToken } from './tokens.ts';

export interface CustomerInput {
  email?: string;
  firstName?: string;
  lastName?: string;
  phone?: { area_code?: string; number?: string };
  identification?: { type?: string; number?: string };
  description?: string;
  metadata?: Record<string, unknown>;
}

export interface Customer {
  row: CustomerRow;
  cards: CustomerCardRow[];
}

export async function createCustomer(ctx: Ctx, ownerUserId: string, input: CustomerInput & { email: string }): Promise<Customer> {
  const now = await ctx.clock.now();
  const email = input.email.trim().toLowerCase();
  return inTransaction(ctx.store, async (tx) => {
    if (await findCustomerByEmail(tx, ownerUserId, email)) refuse({ code: 'customer_exists', field: ['email'] });
    const row: CustomerRow = {
      id: `${randomHex(4)}-${randomHex(8)}`,
      owner_user_id: ownerUserId,
      email,
      first_name: input.firstName ?? null,
      last_name: input.lastName ?? null,
      phone: JSON.stringify(input.phone ?? {}),
      identification: JSON.stringify(input.identification ?? {}),
      description: input.description ?? null,
      metadata: JSON.stringify(input.metadata ?? {}),
      default_card_id: null,
      created_at: now,
      updated_at: now,
    };
    await insertCustomer(tx, row);
    return { row, cards: [] };
  });
}

async function ownCustomer(ctx: Ctx, ownerUserId: string, id: string): Promise<CustomerRow> {
  const row = await findCustomer(ctx.store.db, ownerUserId, id);
  if (!row) throw new NotFoundError('El cliente no existe.');
  return row;
}

export async function getCustomer(ctx: Ctx, ownerUserId: string, id: string): Promise<Customer> {
  const row = await ownCustomer(ctx, ownerUserId, id);
  return { row, cards: await findCustomerCards(ctx.store.db, [row.id]) };
}

/** A page of customers with their cards: two statements whatever the page size. */
export async function findCustomers(ctx: Ctx, ownerUserId: string, filter: { email?: string; limit: number; offset: number }) {
  const { total, rows } = await searchCustomers(ctx.store.db, ownerUserId, { ...filter, email: filter.email?.trim().toLowerCase() });
  const cards = await findCustomerCards(
    ctx.store.db,
    rows.map((r) => r.id),
  );
  return { total, customers: rows.map((row): Customer => ({ row, cards: cards.filter((c) => c.customer_id === row.id) })) };
}

export async function changeCustomer(ctx: Ctx, ownerUserId: string, id: string, input: CustomerInput & { defaultCard?: string }): Promise<Customer> {
  const now = await ctx.clock.now();
  return inTransaction(ctx.store, async (tx) => {
    const current = await findCustomer(tx, ownerUserId, id);
    if (!current) throw new NotFoundError('El cliente no existe.');
    const email = input.email?.trim().toLowerCase();
    if (email && email !== current.email && (await findCustomerByEmail(tx, ownerUserId, email))) refuse({ code: 'customer_exists', field: ['email'] });
    const cards = await findCustomerCards(tx, [id]);
    if (input.defaultCard && !cards.some((c) => c.id === input.defaultCard)) throw new NotFoundError('La tarjeta no existe.');
    const changes: Partial<CustomerRow> = {
      ...(email ? { email } : {}),
      ...(input.firstName !== undefined ? { first_name: input.firstName } : {}),
      ...(input.lastName !== undefined ? { last_name: input.lastName } : {}),
      ...(input.phone ? { phone: JSON.stringify(input.phone) } : {}),
      ...(input.identification ? { identification: JSON.stringify(input.identification) } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.metadata ? { metadata: JSON.stringify(input.metadata) } : {}),
      ...(input.defaultCard ? { default_card_id: input.defaultCard } : {}),
      updated_at: now,
    };
    await updateCustomer(tx, id, changes);
    return { row: { ...current, ...changes }, cards };
  });
}

export async function removeCustomer(ctx: Ctx, ownerUserId: string, id: string): Promise<Customer> {
  return inTransaction(ctx.store, async (tx) => {
    const row = await findCustomer(tx, ownerUserId, id);
    if (!row) throw new NotFoundError('El cliente no existe.');
    const cards = await findCustomerCards(tx, [id]);
    await deleteCustomer(tx, id);
    return { row, cards };
  });
}

/** Save the card of an unused token of the app to the customer (the token is used up). */
export async function saveCustomerCard(ctx: Ctx, auth: { appId: string; ownerUserId: string }, customerId: string, tokenId: string): Promise<CustomerCardRow> {
  const now = await ctx.clock.now();
  return inTransaction(ctx.store, async (tx) => {
    const customer = await findCustomer(tx, auth.ownerUserId, customerId);
    if (!customer) throw new NotFoundError('El cliente no existe.');
    const token = await findCardToken(tx, tokenId);
    if (!token || token.app_id !== auth.appId || !(await useCardToken(tx, token.id, auth.appId, now))) refuse({ code: 'card_token_invalid', field: ['token'] });
    // Using the token erased its number: the card keeps the copy read while it was active.
    if (token.number_sealed === null) throw new InvariantError(`card token ${token.id} was active without its card number`);
    const card: CustomerCardRow = {
      id: newRowId(),
      customer_id: customerId,
      owner_user_id: auth.ownerUserId,
      payment_method_id: token.payment_method_id,
      payment_type_id: token.payment_type_id,
      first_six_digits: token.first_six_digits,
      last_four_digits: token.last_four_digits,
      card_number_length: token.card_number_length,
      security_code_length: token.security_code_length,
      number_sealed: token.number_sealed,
      key_id: token.key_id,
      expiration_month: token.expiration_month,
      expiration_year: token.expiration_year,
      cardholder_name: token.cardholder_name,
      identification_type: token.identification_type,
      identification_number: token.identification_number,
      created_at: now,
      updated_at: now,
    };
    await insertCustomerCard(tx, card);
    if (!customer.default_card_id) await updateCustomer(tx, customerId, { default_card_id: card.id, updated_at: now });
    return card;
  });
}

export async function customerCards(ctx: Ctx, ownerUserId: string, customerId: string): Promise<CustomerCardRow[]> {
  await ownCustomer(ctx, ownerUserId, customerId);
  return findCustomerCards(ctx.store.db, [customerId]);
}

export async function customerCard(ctx: Ctx, ownerUserId: string, customerId: string, cardId: string): Promise<CustomerCardRow> {
  const card = await findCustomerCard(ctx.store.db, ownerUserId, cardId);
  if (!card || card.customer_id !== customerId) throw new NotFoundError('La tarjeta no existe.');
  return card;
}

export async function removeCustomerCard(ctx: Ctx, ownerUserId: string, customerId: string, cardId: string): Promise<CustomerCardRow> {
  const card = await customerCard(ctx, ownerUserId, customerId, cardId);
  await inTransaction(ctx.store, (tx) => deleteCustomerCard(tx, customerId, cardId));
  return card;
}

/**
 * A fresh single-use token for a saved card of the app's seller, with its security code typed
 * again (checked for the brand's length). A customer id, when given, must be the card's.
 */
export async function tokenFromSavedCard(
  ctx: Ctx,
  app: { appId: string; ownerUserId: string },
  fields: { cardId: string; customerId?: string; securityCode?: string },
): Promise<CardToken> {
  const now = await ctx.clock.now();
  const card = await findCustomerCard(ctx.store.db, app.ownerUserId, fields.cardId);
  if (!card || (fields.customerId && fields.customerId !== card.customer_id)) throw new NotFoundError('La tarjeta no existe.');
  const code = (fields.securityCode ?? '').trim();
  const brand = brandById(card.payment_method_id);
  if (!code) throw new CardProblems(['224']);
  if (!/^\d+$/.test(code) || code.length !== (brand?.securityCodeLength ?? card.security_code_length)) throw new CardProblems(['E302']);
  const row = {
    id: randomHex(16),
    app_id: app.appId,
    live_mode: ctx.config.environment === 'production' ? 1 : 0,
    payment_method_id: card.payment_method_id,
    payment_type_id: card.payment_type_id,
    first_six_digits: card.first_six_digits,
    last_four_digits: card.last_four_digits,
    card_number_length: card.card_number_length,
    security_code_length: code.length,
    number_sealed: card.number_sealed,
    security_code_sealed: ctx.keys.seal(code),
    key_id: card.key_id,
    expiration_month: card.expiration_month,
    expiration_year: card.expiration_year,
    cardholder_name: card.cardholder_name,
    identification_type: card.identification_type,
    identification_number: card.identification_number,
    status: 'active' as const,
    created_at: now,
    expires_at: now + CARD_TOKEN_TTL_MS,
    used_at: null,
  };
  await inTransaction(ctx.store, (tx) => insertCardToken(tx, row));
  return cardTokenModel(row, now);
}
