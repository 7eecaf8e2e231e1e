// The card family (/v1, the wire of the official Mercado Pago SDKs): card tokens, payments,
// refunds and the reference lists. Readers here turn the wire into typed inputs; the rules live
// in src/modules/cards. Errors leave in this family's own shape (errors.ts).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import cors from '@fastify/cors';
import { Type, type Static } from '@sinclair/typebox';
import { ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from '../../kernel/errors.ts';
import type { Ctx } from '../../platform/context.ts';
import { authenticatePublicKey } from '../../modules/apps/index.ts';
import {
  cancelCardPayment,
  captureCardPayment,
  createCardPayment,
  createCardToken,
  findCardPayments,
  getCardPayment,
  getCardRefund,
  getCardToken,
  listCardRefunds,
  refundCardPayment,
  takeCardTokenQuota,
  tokenFromSavedCard,
  type CardFields,
} from '../../modules/cards/index.ts';
import { requireBearer } from '../shared/auth.ts';
import { answerCommand, idempotent } from '../shared/idempotency.ts';
import { readInstant } from '../shared/instants.ts';
import { WireAmount, WireInteger } from '../shared/numbers.ts';
import { cardAccountRoutes } from './account-routes.ts';
import { cardCustomerRoutes } from './customer-routes.ts';
import { acceptEmptyJson, useCardErrors } from './errors.ts';
import { cardPaymentWire, cardRefundWire, cardTokenWire, identificationTypesWire, paymentMethodsWire, sellerWire } from './presenters.ts';

const tags = ['card API'];
const bearer = [{ bearer: [] }];

const Identification = Type.Object({
  type: Type.Optional(Type.String({ maxLength: 20 })),
  number: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Number()])),
});
const CardTokenBody = Type.Object({
  // One schema of two types, not a union: Ajv's coercion would turn a number into text in a
  // union's string branch, and a number past 2^53 (already rounded) must reach the card check
  // as a number to be refused (E301) instead of read as other digits.
  card_number: Type.Optional(Type.Unsafe<string | number>({ type: ['string', 'number'], maxLength: 40 })),
  expiration_month: Type.Optional(Type.Union([Type.String({ maxLength: 4 }), Type.Integer()])),
  expiration_year: Type.Optional(Type.Union([Type.String({ maxLength: 4 }), Type.Integer()])),
  security_code: Type.Optional(Type.Union([Type.String({ maxLength: 8 }), Type.Integer()])),
  cardholder: Type.Optional(Type.Object({ name: Type.Optional(Type.String({ maxLength: 200 })), identification: Type.Optional(Identification) })),
  // A saved card: its id (and customer), with the security code typed again.
  card_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  customer_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});

const PaymentBody = Type.Object({
  transaction_amount: WireAmount(),
  token: Type.String({ minLength: 1, maxLength: 64 }),
  description: Type.Optional(Type.String({ maxLength: 600 })),
  installments: Type.Optional(WireInteger({ minimum: 1, maximum: 36 })),
  payment_method_id: Type.Optional(Type.String({ maxLength: 40 })),
  issuer_id: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Integer()])),
  payer: Type.Optional(
    Type.Object({
      email: Type.Optional(Type.String({ maxLength: 256 })),
      identification: Type.Optional(Identification),
      type: Type.Optional(Type.String({ maxLength: 40 })),
      id: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Integer()])),
      first_name: Type.Optional(Type.String({ maxLength: 200 })),
      last_name: Type.Optional(Type.String({ maxLength: 200 })),
    }),
  ),
  capture: Type.Optional(Type.Boolean()),
  external_reference: Type.Optional(Type.String({ maxLength: 256 })),
  notification_url: Type.Optional(Type.String({ maxLength: 500, pattern: '^https?://' })),
  statement_descriptor: Type.Optional(Type.String({ maxLength: 22 })),
  metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});

const PaymentChange = Type.Object({
  capture: Type.Optional(Type.Boolean()),
  transaction_amount: Type.Optional(WireAmount()),
  status: Type.Optional(Type.Literal('cancelled')),
});
const RefundBody = Type.Union([Type.Object({ amount: Type.Optional(WireAmount()) }), Type.Null()]);
// Any run of digits is an id; one past every id there can be (not a safe integer) is unknown: 404.
const Digits = Type.String({ pattern: '^[0-9]+$', maxLength: 64 });
const PaymentId = Type.Object({ id: Digits });
const RefundIds = Type.Object({ id: Digits, refund_id: Digits });
/** The search's sort names, as the wire spells them, and what each sorts on. */
const SORTS = { date_created: 'created_at', date_approved: 'approved_at', date_last_updated: 'updated_at', id: 'id' } as const;
const SearchQuery = Type.Object({
  status: Type.Optional(Type.String({ maxLength: 40 })),
  external_reference: Type.Optional(Type.String({ maxLength: 256 })),
  sort: Type.Optional(Type.Union(Object.keys(SORTS).map((name) => Type.Literal(name)))),
  criteria: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
  limit: Type.Optional(WireInteger({ minimum: 1, maximum: 1000 })),
  offset: Type.Optional(WireInteger({ minimum: 0, maximum: 100_000 })),
  begin_date: Type.Optional(Type.String({ format: 'date-time' })),
  end_date: Type.Optional(Type.String({ format: 'date-time' })),
});

