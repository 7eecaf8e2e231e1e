// "¿Olvidó su contraseña?" for the console: ask for a link (answered the same whether the account
// exists or not; in sandbox the link comes back to show on screen) and set a new password with it.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ForbiddenError } from '../../kernel/errors.ts';
import { COMMON_MESSAGES } from '../../kernel/messages.ts';
import type { Ctx } from '../../platform/context.ts';
import { requestPasswordReset, resetPassword } from '../../modules/identity/index.ts';
import { isSameOrigin } from '../shared/sessions.ts';

const tags = ['console API'];

export async function passwordRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  app.post(
    '/console/api/password-reset',
    {
      schema: {
        tags,
        summary: 'Ask for a password reset link (sent by mail; in sandbox also answered)',
        body: Type.Object({ login: Type.String({ maxLength: 200 }) }),
      },
    },
    async (request, reply) => {
      // Another site must not be able to mail links to the accounts it names.
      if (!isSameOrigin(ctx, request)) throw new ForbiddenError(COMMON_MESSAGES.samePage.es, 'common.samePage');
      const answer = await requestPasswordReset(ctx, (request.body as { login: string }).login, request.ip);
      return reply.code(202).send({ sent: true, ...answer });
    },
  );

  app.post(
    '/console/api/password-reset/confirm',
    {
      schema: {
        tags,
        summary: 'Set a new password with a reset link’s token; every session of the account ends',
        body: Type.Object({ token: Type.String({ maxLength: 200 }), password: Type.String({ maxLength: 400 }) }),
      },
    },
    async (request, reply) => {
      if (!isSameOrigin(ctx, request)) throw new ForbiddenError(COMMON_MESSAGES.samePage.es, 'common.samePage');
      const body = request.body as { token: string; password: string };
      await resetPassword(ctx, body.token, body.password);
      return reply.code(204).send();
    },
  );
}
