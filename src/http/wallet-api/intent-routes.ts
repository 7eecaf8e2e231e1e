// Wallet merchant API (mPandco v1.7.1): payment intents and payments. This module only
// translates the wire format (snake_case answers, amounts as JSON numbers, Paginator) to
// service calls; the rules live in src/modules/wallet-intents and src/modules/payments.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { randomUUID } from 'node:crypto';
import { ValidationError } from '../../kernel/errors.ts';
import type { Ctx } from '../../platform/context.ts';
import {
  annulIntent,
  createIntent,
  executeRequest,
  executeSale,
  getMerchantIntent,
  listIntentSummaries,
  type Intent,
} from '../../modules/wallet-intents/index.ts';
import { findPayment, listPayments } from '../../modules/payments/index.ts';
import { WALLET_MESSAGES } from '../../modules/wallets/index.ts';
import { requireBearer } from '../shared/auth.ts';
import { answerCommand, idempotent } from '../shared/idempotency.ts';
import { parseIntentForm } from './intent-reader.ts';
import { intentWire, paymentWire } from './presenters.ts';
import { answerPage, pageRequest, paginator } from '../shared/paginator.ts';
import { WireAmount } from '../shared/numbers.ts';
import { ErrorAnswer } from './auth-routes.ts';

const tags = ['wallet API'];

/**
 * Byte budgets of the answers that carry intents, with every creation maximum filled with the
 * heaviest characters (INTENT_LIMITS; measured by test/api/page-budget.test.ts): a page of the
 * intents list (100 summaries) and one full intent.
 */
export const INTENT_PAGE_BUDGET_BYTES = 2 * 1024 * 1024;
export const INTENT_SHOW_BUDGET_BYTES = 128 * 1024;
const Amount = WireAmount();
const AnyList = (item: ReturnType<typeof Type.Object>) => Type.Union([Type.Array(item), Type.Record(Type.String(), item)]);
const Item = Type.Object({
  name: Type.Optional(Type.String()),
  price: Type.Optional(Amount),
  quantity: Type.Optional(Type.Union([Type.String(), Type.Integer()])),
  sku: Type.Optional(Type.String()),
  currency: Type.Optional(Type.String()),
});
const Distribution = Type.Object({
  digitalAccountDestination: Type.Optional(Type.String()),
  amount: Type.Optional(Amount),
  description: Type.Optional(Type.String()),
});
const Transaction = Type.Object({
  amount: Type.Optional(
    Type.Object({
      total: Type.Optional(Amount),
      currency: Type.Optional(Type.String()),
      details: Type.Optional(Type.Object({ shipping: Type.Optional(Amount), tax: Type.Optional(Amount), subTotal: Type.Optional(Amount) })),
    }),
  ),
  description: Type.Optional(Type.String()),
  invoiceNumber: Type.Optional(Type.Union([Type.String(), Type.Number()])),
  digitalAccountDestination: Type.Optional(Type.String()),
  items: Type.Optional(AnyList(Item)),
  distributions: Type.Optional(AnyList(Distribution)),
});
const CreateBody = Type.Object({
  paymentintent: Type.Optional(
    Type.Object({
      intent: Type.Optional(Type.String({ description: 'sale (payment button) or request (billing API)' })),
      redirectUrls: Type.Optional(Type.Object({ returnUrl: Type.Optional(Type.String()), cancelUrl: Type.Optional(Type.String()) })),
      transactions: Type.Optional(AnyList(Transaction)),
      recipient: Type.Optional(Type.String({ description: 'request only: username, phone or identification of the payer' })),
    }),
  ),
});
const IdQuery = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 100, 'x-messages': { required: { message: WALLET_MESSAGES.intentId.es, code: 'wallets.intentId' } } }),
});
const PageQuery = Type.Object({ page: Type.Optional(Type.String()), maxPerPage: Type.Optional(Type.String()), limit: Type.Optional(Type.String()) });

function body(request: FastifyRequest, root: string): Record<string, unknown> {
  const b = (request.body ?? {}) as Record<string, unknown>;
  const inner = b[root];
  return inner && typeof inner === 'object' ? (inner as Record<string, unknown>) : b;
}

