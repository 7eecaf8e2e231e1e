// Sandbox-only helpers (registered only when PASARELA_ENV=sandbox, so production answers 404).
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { timingSafeEqual } from 'node:crypto';
import { UnauthorizedError } from '../../kernel/errors.ts';
import type { Ctx } from '../../platform/context.ts';
import { approveSale, getMerchantIntent, merchantIntentRow, payRequestInWallet, performReturnCall, rejectIntent } from '../../modules/wallet-intents/index.ts';
import { findUserByReference, issueAffiliationCodes } from '../../modules/identity/index.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import { fundWallet } from '../../modules/wallets/index.ts';
import { requireBearer } from '../shared/auth.ts';
import { WireInteger } from '../shared/numbers.ts';

// The link of seed 001 ("Obtener codigos de registro"), kept verbatim so its docs work.
export const CODES_PATH = '/bc38875a09308a2/codes.json';
export const CODES_TOKEN = 'f21d867c420680a2e4b90e761a9e751f';

const tags = ['sandbox'];

export async function sandboxRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  app.get(
    CODES_PATH,
    {
      schema: {
        tags,
        summary: 'Fresh affiliation codes for registering a business',
        querystring: Type.Object({ access_token: Type.Optional(Type.String({ maxLength: 100 })) }),
      },
    },
    async (request) => {
      const token = Buffer.from(String((request.query as { access_token?: string }).access_token ?? ''));
      const expected = Buffer.from(CODES_TOKEN);
      if (token.length !== expected.length || !timingSafeEqual(token, expected)) throw new UnauthorizedError('El access_token del enlace no es válido.');
      return issueAffiliationCodes(ctx);
    },
  );

  const merchant = requireBearer(ctx);

  app.post(
    '/sandbox/wallets/fund',
    {
      preHandler: merchant,
      schema: {
        tags,
        summary: 'Add test money to a wallet',
        security: [{ bearer: [] }],
        body: Type.Object({
          account: Type.String({ minLength: 1, maxLength: 100 }),
          amount: Type.Union([Type.String({ maxLength: 30 }), Type.Number()]),
          currency: Type.Optional(Type.String({ maxLength: 3 })),
        }),
      },
    },
    async (request) => fundWallet(ctx, request.body as { account: string; amount: string; currency?: string }),
  );

  const ClockAnswer = Type.Object({ now: Type.String(), offsetSeconds: Type.Number() });
  const clockView = async () => ({ now: new Date(await ctx.clock.now()).toISOString(), offsetSeconds: ctx.clock.offset() / 1000 });

  app.get(
    '/sandbox/clock',
    { preHandler: merchant, schema: { tags, summary: 'The deployment clock', security: [{ bearer: [] }], response: { 200: ClockAnswer } } },
    clockView,
  );

  app.post(
    '/sandbox/clock',
    {
      preHandler: merchant,
      schema: {
        tags,
        summary: 'Move the deployment clock forward',
        security: [{ bearer: [] }],
        body: Type.Object({ advanceSeconds: WireInteger({ minimum: 1, maximum: 10 * 365 * 24 * 3600 }) }),
        response: { 200: ClockAnswer },
      },
    },
    async (request) => {
      await ctx.clock.advance((request.body as { advanceSeconds: number }).advanceSeconds);
      return clockView();
    },
  );

  // What the buyer does in a page, for automated tests. The intent must be the caller's own.
  const PayerBody = Type.Object({ payer: Type.String({ minLength: 1, maxLength: 100 }) });
  const IntentParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
  const payerOf = async (reference: string) => {
    const user = await findUserByReference(ctx.store.db, reference);
    if (!user) throw new NotFoundError('El pagador no existe.');
    return user;
  };
  const own = async (merchantUserId: string, id: string) => (await merchantIntentRow(ctx.store.db, merchantUserId, id)).id;

  app.post(
    '/sandbox/payment-intents/:id/approve',
    {
      preHandler: merchant,
      schema: { tags, summary: 'The buyer approves a sale (as on the approval page)', security: [{ bearer: [] }], params: IntentParams, body: PayerBody },
    },
    async (request) => {
      const id = await own(request.auth.user.id, (request.params as { id: string }).id);
      return approveSale(ctx, id, await payerOf((request.body as { payer: string }).payer));
    },
  );

  app.post(
    '/sandbox/payment-intents/:id/reject',
    { preHandler: merchant, schema: { tags, summary: 'The buyer cancels', security: [{ bearer: [] }], params: IntentParams, body: PayerBody } },
    async (request) => {
      const id = await own(request.auth.user.id, (request.params as { id: string }).id);
      return rejectIntent(ctx, id, await payerOf((request.body as { payer: string }).payer));
    },
  );

  app.post(
    '/sandbox/payment-intents/:id/pay',
    {
      preHandler: merchant,
      schema: {
        tags,
        summary: 'The recipient pays a request in the wallet; the return URL is then called',
        security: [{ bearer: [] }],
        params: IntentParams,
        body: PayerBody,
      },
    },
    async (request) => {
      const id = await own(request.auth.user.id, (request.params as { id: string }).id);
      const { callId } = await payRequestInWallet(ctx, id, await payerOf((request.body as { payer: string }).payer));
      await performReturnCall(ctx, callId);
      const intent = await getMerchantIntent(ctx, request.auth.user.id, id);
      return { paymentIntent: id, state: intent.state, historyResponses: intent.historyResponses };
    },
  );
}
