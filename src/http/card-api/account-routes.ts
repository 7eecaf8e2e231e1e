// The card family's account calls: `POST /oauth/token` (client credentials, refresh and the
// marketplace's authorization code, answered in this family's shape with the seller and the
// public key) and `POST /users/test_user` (sandbox test users, one site each).
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Ctx } from '../../platform/context.ts';
import { issueToken, type Grant } from '../../modules/apps/index.ts';
import { createTestUser } from '../../modules/identity/index.ts';
import { requireBearer, tokenRequestOf } from '../shared/auth.ts';

const tags = ['card API'];
// The password grant is the wallet family's (its token endpoint), not this one's.
const CARD_GRANTS: readonly Grant[] = ['client_credentials', 'authorization_code', 'refresh_token'];

const TokenBody = Type.Object({
  grant_type: Type.Optional(Type.String({ maxLength: 100 })),
  client_id: Type.Optional(Type.String({ maxLength: 200 })),
  client_secret: Type.Optional(Type.String({ maxLength: 200 })),
  code: Type.Optional(Type.String({ maxLength: 300 })),
  redirect_uri: Type.Optional(Type.String({ maxLength: 300 })),
  refresh_token: Type.Optional(Type.String({ maxLength: 300 })),
  test_token: Type.Optional(Type.Union([Type.Boolean(), Type.String({ maxLength: 10 })])),
});

const TestUserBody = Type.Object({ site_id: Type.String({ maxLength: 10 }), description: Type.Optional(Type.String({ maxLength: 300 })) });

export async function cardAccountRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  app.post(
    '/oauth/token',
    {
      schema: {
        tags,
        summary: 'Obtain or refresh an access token (client_credentials, authorization_code, refresh_token)',
        body: TokenBody,
      },
    },
    async (request, reply) => {
      const body = tokenRequestOf(request);
      const pair = await issueToken(ctx, body, request.ip, CARD_GRANTS);
      reply.header('cache-control', 'no-store');
      return {
        access_token: pair.accessToken,
        token_type: 'bearer',
        expires_in: pair.expiresInSeconds,
        scope: 'offline_access payments read write',
        user_id: pair.userId,
        refresh_token: pair.refreshToken,
        public_key: pair.publicKey,
        live_mode: ctx.config.environment === 'production',
      };
    },
  );

  app.post(
    '/users/test_user',
    { preHandler: requireBearer(ctx), schema: { tags, summary: 'Create a test user of a site (sandbox)', security: [{ bearer: [] }], body: TestUserBody } },
    async (request, reply) => {
      const { site_id } = request.body as Static<typeof TestUserBody>;
      const created = await createTestUser(ctx, request.auth.user, site_id);
      return reply.code(201).send({
        id: created.user.id,
        nickname: created.user.username,
        password: created.password,
        site_status: 'active',
        site_id: created.site,
        email: created.user.email,
      });
    },
  );
}