/** A card token request: the public key (a browser), or the access token (a server). */
function tokenCaller(ctx: Ctx) {
  const bearerAuth = requireBearer(ctx, undefined, { sellerConsent: true });
  return async (request: FastifyRequest) => {
    const publicKey = (request.query as { public_key?: unknown }).public_key;
    if (typeof publicKey !== 'string') return bearerAuth(request);
    const app = await authenticatePublicKey(ctx, publicKey);
    if (app === 'inactive') throw new ForbiddenError('La aplicación no está activada para usar el API.');
    if (typeof app === 'string') throw new UnauthorizedError('La clave pública no es válida.');
    // Only tokenizing counts: reading a token back tries no card.
    if (request.method === 'POST') await takeCardTokenQuota(ctx, app.id, request.ip);
    request.cardTokenApp = { appId: app.id, ownerUserId: app.owner_user_id };
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The app (and its seller) a public key named. */
    cardTokenApp?: { appId: string; ownerUserId: string };
  }
}

function tokenApp(request: FastifyRequest): { appId: string; ownerUserId: string } {
  return request.cardTokenApp ?? { appId: request.auth.app.id, ownerUserId: request.auth.app.owner_user_id };
}

function idOf(digits: string, notFound: string): number {
  const id = Number(digits);
  if (!Number.isSafeInteger(id)) throw new NotFoundError(notFound);
  return id;
}

const paymentIdOf = (request: FastifyRequest) => idOf((request.params as { id: string }).id, 'El pago no existe.');

