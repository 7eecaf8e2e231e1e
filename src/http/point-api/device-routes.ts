// The device-side API: what a terminal (a real one, or the virtual terminal page) calls. It
// registers and shows its pairing code, collects its credential once the merchant linked it,
// then, with `Authorization: Bearer <credential>`: waits for its next intent, takes it, reads
// a card into a card token, pays, and confirms the receipt. Same error shape as the Point
// integration API.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { UnauthorizedError } from '../../kernel/errors.ts';
import type { Ctx } from '../../platform/context.ts';
import {
  activateTerminal,
  findDeviceView,
  authenticateTerminal,
  confirmIntent,
  nextIntentFor,
  payIntent,
  readCard,
  registerTerminal,
  takeIntent,
  terminalIntentView,
  type TerminalRow,
} from '../../modules/point/index.ts';
import { cardTokenWire } from '../card-api/presenters.ts';
import { acceptEmptyJson, useCardErrors } from '../card-api/errors.ts';
import { bearerToken } from '../shared/auth.ts';
import { WireInteger } from '../shared/numbers.ts';
import { deviceWire, terminalIntentWire } from './presenters.ts';
import { iso } from '../../kernel/instants.ts';

const tags = ['Point device'];
const security = [{ terminal: [] }];
const PidParams = Type.Object({ pid: Type.String({ minLength: 1, maxLength: 100 }) });
const RegisterBody = Type.Union([Type.Object({ model: Type.Optional(Type.String({ minLength: 2, maxLength: 40 })) }), Type.Null()]);
const NextQuery = Type.Object({ wait: Type.Optional(WireInteger({ minimum: 0, maximum: 25 })) });
const CardBody = Type.Object({
  card_number: Type.Unsafe<string | number>({ type: ['string', 'number'], maxLength: 40 }),
  expiration_month: Type.Union([Type.String({ maxLength: 4 }), Type.Integer()]),
  expiration_year: Type.Union([Type.String({ maxLength: 4 }), Type.Integer()]),
  security_code: Type.Union([Type.String({ maxLength: 8 }), Type.Integer()]),
  cardholder: Type.Object({
    name: Type.String({ maxLength: 200 }),
    identification: Type.Optional(Type.Object({ type: Type.Optional(Type.String({ maxLength: 20 })), number: Type.Optional(Type.String({ maxLength: 40 })) })),
  }),
});
const PayBody = Type.Object({ token: Type.String({ minLength: 1, maxLength: 64 }) });
/** How often a waiting `next` looks again. */
const POLL_MS = 250;

declare module 'fastify' {
  interface FastifyRequest {
    /** The linked terminal whose credential came with the request. */
    terminal?: TerminalRow;
  }
}

export async function pointDeviceRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  useCardErrors(app, ctx, ['/point/']);
  acceptEmptyJson(app);
  const terminal = async (request: FastifyRequest) => {
    const device = await authenticateTerminal(ctx, bearerToken(request));
    if (!device) throw new UnauthorizedError('La credencial del terminal no es válida (o el terminal fue desvinculado).');
    request.terminal = device;
  };
  const pid = (request: FastifyRequest) => (request.params as Static<typeof PidParams>).pid;

  app.post(
    '/point/device/register',
    { schema: { tags, summary: 'A terminal registers itself and gets its pairing code', body: RegisterBody } },
    async (request, reply) => {
      const model = (request.body as { model?: string } | null)?.model;
      const r = await registerTerminal(ctx, model);
      return reply.code(201).send({ device_id: r.deviceId, pairing_code: r.pairingCode, pairing_secret: r.pairingSecret, expires_at: iso(r.expiresAt) });
    },
  );

  app.post(
    '/point/device/activate',
    { schema: { tags, summary: 'With the pairing secret: still waiting, or linked (the credential, once)', security: [{ pairing: [] }] } },
    async (request) => {
      const secret = bearerToken(request);
      if (!secret) throw new UnauthorizedError('Envíe el secreto de vinculación (Authorization: Bearer …).');
      const a = await activateTerminal(ctx, secret);
      return a.status === 'pending'
        ? { status: 'pending', device_id: a.deviceId, pairing_code: a.pairingCode, expires_at: iso(a.expiresAt) }
        : { status: 'linked', device_id: a.deviceId, credential: a.credential };
    },
  );

  app.get('/point/device/me', { preHandler: terminal, schema: { tags, summary: 'This terminal: its mode, store and till', security } }, async (request) =>
    deviceWire((await findDeviceView(ctx.store.db, request.terminal!.id))!),
  );

  app.get(
    '/point/device/payment-intents/next',
    { preHandler: terminal, schema: { tags, summary: 'The intent to show now (waits up to `wait` seconds for one)', security, querystring: NextQuery } },
    async (request) => {
      const deadline = Date.now() + ((request.query as Static<typeof NextQuery>).wait ?? 0) * 1000;
      for (;;) {
        const intent = await nextIntentFor(ctx, request.terminal!);
        if (intent || Date.now() + POLL_MS > deadline || request.raw.destroyed) return { payment_intent: intent ? terminalIntentWire(intent) : null };
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    },
  );

  app.get(
    '/point/device/payment-intents/:pid',
    { preHandler: terminal, schema: { tags, summary: 'One of this terminal’s intents', security, params: PidParams } },
    async (request) => terminalIntentWire(await terminalIntentView(ctx, request.terminal!, pid(request))),
  );

  app.post(
    '/point/device/payment-intents/:pid/take',
    { preHandler: terminal, schema: { tags, summary: 'Take the intent (the green button): ON_TERMINAL', security, params: PidParams } },
    async (request) => terminalIntentWire(await takeIntent(ctx, request.terminal!, pid(request))),
  );

  app.post(
    '/point/device/payment-intents/:pid/card-tokens',
    { preHandler: terminal, schema: { tags, summary: 'The card read, as a single-use card token', security, params: PidParams, body: CardBody } },
    async (request, reply) =>
      reply.code(201).send(cardTokenWire(await readCard(ctx, request.terminal!, pid(request), request.body as Static<typeof CardBody>))),
  );

  app.post(
    '/point/device/payment-intents/:pid/payment',
    { preHandler: terminal, schema: { tags, summary: 'Pay the intent with the card token: the outcome', security, params: PidParams, body: PayBody } },
    async (request) => terminalIntentWire(await payIntent(ctx, request.terminal!, pid(request), (request.body as Static<typeof PayBody>).token)),
  );

  app.post(
    '/point/device/payment-intents/:pid/confirm',
    { preHandler: terminal, schema: { tags, summary: 'The receipt is out: FINISHED', security, params: PidParams } },
    async (request) => terminalIntentWire(await confirmIntent(ctx, request.terminal!, pid(request))),
  );
}
