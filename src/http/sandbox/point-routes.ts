// The sandbox cashier of POS terminals: drives an intent through the device-side path (take,
// card read, payment, receipt) as a person on the virtual terminal would.
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Ctx } from '../../platform/context.ts';
import { processAsCashier } from '../../modules/point/index.ts';
import { intentWire } from '../point-api/presenters.ts';
import { requireBearer } from '../shared/auth.ts';

const Params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const Body = Type.Union([Type.Object({ cardholder: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })) }), Type.Null()]);

export async function sandboxPointRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const merchant = requireBearer(ctx);
  app.post(
    '/sandbox/point/payment-intents/:id/process',
    {
      preHandler: merchant,
      schema: {
        tags: ['sandbox'],
        summary: 'Process a POS intent as a cashier on the virtual terminal',
        security: [{ bearer: [] }],
        params: Params,
        body: Body,
      },
    },
    async (request) => {
      const { id } = request.params as Static<typeof Params>;
      const cardholder = (request.body as { cardholder?: string } | null)?.cardholder;
      return intentWire(await processAsCashier(ctx, request.auth.user.id, id, cardholder));
    },
  );
}