export async function cardRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  useCardErrors(app, ctx);
  acceptEmptyJson(app);
  const merchant = requireBearer(ctx, undefined, { sellerConsent: true });
  const keyed = idempotent(ctx);

  // Card tokens are made from the buyer's browser on the merchant's page: any origin may call.
  // The prefix keeps the plugin's catch-all preflight route (OPTIONS *) to these paths.
  await app.register(
    async (tokens) => {
      await tokens.register(cors, { origin: '*', methods: ['GET', 'POST'], maxAge: 600 });
      const caller = tokenCaller(ctx);
      tokens.post(
        '/',
        { preHandler: caller, schema: { tags, summary: 'Tokenize a card (public key from a browser, or the access token)', body: CardTokenBody } },
        async (request, reply) => {
          const app = tokenApp(request);
          const body = request.body as Static<typeof CardTokenBody>;
          const token = body.card_id
            ? await tokenFromSavedCard(ctx, app, {
                cardId: body.card_id,
                customerId: body.customer_id,
                securityCode: body.security_code === undefined ? undefined : String(body.security_code),
              })
            : await createCardToken(ctx, app.appId, body as CardFields);
          return reply.code(201).send(cardTokenWire(token));
        },
      );
      tokens.get(
        '/:id',
        { preHandler: caller, schema: { tags, summary: 'A card token', params: Type.Object({ id: Type.String({ maxLength: 64 }) }) } },
        async (request) => {
          return cardTokenWire(await getCardToken(ctx, tokenApp(request).appId, (request.params as { id: string }).id));
        },
      );
    },
    { prefix: '/v1/card_tokens' },
  );

  app.post(
    '/v1/payments',
    { preHandler: [merchant, keyed], schema: { tags, summary: 'Create a card payment', security: bearer, body: PaymentBody } },
    async (request, reply) => {
      const body = request.body as Static<typeof PaymentBody>;
      const wire = await answerCommand(
        request,
        cardPaymentWire,
        (options) =>
          createCardPayment(
            ctx,
            request.auth,
            {
              amount: body.transaction_amount,
              token: body.token,
              description: body.description ?? '',
              installments: body.installments ?? 1,
              paymentMethodId: body.payment_method_id,
              payer: body.payer ?? {},
              capture: body.capture ?? true,
              externalReference: body.external_reference,
              notificationUrl: body.notification_url,
              statementDescriptor: body.statement_descriptor,
              metadata: body.metadata ?? {},
            },
            options,
          ),
        201,
      );
      return reply.code(201).send(wire);
    },
  );

  app.get(
    '/v1/payments/search',
    { preHandler: merchant, schema: { tags, summary: 'Search card payments', security: bearer, querystring: SearchQuery } },
    async (request) => {
      const q = request.query as Static<typeof SearchQuery>;
      const limit = q.limit ?? 30;
      const offset = q.offset ?? 0;
      const { total, payments } = await findCardPayments(ctx, request.auth.user.id, {
        status: q.status,
        externalReference: q.external_reference,
        since: readInstant(q.begin_date, 'begin_date'),
        until: readInstant(q.end_date, 'end_date'),
        sort: SORTS[(q.sort ?? 'date_created') as keyof typeof SORTS],
        order: q.criteria ?? 'desc',
        limit,
        offset,
      });
      return { paging: { total, limit, offset }, results: payments.map(cardPaymentWire) };
    },
  );

  app.get('/v1/payments/:id', { preHandler: merchant, schema: { tags, summary: 'A card payment', security: bearer, params: PaymentId } }, async (request) =>
    cardPaymentWire(await getCardPayment(ctx, request.auth.user.id, paymentIdOf(request))),
  );

  app.put(
    '/v1/payments/:id',
    {
      preHandler: [merchant, keyed],
      schema: { tags, summary: 'Capture or cancel an authorization', security: bearer, params: PaymentId, body: PaymentChange },
    },
    async (request) => {
      const body = request.body as Static<typeof PaymentChange>;
      const id = paymentIdOf(request);
      // One change per request: which of two was meant cannot be guessed, and an amount without
      // a capture would be dropped without a word.
      if (body.status === 'cancelled' && body.capture === true) throw new ValidationError([{ path: ['status'], message: 'Envíe capture o status, no ambos.' }]);
      if (body.transaction_amount !== undefined && body.capture !== true)
        throw new ValidationError([{ path: ['transaction_amount'], message: 'El monto solo acompaña a capture: true.' }]);
      if (body.status === 'cancelled') return answerCommand(request, cardPaymentWire, (options) => cancelCardPayment(ctx, request.auth, id, options));
      if (body.capture === true)
        return answerCommand(request, cardPaymentWire, (options) => captureCardPayment(ctx, request.auth, id, body.transaction_amount, options));
      return cardPaymentWire(await getCardPayment(ctx, request.auth.user.id, id));
    },
  );

  app.post(
    '/v1/payments/:id/refunds',
    {
      preHandler: [merchant, keyed],
      schema: { tags, summary: 'Refund a payment, in full (no amount) or in part', security: bearer, params: PaymentId, body: Type.Optional(RefundBody) },
    },
    async (request, reply) => {
      const amount = (request.body as Static<typeof RefundBody> | undefined)?.amount;
      const wire = await answerCommand(request, cardRefundWire, (options) => refundCardPayment(ctx, request.auth, paymentIdOf(request), amount, options), 201);
      return reply.code(201).send(wire);
    },
  );

  // The SDK lists refunds with a trailing slash.
  for (const url of ['/v1/payments/:id/refunds', '/v1/payments/:id/refunds/']) {
    app.get(url, { preHandler: merchant, schema: { tags, summary: "A payment's refunds", security: bearer, params: PaymentId } }, async (request) => {
      const { refunds } = await listCardRefunds(ctx, request.auth.user.id, paymentIdOf(request));
      return refunds.map(cardRefundWire);
    });
  }

  app.get(
    '/v1/payments/:id/refunds/:refund_id',
    { preHandler: merchant, schema: { tags, summary: 'One refund', security: bearer, params: RefundIds } },
    async (request) => {
      const refundId = idOf((request.params as { refund_id: string }).refund_id, 'La devolución no existe.');
      return cardRefundWire(await getCardRefund(ctx, request.auth.user.id, paymentIdOf(request), refundId));
    },
  );

  await cardCustomerRoutes(app, ctx);
  await cardAccountRoutes(app, ctx);

  app.get('/users/me', { preHandler: merchant, schema: { tags, summary: 'The seller behind the access token', security: bearer } }, async (request) =>
    sellerWire(request.auth.user, ctx.config.environment === 'production'),
  );

  app.get('/v1/payment_methods', { preHandler: merchant, schema: { tags, summary: 'Card brands accepted', security: bearer } }, async () =>
    paymentMethodsWire(),
  );
  app.get('/v1/identification_types', { preHandler: merchant, schema: { tags, summary: 'Document types of the cardholder', security: bearer } }, async () =>
    identificationTypesWire(),
  );
}
