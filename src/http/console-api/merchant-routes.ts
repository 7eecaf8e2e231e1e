// The merchant's payments on the console API: its payment intents (filtered, searched, a page
// at a time), one intent with its payment, fees, postings and return-URL calls, the annulment
// within 24 h, and the balance with the daily volume for the chart.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Ctx } from '../../platform/context.ts';
import { merchantDailyVolume } from '../../modules/payments/index.ts';
import { annulIntent, listMerchantIntents, merchantIntentDetail } from '../../modules/wallet-intents/index.ts';
import { listWallets } from '../../modules/wallets/index.ts';
import { requireSession } from '../shared/auth.ts';
import { pageRequest } from '../shared/paginator.ts';
import { intentDetailWire, intentListWire, INTENT_STATES, readIntentQuery, volumeTotals, volumeWire } from './merchant-wire.ts';

const CONSOLE_PAGE_MAX = 25;

const tags = ['console API'];
const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
const Str = (max: number) => Type.Optional(Type.String({ maxLength: max }));
/** The chart's span: the last 30 days, today included. */
export const VOLUME_DAYS = 30;

export async function merchantRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const session = requireSession(ctx);

  app.get(
    '/console/api/merchant/intents',
    {
      onRequest: session,
      schema: {
        tags,
        summary: 'The merchant’s payment intents, newest first: by state, app and creation time (`from` ≤ t < `to`), or searched by id or payment reference',
        querystring: Type.Object({
          state: Type.Optional(Type.Union([Type.Literal(''), ...INTENT_STATES.map((s) => Type.Literal(s))])),
          app: Str(100),
          from: Str(40),
          to: Str(40),
          q: Str(100),
          page: Str(12),
          limit: Str(12),
        }),
      },
    },
    async (request) => {
      const query = request.query as Record<string, string | undefined>;
      // Read and assembled in one go (the wallet API's list writes its pages in chunks, see
      // answerPage): a console page stays small so the event loop is never held for long.
      const requested = pageRequest(query);
      const page = { ...requested, perPage: Math.min(requested.perPage, CONSOLE_PAGE_MAX) };
      const { total, items } = await listMerchantIntents(ctx, request.session.user.id, readIntentQuery(query), page.page, page.perPage);
      return {
        data: items.map(intentListWire),
        meta: { page: page.page, perPage: page.perPage, total, totalPages: Math.max(1, Math.ceil(total / page.perPage)) },
      };
    },
  );

  app.get(
    '/console/api/merchant/intents/:id',
    {
      onRequest: session,
      schema: { tags, summary: 'One of the merchant’s intents: state history, payment and fee, ledger postings, return-URL calls', params: IdParams },
    },
    async (request) => intentDetailWire(await merchantIntentDetail(ctx, request.session.user.id, (request.params as { id: string }).id)),
  );

  app.post(
    '/console/api/merchant/intents/:id/annul',
    { onRequest: session, schema: { tags, summary: 'Annul an executed intent within 24 h: every posting of its payment is reversed', params: IdParams } },
    async (request) => {
      const { id } = request.params as { id: string };
      await annulIntent(ctx, request.session.user.id, id);
      return intentDetailWire(await merchantIntentDetail(ctx, request.session.user.id, id));
    },
  );

  app.get(
    '/console/api/merchant/summary',
    { onRequest: session, schema: { tags, summary: `The merchant’s balances and its finished payments per UTC day over the last ${VOLUME_DAYS} days` } },
    async (request) => {
      const userId = request.session.user.id;
      const volume = await merchantDailyVolume(ctx, userId, VOLUME_DAYS);
      return { wallets: await listWallets(ctx.store.db, userId), volume: volume.map(volumeWire), totals: volumeTotals(volume) };
    },
  );
}
