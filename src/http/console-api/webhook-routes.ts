// Webhooks over HTTP: the console's JSON API for an app's endpoints, deliveries, attempts and
// replay; and the event stream that `pasarela listen` forwards to a local receiver (merchant
// bearer token). The Point integrator webhook's routes are in src/http/point-api.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Ctx } from '../../platform/context.ts';
import {
  createEndpoint,
  deleteEndpoint,
  eventStreamStart,
  eventView,
  getDelivery,
  getEndpoint,
  listDeliveries,
  listEndpoints,
  listEvents,
  notificationFor,
  notificationSecretStatus,
  onStreamTick,
  recentEvents,
  replayDelivery,
  replayFailed,
  rotateEndpointSecret,
  rotateNotificationSecret,
  streamEventsAfter,
  updateEndpoint,
  type DeliveryFilter,
} from '../../modules/webhooks/index.ts';
import { authenticateBearer } from '../../modules/apps/index.ts';
import { bearerToken, requireBearer, requireSession } from '../shared/auth.ts';
import { WireInteger } from '../shared/numbers.ts';

const tags = ['webhooks'];
/** Events per read of the event stream (it reads again at once while pages are full). */
const STREAM_PAGE = 500;
/** How often an idle event stream checks that its token is still valid. */
const STREAM_AUTH_RECHECK_MS = 5000;
const AppParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
const EndpointParams = Type.Object({ id: Type.String({ maxLength: 100 }), webhookId: Type.String({ maxLength: 100 }) });
const DeliveryParams = Type.Object({ id: Type.String({ maxLength: 100 }), deliveryId: Type.String({ maxLength: 100 }) });
const EndpointBody = Type.Object({
  url: Type.Optional(Type.String({ maxLength: 500 })),
  eventTypes: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 })),
  description: Type.Optional(Type.String({ maxLength: 200 })),
  enabled: Type.Optional(Type.Boolean()),
});

