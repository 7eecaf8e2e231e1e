// Wallet merchant API (mPandco v1.7.1): payment intents and payments. This module only
// translates the wire format (snake_case answers, amounts as JSON numbers, Paginator) to
// service calls; the rules live in src/modules/wallet-intents and src/modules/payments.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ValidationError } from '../../kernel/errors.ts';
import { intentSummary } from '../../modules/wallet-intents/model.ts';
import { amountAsJsonNumber, formatAmount, type Currency } from '../../kernel/money.ts';
import type { Ctx } from '../../platform/context.ts';
import {
  annulIntent,
  createIntent,
  executeRequest,
  executeSale,
  getMerchantIntent,
  listIntents,
  type Intent,
} from '../../modules/wallet-intents/service.ts';
import { findPayment, listPayments, PAYMENT_TYPE, type PaymentView } from '../../modules/payments/service.ts';
import { requireBearer } from '../shared/auth.ts';
import { idempotent } from '../shared/idempotency.ts';
import { pageRequest, paginator } from '../shared/paginator.ts';
import { ErrorAnswer } from './auth-routes.ts';

const tags = ['wallet API'];
const Amount = Type.Union([Type.String({ maxLength: 30 }), Type.Number()]);
const AnyList = (item: ReturnType<typeof Type.Object>) => Type.Union([Type.Array(item), Type.Record(Type.String(), item)]);
const Item = Type.Object({ name: Type.Optional(Type.String()), price: Type.Optional(Amount), quantity: Type.Optional(Type.Union([Type.String(), Type.Integer()])), sku: Type.Optional(Type.String()), currency: Type.Optional(Type.String()) });
const Distribution = Type.Object({ digitalAccountDestination: Type.Optional(Type.String()), amount: Type.Optional(Amount), description: Type.Optional(Type.String()) });
const Transaction = Type.Object({
  amount: Type.Optional(Type.Object({ total: Type.Optional(Amount), currency: Type.Optional(Type.String()), details: Type.Optional(Type.Object({ shipping: Type.Optional(Amount), tax: Type.Optional(Amount), subTotal: Type.Optional(Amount) })) })),
  description: Type.Optional(Type.String()),
  invoiceNumber: Type.Optional(Type.Union([Type.String(), Type.Number()])),
  digitalAccountDestination: Type.Optional(Type.String()),
  items: Type.Optional(AnyList(Item)),
  distributions: Type.Optional(AnyList(Distribution)),
});
const CreateBody = Type.Object({
  paymentintent: Type.Optional(Type.Object({
    intent: Type.Optional(Type.String({ description: 'sale (payment button) or request (billing API)' })),
    redirectUrls: Type.Optional(Type.Object({ returnUrl: Type.Optional(Type.String()), cancelUrl: Type.Optional(Type.String()) })),
    transactions: Type.Optional(AnyList(Transaction)),
    recipient: Type.Optional(Type.String({ description: 'request only: username, phone or identification of the payer' })),
  })),
});
const IdQuery = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100, 'x-messages': { required: 'Debe indicar el id.' } }) });
const PageQuery = Type.Object({ page: Type.Optional(Type.String()), maxPerPage: Type.Optional(Type.String()), limit: Type.Optional(Type.String()) });

function money(minor: number, currency: Currency) {
  return amountAsJsonNumber(minor, currency);
}

/** The contract's PaymentIntent object. */
export function intentWire(ctx: Ctx, intent: Intent) {
  const { row } = intent;
  const currency = row.currency as Currency;
  const base = ctx.config.publicUrl;
  const summary = intentSummary(intent.transactions);
  const cur = { id: currency };
  const out: Record<string, unknown> = {
    id: row.id,
    intent: row.intent,
    state: intent.state,
  };
  if (intent.payer) out.payer = { payer_info: { id: intent.payer.id, _data: { fullname: intent.payer.name } } };
  out.redirect_urls = {
    return_url: row.return_url,
    cancel_url: row.cancel_url,
    history_responses: intent.historyResponses.map((h) => ({ uri: h.uri, method: h.method, status_code: h.statusCode, body: h.body ?? h.error ?? '' })),
  };
  out.total = { currency: cur, items: money(summary.itemsMinor, currency), shipping: money(summary.shippingMinor, currency), tax: money(summary.taxMinor, currency), amount: money(summary.amountMinor, currency) };
  out.transactions = intent.transactions.map((t) => ({
    id: t.id,
    amount: { currency: cur, total: money(t.totalMinor, currency), details: { shipping: money(t.details.shippingMinor, currency), tax: money(t.details.taxMinor, currency), sub_total: money(t.details.subTotalMinor, currency) } },
    items: t.items.map((i) => ({ name: i.name, quantity: i.quantity, currency: { id: i.currency }, sku: i.sku, price: money(i.priceMinor, currency) })),
    description: t.description,
    invoice_number: t.invoiceNumber,
    ...(intent.payment ? { related_resources: { [row.intent]: { id: intent.payment.id, ref: intent.payment.ref } } } : {}),
    distributions: t.distributions.map((d) => ({ digital_account_destination: d.destination, amount: money(d.amountMinor, currency), description: d.description })),
  }));
  if (row.intent === 'request') out.pay_tokens = intent.payTokens.map((p) => ({ id: p.id, _data: { name: p.name } }));
  out.created_at = new Date(row.created_at).toISOString();
  out.expires_at = new Date(row.expires_at).toISOString();
  const links: Record<string, { href: string; method: string }> = {
    self: { href: `${base}/api/payment-intent/show.json?id=${row.id}`, method: 'GET' },
    execute: { href: `${base}/api/payment-intent/execute/${row.intent}.json?id=${row.id}`, method: 'POST' },
  };
  if (row.intent === 'sale') links.approval_url = { href: `${base}/p/express-checkout/${row.id}/1`, method: 'GET' };
  links.cancel = { href: `${base}/api/payment-intent/cancel.json`, method: 'POST' };
  out._links = links;
  return out;
}

