// The console's wallet ("cuentas electrónicas"): balances and the PIN's state, movements a page
// at a time, "enviar dinero", the PIN, the payment requests merchants address to the person
// (billing API), and in sandbox test money for test users.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Ctx } from '../../platform/context.ts';
import { getUser, pinState, setPin } from '../../modules/identity/index.ts';
import { fundOwnTestWallet } from '../../modules/sandbox/index.ts';
import { declineOwnRequest, listOpenRequests, payOwnRequest, performReturnCall } from '../../modules/wallet-intents/index.ts';
import { listMovements, listWallets, openWallet, sendMoney } from '../../modules/wallets/index.ts';
import { requireSession } from '../shared/auth.ts';
import { answerCommand, idempotent } from '../shared/idempotency.ts';
import { WireAmount, WireInteger } from '../shared/numbers.ts';
import { readTransfer, transferWire } from './transfer-wire.ts';

const Str = (max = 200) => Type.Optional(Type.String({ maxLength: max }));
const Amount = Type.Optional(WireAmount());
const Pin = Type.Optional(Type.Union([Type.String({ maxLength: 10 }), Type.Integer()]));
const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
const tags = ['console API'];

export async function walletRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const session = requireSession(ctx);

  app.get(
    '/console/api/wallet',
    {
      onRequest: session,
      schema: {
        tags,
        summary: 'The wallet page: balances, whether the PIN is set (or locked), and whether sandbox test money may be added',
      },
    },
    async (request) => {
      const user = await getUser(ctx.store.db, request.session.user.id);
      return {
        wallets: await listWallets(ctx.store.db, user.id),
        pin: pinState(user),
        // Test money: sandbox only, for test users (the demo buyers), as the sandbox helpers.
        testTopUp: ctx.config.environment === 'sandbox' && Number(user.is_test) === 1,
      };
    },
  );

  app.post(
    '/console/api/wallets',
    {
      onRequest: session,
      schema: { tags, summary: 'Open a wallet account in another currency', body: Type.Object({ currency: Type.String({ maxLength: 3 }) }) },
    },
    async (request, reply) => {
      reply.code(201);
      return openWallet(ctx, request.session.user.id, (request.body as { currency: string }).currency);
    },
  );

  app.get(
    '/console/api/movements',
    {
      onRequest: session,
      schema: {
        tags,
        summary: 'Ledger movements of the user’s wallets, newest first; `nextCursor` asks for the next (older) page',
        querystring: Type.Object({ limit: Type.Optional(WireInteger({ minimum: 1, maximum: 200 })), cursor: Str(300) }),
      },
    },
    async (request) => listMovements(ctx.store.db, request.session.user.id, request.query as { limit?: number; cursor?: string }),
  );

  app.post(
    '/console/api/transfers',
    {
      onRequest: session,
      preHandler: idempotent(ctx),
      schema: {
        tags,
        summary: 'Send money to another user (enviar dinero), authorized with the PIN',
        body: Type.Object({ to: Str(60), amount: Amount, currency: Str(3), pin: Pin, description: Str(200) }),
      },
    },
    async (request, reply) => {
      reply.code(201);
      const input = readTransfer((request.body ?? {}) as Record<string, unknown>);
      return answerCommand(request, transferWire, (options) => sendMoney(ctx, request.session.user.id, input, options), 201);
    },
  );

  app.put(
    '/console/api/pin',
    {
      onRequest: session,
      schema: {
        tags,
        summary: 'Set, change or reset the operations PIN with the account password (clears a lockout)',
        body: Type.Object({ password: Type.String({ maxLength: 200 }), pin: Type.String({ maxLength: 10 }) }),
      },
    },
    async (request, reply) => {
      const body = request.body as { password: string; pin: string };
      await setPin(ctx, request.session.user.id, body.password, body.pin, request.ip);
      return reply.code(204).send();
    },
  );

  // --- Payment requests (billing API) addressed to this person -----------------------------
  app.get(
    '/console/api/payment-requests',
    { onRequest: session, schema: { tags, summary: 'Open payment requests merchants addressed to the user (billing API), newest first' } },
    async (request) => ({ data: await listOpenRequests(ctx, request.session.user.id) }),
  );

  app.post(
    '/console/api/payment-requests/:id/pay',
    {
      onRequest: session,
      schema: {
        tags,
        summary: 'Pay a payment request with the PIN; the merchant’s return URL is then called',
        params: IdParams,
        body: Type.Object({ pin: Pin }),
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const { callId } = await payOwnRequest(ctx, request.session.user.id, id, (request.body as { pin?: unknown }).pin);
      // The merchant's server is called after the answer, not before it: the person does not
      // wait on it. A call lost here (a crash) is made by the return-url-calls worker.
      void performReturnCall(ctx, callId).catch((error: unknown) => request.log.warn({ err: error, callId }, 'return-url call failed'));
      return { id, state: 'executed' };
    },
  );

  app.post(
    '/console/api/payment-requests/:id/reject',
    { onRequest: session, schema: { tags, summary: 'Decline a payment request with the PIN', params: IdParams, body: Type.Object({ pin: Pin }) } },
    async (request) => {
      const { id } = request.params as { id: string };
      await declineOwnRequest(ctx, request.session.user.id, id, (request.body as { pin?: unknown }).pin);
      return { id, state: 'rejected' };
    },
  );

  app.post(
    '/console/api/sandbox/top-up',
    {
      onRequest: session,
      schema: {
        tags,
        summary: 'Sandbox: add test money to the user’s own wallet (test users only)',
        body: Type.Object({ amount: Amount, currency: Str(3) }),
      },
    },
    async (request) => fundOwnTestWallet(ctx, request.session.user.id, request.body as { amount?: unknown; currency?: unknown }),
  );
}
