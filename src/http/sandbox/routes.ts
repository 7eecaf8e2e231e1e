// Sandbox-only helpers (registered only when PASARELA_ENV=sandbox, so production answers 404).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { timingSafeEqual } from 'node:crypto';
import { ForbiddenError, UnauthorizedError } from '../../kernel/errors.ts';
import type { Ctx } from '../../platform/context.ts';
import { approveSale, getMerchantIntent, merchantIntentRow, payRequestInWallet, performReturnCall, rejectIntent } from '../../modules/wallet-intents/index.ts';
import { issueAffiliationCodes } from '../../modules/identity/index.ts';
import { fundAsMerchant, testPayer } from '../../modules/sandbox/index.ts';
import { bearerToken, requireBearer, requireSession } from '../shared/auth.ts';
import { sessionCookieValue } from '../shared/sessions.ts';
import { WireAmount, WireInteger } from '../shared/numbers.ts';
import { iso } from '../../kernel/instants.ts';

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
  const operator = requireSession(ctx, { operator: true });
  // An app's token when one is sent (or nothing at all: the app's 401 as before), else the
  // operator's console session.
  const fromApp = (request: FastifyRequest) =>
    bearerToken(request) !== '' || (typeof request.headers['x-session-token'] !== 'string' && sessionCookieValue(request) === '');
  // Reading the clock: an app or the operator. Moving it moves every merchant's expiries in a
  // shared sandbox, so an app may only when the deployment allows it (SANDBOX_CLOCK_FOR_APPS).
  const clockReader = async (request: FastifyRequest) => (fromApp(request) ? merchant(request) : operator(request));
  const clockMover = async (request: FastifyRequest) => {
    if (!fromApp(request)) return operator(request);
    await merchant(request);
    if (!ctx.config.sandboxClockForApps) {
      throw new ForbiddenError('En este ambiente solo el operador puede mover el reloj (SANDBOX_CLOCK_FOR_APPS=false): use su sesión de consola.');
    }
  };

  app.post(
    '/sandbox/wallets/fund',
    {
      preHandler: merchant,
      schema: {
        tags,
        summary: 'Add test money to a test user’s wallet or the merchant’s own',
        security: [{ bearer: [] }],
        body: Type.Object({
          account: Type.String({ minLength: 1, maxLength: 100 }),
          amount: WireAmount(),
          currency: Type.Optional(Type.String({ maxLength: 3 })),
        }),
      },
    },
    async (request) => fundAsMerchant(ctx, request.auth.user.id, request.body as { account: string; amount: string; currency?: string }),
  );

  const ClockAnswer = Type.Object({ now: Type.String(), offsetSeconds: Type.Number() });
  const clockView = async () => ({ now: iso(await ctx.clock.now()), offsetSeconds: ctx.clock.offset() / 1000 });

  app.get(
    '/sandbox/clock',
    { onRequest: clockReader, schema: { tags, summary: 'The deployment clock', security: [{ bearer: [] }], response: { 200: ClockAnswer } } },
    clockView,
  );

  app.post(
    '/sandbox/clock',
    {
      onRequest: clockMover,
      schema: {
        tags,
        summary: 'Move the deployment clock forward (an app: only while SANDBOX_CLOCK_FOR_APPS is on; the operator: always)',
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

  // What the buyer does in a page, for automated tests. The intent must be the caller's own and
  // the buyer a test user.
  const PayerBody = Type.Object({ payer: Type.String({ minLength: 1, maxLength: 100 }) });
  const IntentParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
  const payerOf = (reference: string) => testPayer(ctx, reference);
  const own = async (merchantUserId: string, id: string) => (await merchantIntentRow(ctx.store.db, merchantUserId, id)).id;

  app.post(
    '/sandbox/payment-intents/:id/approve',
    {
      preHandler: merchant,
      schema: { tags, summary: 'The buyer approves a sale (as on the approval page)', security: [{ bearer: [] }], params: IntentParams, body: PayerBody },
    },
    async (request) => approveSale(ctx, (request.params as { id: string }).id, await payerOf((request.body as { payer: string }).payer), request.auth.user.id),
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