function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

/** The contract's Payment object (`/api/payment/find.json`). */
export function paymentWire(view: PaymentView) {
  const { row, payer, recipient, source } = view;
  const currency = row.currency as Currency;
  const amount = formatAmount(row.amount_minor, currency);
  return {
    id: row.id,
    created_at: timestamp(row.created_at),
    amount_total: amount,
    ref: row.ref,
    user: { id: payer.id, _data: { fullname: payer.name } },
    status: row.status,
    type: PAYMENT_TYPE,
    recipient: { id: recipient.id, _data: { fullname: recipient.name } },
    digital_account_source: { id: source.id, created_at: timestamp(source.created_at), name: source.name },
    payment_methods: [
      {
        operation_method: 'digital_account',
        amount_total: amount,
        item_operations: [{ description: row.description, amount_total: amount, currency: { id: currency } }],
      },
    ],
    _data: {
      summary: row.description,
      kind: row.kind,
      currency: { id: currency },
      fee: formatAmount(row.fee_minor, currency),
      payment_intent: row.intent_id,
    },
  };
}

function body(request: FastifyRequest, root: string): Record<string, unknown> {
  const b = (request.body ?? {}) as Record<string, unknown>;
  const inner = b[root];
  return inner && typeof inner === 'object' ? (inner as Record<string, unknown>) : b;
}

export async function walletIntentRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const bearer = requireBearer(ctx);
  const once = idempotent(ctx);
  const security = [{ bearer: [] }];
  const errors = { 400: Type.Any(), 401: ErrorAnswer, 403: ErrorAnswer, 404: ErrorAnswer };

  app.post(
    '/api/payment-intent/.json',
    { preHandler: [bearer, once], config: { formRoot: 'paymentintent' }, schema: { tags, security, summary: 'Create a payment intent (sale or request)', body: CreateBody, response: errors } },
    async (request) => wireOf(await createIntent(ctx, request.auth, body(request, 'paymentintent'))),
  );

  app.get(
    '/api/payment-intent/show.json',
    { preHandler: bearer, schema: { tags, security, summary: 'One payment intent', querystring: IdQuery, response: errors } },
    async (request) => wireOf(await getMerchantIntent(ctx, request.auth.user.id, (request.query as { id: string }).id)),
  );

  app.get(
    '/api/payment-intent/.json',
    { preHandler: bearer, schema: { tags, security, summary: 'Payment intent history (Paginator)', querystring: PageQuery, response: errors } },
    async (request) => {
      const page = pageRequest(request.query as Record<string, unknown>);
      const { total, items } = await listIntents(ctx, request.auth.user.id, page.page, page.perPage);
      return paginator(request, ctx.config.publicUrl, page, total, items.map(wireOf));
    },
  );

  const ExecuteBody = Type.Object({ payment_execution: Type.Optional(Type.Object({ paymentIntent: Type.Optional(Type.String()), payer: Type.Optional(Type.String()), payToken: Type.Optional(Type.String()), pin: Type.Optional(Type.Union([Type.String(), Type.Integer()])) })) });

  app.post(
    '/api/payment-intent/execute/sale.json',
    { preHandler: [bearer, once], config: { formRoot: 'payment_execution' }, schema: { tags, security, summary: 'Execute an approved sale', querystring: IdQuery, body: ExecuteBody, response: errors } },
    async (request) => wireOf(await executeSale(ctx, request.auth.user.id, (request.query as { id: string }).id, body(request, 'payment_execution'))),
  );

  app.post(
    '/api/payment-intent/execute/request.json',
    { preHandler: [requireBearer(ctx, 'billing_api'), once], config: { formRoot: 'payment_execution' }, schema: { tags, security, summary: 'Execute a billing request at the till (pay token + PIN)', querystring: IdQuery, body: ExecuteBody, response: errors } },
    async (request) => wireOf(await executeRequest(ctx, request.auth.user.id, (request.query as { id: string }).id, body(request, 'payment_execution'))),
  );

  app.post(
    '/api/payment-intent/cancel.json',
    {
      preHandler: [bearer, once],
      config: { formRoot: 'cancel_payment_intent' },
      schema: { tags, security, summary: 'Annul an executed intent within 24 h', body: Type.Object({ cancel_payment_intent: Type.Optional(Type.Object({ paymentIntent: Type.Optional(Type.String()) })) }), response: errors },
    },
    async (request) => {
      const id = body(request, 'cancel_payment_intent').paymentIntent;
      if (typeof id !== 'string' || !id) {
        throw new ValidationError([{ path: ['paymentIntent'], message: 'Debe indicar la intención de pago.' }]);
      }
      return wireOf(await annulIntent(ctx, request.auth.user.id, id));
    },
  );

  app.get(
    '/api/payment/.json',
    { preHandler: bearer, schema: { tags, security, summary: 'Payments history (Paginator)', querystring: PageQuery, response: errors } },
    async (request) => {
      const page = pageRequest(request.query as Record<string, unknown>);
      const { total, items } = await listPayments(ctx, request.auth.user.id, page.page, page.perPage);
      return paginator(request, ctx.config.publicUrl, page, total, items.map(paymentWire));
    },
  );

  app.get(
    '/api/payment/find.json',
    { preHandler: bearer, schema: { tags, security, summary: 'One payment by id or ref', querystring: IdQuery, response: errors } },
    async (request) => paymentWire(await findPayment(ctx, request.auth.user.id, (request.query as { id: string }).id)),
  );

  function wireOf(intent: Intent) {
    return intentWire(ctx, intent);
  }
}