export async function walletIntentRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const bearer = requireBearer(ctx);
  const once = idempotent(ctx);
  const security = [{ bearer: [] }];
  const errors = { 400: ErrorAnswer, 401: ErrorAnswer, 403: ErrorAnswer, 404: ErrorAnswer };

  app.post(
    '/api/payment-intent/.json',
    {
      preHandler: [bearer, once],
      config: { formRoot: 'paymentintent' },
      schema: { tags, security, summary: 'Create a payment intent (sale or request)', body: CreateBody, response: errors },
    },
    async (request) =>
      answerCommand(request, wireOf, (options) => createIntent(ctx, request.auth, parseIntentForm(body(request, 'paymentintent'), randomUUID), options)),
  );

  app.get(
    '/api/payment-intent/show.json',
    { preHandler: bearer, schema: { tags, security, summary: 'One payment intent', querystring: IdQuery, response: errors } },
    async (request) => wireOf(await getMerchantIntent(ctx, request.auth.user.id, (request.query as { id: string }).id)),
  );

  app.get(
    '/api/payment-intent/.json',
    {
      preHandler: bearer,
      schema: {
        tags,
        security,
        summary: 'Payment intent history (Paginator)',
        description: 'Each entry is a summary: the full intent (items, distributions, return-URL history) is at its `_links.self` (show.json).',
        querystring: PageQuery,
        response: errors,
      },
    },
    async (request, reply) => {
      const page = pageRequest(request.query as Record<string, unknown>);
      return answerPage(
        request,
        reply,
        ctx.config.publicUrl,
        page,
        () => listIntentSummaries(ctx, request.auth.user.id, page.page, page.perPage),
        (intent) => intentWire(ctx, intent(), { summary: true }),
      );
    },
  );

  const ExecuteBody = Type.Object({
    payment_execution: Type.Optional(
      Type.Object({
        paymentIntent: Type.Optional(Type.String()),
        payer: Type.Optional(Type.String()),
        payToken: Type.Optional(Type.String()),
        pin: Type.Optional(Type.Union([Type.String(), Type.Integer()])),
      }),
    ),
  });

  app.post(
    '/api/payment-intent/execute/sale.json',
    {
      preHandler: [bearer, once],
      config: { formRoot: 'payment_execution' },
      schema: { tags, security, summary: 'Execute an approved sale', querystring: IdQuery, body: ExecuteBody, response: errors },
    },
    async (request) => {
      const id = (request.query as { id: string }).id;
      const execution = body(request, 'payment_execution');
      if (execution.paymentIntent !== undefined && execution.paymentIntent !== '' && String(execution.paymentIntent) !== id) {
        throw new ValidationError([{ path: ['paymentIntent'], message: 'La intención de pago no coincide con la indicada en la URL.' }]);
      }
      const payer = typeof execution.payer === 'string' ? execution.payer.trim() : '';
      if (!payer) throw new ValidationError([{ path: ['payer'], message: 'El pagador es obligatorio.' }]);
      return answerCommand(request, wireOf, (options) => executeSale(ctx, request.auth.user.id, id, payer, options));
    },
  );

  app.post(
    '/api/payment-intent/execute/request.json',
    {
      preHandler: [requireBearer(ctx, 'billing_api'), once],
      config: { formRoot: 'payment_execution' },
      schema: { tags, security, summary: 'Execute a billing request at the till (pay token + PIN)', querystring: IdQuery, body: ExecuteBody, response: errors },
    },
    async (request) => {
      const execution = body(request, 'payment_execution');
      const payToken = typeof execution.payToken === 'string' ? execution.payToken.trim() : '';
      if (!payToken) throw new ValidationError([{ path: ['payToken'], message: 'El token de pago es obligatorio.' }]);
      const pin = execution.pin === undefined || execution.pin === null ? '' : String(execution.pin);
      return answerCommand(request, wireOf, (options) =>
        executeRequest(ctx, request.auth.user.id, (request.query as { id: string }).id, { payToken, pin }, options),
      );
    },
  );

  app.post(
    '/api/payment-intent/cancel.json',
    {
      preHandler: [bearer, once],
      config: { formRoot: 'cancel_payment_intent' },
      schema: {
        tags,
        security,
        summary: 'Annul an executed intent within 24 h',
        body: Type.Object({ cancel_payment_intent: Type.Optional(Type.Object({ paymentIntent: Type.Optional(Type.String()) })) }),
        response: errors,
      },
    },
    async (request) => {
      const id = body(request, 'cancel_payment_intent').paymentIntent;
      if (typeof id !== 'string' || !id) {
        throw new ValidationError([{ path: ['paymentIntent'], message: 'Debe indicar la intención de pago.' }]);
      }
      return answerCommand(request, wireOf, (options) => annulIntent(ctx, request.auth.user.id, id, options));
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