export async function webhookRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const session = requireSession(ctx);
  const merchant = requireBearer(ctx);
  type P = { id: string; webhookId: string; deliveryId: string };
  const params = (request: { params: unknown }) => request.params as P;

  // --- Console: endpoints -----------------------------------------------------------
  app.get(
    '/console/api/apps/:id/webhooks',
    { onRequest: session, schema: { tags, summary: 'The app’s webhook endpoints', params: AppParams } },
    async (request) => ({
      data: await listEndpoints(ctx, request.session.user.id, params(request).id),
    }),
  );

  app.post(
    '/console/api/apps/:id/webhooks',
    {
      onRequest: session,
      schema: { tags, summary: 'Add a webhook endpoint; its signing secret is in this answer only', params: AppParams, body: EndpointBody },
    },
    async (request, reply) => {
      const created = await createEndpoint(ctx, request.session.user.id, params(request).id, request.body as Record<string, unknown>);
      reply.code(201).header('cache-control', 'no-store');
      return created;
    },
  );

  app.get('/console/api/apps/:id/webhooks/:webhookId', { onRequest: session, schema: { tags, params: EndpointParams } }, async (request) => ({
    endpoint: await getEndpoint(ctx, request.session.user.id, params(request).id, params(request).webhookId),
  }));

  app.patch(
    '/console/api/apps/:id/webhooks/:webhookId',
    {
      onRequest: session,
      schema: {
        tags,
        summary: 'Change URL, event types, description or enabled (enabling clears the failure flag)',
        params: EndpointParams,
        body: EndpointBody,
      },
    },
    async (request) => ({
      endpoint: await updateEndpoint(ctx, request.session.user.id, params(request).id, params(request).webhookId, request.body as Record<string, unknown>),
    }),
  );

  app.delete('/console/api/apps/:id/webhooks/:webhookId', { onRequest: session, schema: { tags, params: EndpointParams } }, async (request, reply) => {
    await deleteEndpoint(ctx, request.session.user.id, params(request).id, params(request).webhookId);
    return reply.code(204).send();
  });

  app.post(
    '/console/api/apps/:id/webhooks/:webhookId/secret',
    { onRequest: session, schema: { tags, summary: 'Rotate the signing secret (the new one is in this answer only)', params: EndpointParams } },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return rotateEndpointSecret(ctx, request.session.user.id, params(request).id, params(request).webhookId);
    },
  );

  app.post(
    '/console/api/apps/:id/webhooks/:webhookId/replay-failed',
    { onRequest: session, schema: { tags, summary: 'Send every failed delivery of this endpoint again', params: EndpointParams } },
    async (request) => replayFailed(ctx, request.session.user.id, params(request).id, params(request).webhookId),
  );

  // --- Console: deliveries and attempts -----------------------------------------------
  app.get(
    '/console/api/apps/:id/webhook-deliveries',
    {
      onRequest: session,
      schema: {
        tags,
        summary: 'Deliveries of the app’s events, newest first; `nextCursor` asks for the next (older) page',
        params: AppParams,
        querystring: Type.Object({
          endpointId: Type.Optional(Type.String({ maxLength: 100 })),
          eventId: Type.Optional(Type.String({ maxLength: 100 })),
          eventType: Type.Optional(Type.String({ maxLength: 100 })),
          status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')])),
          limit: Type.Optional(WireInteger({ minimum: 1, maximum: 200 })),
          cursor: Type.Optional(Type.String({ maxLength: 300 })),
        }),
      },
    },
    async (request) => listDeliveries(ctx, request.session.user.id, params(request).id, request.query as DeliveryFilter & { cursor?: string }),
  );

  app.get(
    '/console/api/apps/:id/webhook-deliveries/:deliveryId',
    { onRequest: session, schema: { tags, summary: 'A delivery and every attempt (time, status, latency, first KB of the answer)', params: DeliveryParams } },
    async (request) => ({ delivery: await getDelivery(ctx, request.session.user.id, params(request).id, params(request).deliveryId) }),
  );

  app.post(
    '/console/api/apps/:id/webhook-deliveries/:deliveryId/replay',
    { onRequest: session, schema: { tags, summary: 'Send this delivery again now (a fresh retry schedule)', params: DeliveryParams } },
    async (request, reply) => {
      reply.code(202);
      return { delivery: await replayDelivery(ctx, request.session.user.id, params(request).id, params(request).deliveryId) };
    },
  );

  // --- Console: the app's notification secret and events ----------------------------------
  app.get(
    '/console/api/apps/:id/notification-secret',
    {
      onRequest: session,
      schema: { tags, summary: 'Whether the app has a notification secret (signs notification_url and Point webhooks)', params: AppParams },
    },
    async (request) => notificationSecretStatus(ctx, request.session.user.id, params(request).id),
  );

  app.post(
    '/console/api/apps/:id/notification-secret',
    { onRequest: session, schema: { tags, summary: 'New notification secret (in this answer only)', params: AppParams } },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return rotateNotificationSecret(ctx, request.session.user.id, params(request).id);
    },
  );

  app.get(
    '/console/api/apps/:id/events',
    {
      onRequest: session,
      schema: {
        tags,
        summary: 'The app’s recent events',
        params: AppParams,
        querystring: Type.Object({ limit: Type.Optional(WireInteger({ minimum: 1, maximum: 200 })), type: Type.Optional(Type.String({ maxLength: 100 })) }),
      },
    },
    async (request) => ({ data: await listEvents(ctx, request.session.user.id, params(request).id, request.query as { limit?: number; type?: string }) }),
  );

  // --- Event stream for `pasarela listen` ---------------------------------------------------
  app.get(
    '/webhooks/events',
    {
      preHandler: merchant,
      schema: {
        tags,
        summary: 'The app’s recent events (bearer token)',
        security: [{ bearer: [] }],
        querystring: Type.Object({ limit: Type.Optional(WireInteger({ minimum: 1, maximum: 200 })) }),
      },
    },
    async (request) => {
      return { data: await recentEvents(ctx, request.auth.app, (request.query as { limit?: number }).limit ?? 50) };
    },
  );

  const streams = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of streams) end();
  });

  app.get(
    '/webhooks/events/stream',
    {
      preHandler: merchant,
      schema: {
        tags,
        summary: 'Server-sent events: each new event of the app with its notification (what `pasarela listen` forwards)',
        security: [{ bearer: [] }],
      },
    },
    async (request, reply) => {
      const target = request.auth.app;
      const token = bearerToken(request);
      const live = ctx.config.environment === 'production';
      // Events are read in commit order (stream_seq, given after commit), never by created_at:
      // an event whose transaction committed late, or a burst of any size with one
      // timestamp, is neither skipped nor re-read. Last-Event-ID resumes strictly after it.
      const lastId = request.headers['last-event-id'];
      let cursor = await eventStreamStart(ctx, target, typeof lastId === 'string' && lastId ? lastId : undefined);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      raw.write(': pasarela events\n\n');

      let open = true;
      let polling = false;
      let unsubscribe = () => {};
      let heartbeatAt = Date.now();
      let checkedAt = Date.now();
      const end = () => {
        if (!open) return;
        open = false;
        unsubscribe();
        streams.delete(end);
        raw.end();
      };
      streams.add(end);
      raw.on('close', end);
      /** Write, waiting while the client is slow to read (a long backlog is paged, not buffered). */
      const send = (chunk: string): Promise<void> => {
        if (!open || raw.destroyed || raw.write(chunk)) return Promise.resolve();
        return new Promise<void>((resolve) => {
          const done = () => {
            raw.off('drain', done);
            raw.off('close', done);
            resolve();
          };
          raw.on('drain', done);
          raw.on('close', done);
        });
      };
      /**
       * The token that opened the stream must still be valid (not revoked by a credentials
       * renewal, not expired, the app still active): checked before anything is sent, and
       * every few seconds while idle. When it is not, the stream says why and ends.
       */
      const authorized = async (): Promise<boolean> => {
        const result = await authenticateBearer(ctx, token);
        checkedAt = Date.now();
        if (typeof result !== 'string' && result.app.id === target.id) return true;
        await send(`event: end\ndata: ${JSON.stringify({ reason: typeof result === 'string' ? result : 'unknown' })}\n\n`);
        end();
        return false;
      };

      /**
       * Send what the app has after the cursor. Runs after every round of the process's one
       * stream sequencer (onStreamTick); a round that comes while the last poll is still
       * writing to a slow reader is skipped.
       */
      const poll = async () => {
        if (polling || !open) return;
        polling = true;
        try {
          if (Date.now() - checkedAt >= STREAM_AUTH_RECHECK_MS && !(await authorized())) return;
          for (let more = true; more && open;) {
            const rows = await streamEventsAfter(ctx, target, cursor, STREAM_PAGE);
            if (rows.length === 0) break;
            await ctx.store.settle();
            if (!(await authorized())) return;
            for (const row of rows) {
              if (!open) return;
              const notification = notificationFor(row, live);
              await send(`id: ${row.id}\nevent: notification\ndata: ${JSON.stringify({ event: eventView(row), notification })}\n\n`);
              cursor = Number(row.stream_seq);
            }
            heartbeatAt = Date.now();
            more = rows.length === STREAM_PAGE;
          }
          if (open && Date.now() - heartbeatAt > 15_000) {
            heartbeatAt = Date.now();
            raw.write(': keep-alive\n\n');
          }
        } catch (error) {
          request.log.warn({ err: error }, 'event stream poll failed');
        } finally {
          polling = false;
        }
      };
      if (open) {
        unsubscribe = onStreamTick(ctx, (error) => {
          if (error) request.log.warn({ err: error }, 'event stream sequencing failed');
          void poll();
        });
      }
      await poll();
    },
  );
}
