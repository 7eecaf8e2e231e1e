// The Point integration API's integrator webhook (merchant bearer token): set its URL, read
// it, and ask for the signed check that verifies it.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Ctx } from '../../platform/context.ts';
import { checkIntegratorWebhook, integratorWebhookView, setIntegratorWebhook } from '../../modules/point/index.ts';
import { requireBearer } from '../shared/auth.ts';
import { acceptEmptyJson, useCardErrors } from '../card-api/errors.ts';

const tags = ['Point'];
const security = [{ bearer: [] }];

export async function pointIntegratorRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  // The whole Point family answers errors in the Mercado Pago shape, as its SDK parses them.
  useCardErrors(app, ctx, ['/point/']);
  acceptEmptyJson(app);
  const merchant = requireBearer(ctx);

  app.patch(
    '/point/integration-api/integrators',
    {
      preHandler: merchant,
      schema: {
        tags,
        summary: 'Set the integrator webhook (it receives nothing until checked)',
        security,
        body: Type.Object({ webhook: Type.String({ minLength: 1, maxLength: 500 }) }),
      },
    },
    async (request, reply) => {
      await setIntegratorWebhook(ctx, request.auth.app, (request.body as { webhook: string }).webhook);
      return reply.code(204).send();
    },
  );

  app.get(
    '/point/integration-api/integrators',
    { preHandler: merchant, schema: { tags, summary: 'The integrator webhook and whether it is verified', security } },
    async (request) => integratorWebhookView(ctx, request.auth.app.id),
  );

  app.post(
    '/point/integration-api/integrators/check',
    { preHandler: merchant, schema: { tags, summary: 'Send a signed check to the webhook; 204 once it answered 2xx', security } },
    async (request, reply) => {
      await checkIntegratorWebhook(ctx, request.auth.app);
      return reply.code(204).send();
    },
  );
}
