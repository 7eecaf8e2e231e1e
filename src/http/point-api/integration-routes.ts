// The Point integration API (the integrator's access token): the merchant's terminals and
// their operating mode, payment intents sent to a terminal, and the intents' events. Errors
// leave in the Mercado Pago family's shape (card-api/errors.ts), as the official SDK parses them.
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { ValidationError } from '../../kernel/errors.ts';
import { MAX_AMOUNT_MINOR } from '../../kernel/money.ts';
import type { Ctx } from '../../platform/context.ts';
import {
  cancelPointIntent,
  changeOperatingMode,
  createPointIntent,
  getPointIntent,
  listDevices,
  pointEventsBetween,
  pointIntentEvents,
} from '../../modules/point/index.ts';
import { acceptEmptyJson, useCardErrors } from '../card-api/errors.ts';
import { requireBearer } from '../shared/auth.ts';
import { answerCommand, idempotent } from '../shared/idempotency.ts';
import { readDayOrInstant } from '../shared/instants.ts';
import { WireInteger } from '../shared/numbers.ts';
import { deviceWire, eventWire, intentWire } from './presenters.ts';

const tags = ['Point intents'];
const security = [{ bearer: [] }];
const Id = Type.String({ minLength: 1, maxLength: 100 });
const DeviceParams = Type.Object({ id: Id });
const IntentParams = Type.Object({ id: Id, pid: Id });
const PidParams = Type.Object({ pid: Id });
const DevicesQuery = Type.Object({
  offset: Type.Optional(WireInteger({ minimum: 0, maximum: 100_000 })),
  limit: Type.Optional(WireInteger({ minimum: 1, maximum: 1000 })),
  store_id: Type.Optional(Type.String({ maxLength: 100 })),
  pos_id: Type.Optional(Type.String({ maxLength: 100 })),
});
const ModeBody = Type.Object({ operating_mode: Type.Union([Type.Literal('PDV'), Type.Literal('STANDALONE')]) });
const IntentBody = Type.Object({
  amount: WireInteger({ minimum: 1, maximum: MAX_AMOUNT_MINOR }),
  description: Type.Optional(Type.String({ maxLength: 600 })),
  payment: Type.Optional(
    Type.Object({
      installments: Type.Optional(WireInteger({ minimum: 1, maximum: 36 })),
      type: Type.Optional(Type.Union([Type.Literal('credit_card'), Type.Literal('debit_card')])),
      installments_cost: Type.Optional(Type.Union([Type.Literal('seller'), Type.Literal('buyer')])),
      voucher_type: Type.Optional(Type.String({ maxLength: 40 })),
    }),
  ),
  additional_info: Type.Optional(
    Type.Object({
      external_reference: Type.Optional(Type.String({ maxLength: 256 })),
      print_on_terminal: Type.Optional(Type.Boolean()),
      ticket_number: Type.Optional(Type.String({ maxLength: 64 })),
    }),
  ),
});
const EventsQuery = Type.Object({ startDate: Type.String({ maxLength: 40 }), endDate: Type.String({ maxLength: 40 }) });
/** startDate/endDate: a day (YYYY-MM-DD, the end day included) or an instant. */
function readRange(query: Static<typeof EventsQuery>): { since: number; until: number } {
  const since = readDayOrInstant(query.startDate, 'startDate', false);
  const until = readDayOrInstant(query.endDate, 'endDate', true);
  if (until <= since) throw new ValidationError([{ path: ['endDate'], message: 'endDate debe ser posterior a startDate.' }]);
  return { since, until };
}

export async function pointIntegrationRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  useCardErrors(app, ctx, ['/point/']);
  acceptEmptyJson(app);
  const merchant = requireBearer(ctx);
  const keyed = idempotent(ctx);

  app.get(
    '/point/integration-api/devices',
    { preHandler: merchant, schema: { tags, summary: 'The merchant’s linked terminals', security, querystring: DevicesQuery } },
    async (request) => {
      const q = request.query as Static<typeof DevicesQuery>;
      const page = { limit: q.limit ?? 50, offset: q.offset ?? 0 };
      const { total, devices } = await listDevices(ctx, request.auth.user.id, { ...page, storeId: q.store_id, posId: q.pos_id });
      return { devices: devices.map(deviceWire), paging: { total, ...page } };
    },
  );

  app.patch(
    '/point/integration-api/devices/:id',
    { preHandler: merchant, schema: { tags, summary: 'Change a terminal’s operating mode', security, params: DeviceParams, body: ModeBody } },
    async (request) => {
      const { id } = request.params as Static<typeof DeviceParams>;
      const { operating_mode } = request.body as Static<typeof ModeBody>;
      const device = await changeOperatingMode(ctx, request.auth.user.id, id, operating_mode);
      return { operating_mode: device.operatingMode };
    },
  );

  app.post(
    '/point/integration-api/devices/:id/payment-intents',
    { preHandler: [merchant, keyed], schema: { tags, summary: 'Send a payment intent to a terminal', security, params: DeviceParams, body: IntentBody } },
    async (request, reply) => {
      const { id } = request.params as Static<typeof DeviceParams>;
      const body = request.body as Static<typeof IntentBody>;
      const wire = await answerCommand(
        request,
        intentWire,
        (options) =>
          createPointIntent(
            ctx,
            request.auth,
            id,
            {
              amountMinor: body.amount,
              description: body.description,
              installments: body.payment?.installments,
              paymentType: body.payment?.type,
              installmentsCost: body.payment?.installments_cost,
              additionalInfo: body.additional_info ?? {},
            },
            options,
          ),
        201,
      );
      return reply.code(201).send(wire);
    },
  );

  app.delete(
    '/point/integration-api/devices/:id/payment-intents/:pid',
    { preHandler: merchant, schema: { tags, summary: 'Cancel a payment intent the terminal has not taken', security, params: IntentParams } },
    async (request) => {
      const { id, pid } = request.params as Static<typeof IntentParams>;
      const intent = await cancelPointIntent(ctx, request.auth, id, pid);
      return { id: intent.id };
    },
  );

  // Registered before /:pid, though the router prefers the static segment anyway.
  app.get(
    '/point/integration-api/payment-intents/events',
    { preHandler: merchant, schema: { tags, summary: 'The events of the merchant’s payment intents in a period', security, querystring: EventsQuery } },
    async (request) => {
      const { since, until } = readRange(request.query as Static<typeof EventsQuery>);
      return { events: (await pointEventsBetween(ctx, request.auth.user.id, since, until)).map(eventWire) };
    },
  );

  app.get(
    '/point/integration-api/payment-intents/:pid',
    { preHandler: merchant, schema: { tags, summary: 'A payment intent and its state', security, params: PidParams } },
    async (request) => intentWire(await getPointIntent(ctx, request.auth.user.id, (request.params as Static<typeof PidParams>).pid)),
  );

  app.get(
    '/point/integration-api/payment-intents/:pid/events',
    { preHandler: merchant, schema: { tags, summary: 'The states a payment intent went through', security, params: PidParams } },
    async (request) => {
      const events = (await pointIntentEvents(ctx, request.auth.user.id, (request.params as Static<typeof PidParams>).pid)).map(eventWire);
      const last = events.at(-1)!;
      // The latest state at the top (what the SDK's getPaymentIntentStatus reads), then every event.
      return { status: last.status, created_on: last.created_on, events };
    },
  );
}
