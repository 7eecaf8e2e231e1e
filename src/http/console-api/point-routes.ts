// POS terminals in the console (merchant session): stores ("tiendas"), tills ("cajas", each
// with its external_pos_id), and terminals linked by the pairing code they show, or unlinked
// (the terminal's waiting intent is cancelled and its credential stops working).
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Ctx } from '../../platform/context.ts';
import {
  createStore,
  createTill,
  linkTerminal,
  listDevices,
  storesAndTills,
  unlinkTerminal,
  type PointDevice,
  type PointStoreRow,
  type PointTillRow,
} from '../../modules/point/index.ts';
import { requireSession } from '../shared/auth.ts';
import { iso, isoOrNull } from '../../kernel/instants.ts';

const tags = ['console'];
const StoreBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), externalId: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })) });
const TillBody = Type.Object({
  storeId: Type.String({ minLength: 1, maxLength: 100 }),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  externalPosId: Type.String({ minLength: 1, maxLength: 60, pattern: '^[A-Za-z0-9_-]+$' }),
});
const LinkBody = Type.Object({ pairingCode: Type.String({ minLength: 4, maxLength: 20 }), tillId: Type.String({ minLength: 1, maxLength: 100 }) });
const DeviceParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

const storeWire = (s: PointStoreRow) => ({ id: s.id, name: s.name, externalId: s.external_id, createdAt: iso(s.created_at) });
const tillWire = (t: PointTillRow) => ({ id: t.id, storeId: t.store_id, name: t.name, externalPosId: t.external_pos_id, createdAt: iso(t.created_at) });
const deviceWire = (d: PointDevice) => ({
  id: d.id,
  model: d.model,
  status: d.status,
  operatingMode: d.operatingMode,
  tillId: d.tillId,
  storeId: d.storeId,
  externalPosId: d.externalPosId,
  linkedAt: isoOrNull(d.linkedAt),
});

export async function consolePointRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const session = requireSession(ctx);

  app.get('/console/api/point', { onRequest: session, schema: { tags, summary: 'Stores, tills and linked terminals' } }, async (request) => {
    const userId = request.session.user.id;
    const [{ stores, tills }, { devices }] = await Promise.all([storesAndTills(ctx, userId), listDevices(ctx, userId, { limit: 1000, offset: 0 })]);
    return { stores: stores.map(storeWire), tills: tills.map(tillWire), devices: devices.map(deviceWire) };
  });

  app.post('/console/api/point/stores', { onRequest: session, schema: { tags, summary: 'Add a store', body: StoreBody } }, async (request, reply) => {
    const body = request.body as Static<typeof StoreBody>;
    return reply.code(201).send(storeWire(await createStore(ctx, request.session.user.id, body)));
  });

  app.post('/console/api/point/tills', { onRequest: session, schema: { tags, summary: 'Add a till to a store', body: TillBody } }, async (request, reply) => {
    const body = request.body as Static<typeof TillBody>;
    return reply.code(201).send(tillWire(await createTill(ctx, request.session.user.id, body)));
  });

  app.post(
    '/console/api/point/devices',
    { onRequest: session, schema: { tags, summary: 'Link a terminal by its pairing code to a till', body: LinkBody } },
    async (request, reply) => {
      const body = request.body as Static<typeof LinkBody>;
      return reply.code(201).send(deviceWire(await linkTerminal(ctx, request.session.user.id, body)));
    },
  );

  app.delete('/console/api/point/devices/:id', { onRequest: session, schema: { tags, summary: 'Unlink a terminal', params: DeviceParams } }, async (request) =>
    deviceWire(await unlinkTerminal(ctx, request.session.user.id, (request.params as Static<typeof DeviceParams>).id)),
  );
}
