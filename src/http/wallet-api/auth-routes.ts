// Wallet API authentication (mPandco contract): POST /oauth/v2/token and the profile.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Ctx } from '../../platform/context.ts';
import { issueToken, type Grant } from '../../modules/apps/index.ts';
import { listWallets } from '../../modules/wallets/index.ts';
import { requireBearer, tokenRequestOf } from '../shared/auth.ts';
import { ErrorAnswer } from '../shared/errors.ts';

const TokenBody = Type.Object(
  {
    grant_type: Type.Optional(Type.String({ maxLength: 100 })),
    client_id: Type.Optional(Type.String({ maxLength: 200 })),
    client_secret: Type.Optional(Type.String({ maxLength: 200 })),
    username: Type.Optional(Type.String({ maxLength: 200 })),
    password: Type.Optional(Type.String({ maxLength: 200 })),
    refresh_token: Type.Optional(Type.String({ maxLength: 300 })),
  },
  { description: 'Form fields (multipart, urlencoded) or JSON.' },
);

const TokenAnswer = Type.Object({
  access_token: Type.String(),
  expires_in: Type.Integer(),
  token_type: Type.Literal('bearer'),
  scope: Type.String(),
  refresh_token: Type.String(),
});

// The marketplace's authorization code is the card family's (POST /oauth/token).
const WALLET_GRANTS: readonly Grant[] = ['urn:client_apps', 'client_credentials', 'password', 'refresh_token'];

const OAuthErrorAnswer = Type.Object({ error: Type.String(), error_description: Type.String() });
export { ErrorAnswer };

export async function walletAuthRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  app.post(
    '/oauth/v2/token',
    {
      config: { errorStyle: 'oauth' },
      schema: {
        tags: ['wallet API'],
        summary: 'Obtain or refresh an access token (urn:client_apps, password, refresh_token)',
        body: TokenBody,
        response: { 200: TokenAnswer, 400: OAuthErrorAnswer, 401: OAuthErrorAnswer },
      },
    },
    async (request, reply) => {
      const body = tokenRequestOf(request);
      reply.header('cache-control', 'no-store');
      const pair = await issueToken(ctx, body, request.ip, WALLET_GRANTS);
      return { access_token: pair.accessToken, expires_in: pair.expiresInSeconds, token_type: 'bearer', scope: 'API', refresh_token: pair.refreshToken };
    },
  );

  app.get(
    '/api/user/profile.json',
    {
      preHandler: requireBearer(ctx),
      schema: { tags: ['wallet API'], summary: 'Profile of the token owner', security: [{ bearer: [] }], response: { 401: ErrorAnswer } },
    },
    async (request) => {
      const { user, app: oauthApp } = request.auth;
      const wallets = await listWallets(ctx.store.db, user.id);
      return {
        id: user.id,
        username: user.username,
        email: user.email,
        type: user.type,
        phone: user.phone,
        identification: user.identification,
        _data: { fullname: user.name },
        digital_accounts: wallets.map((w) => ({ id: w.id, currency: { id: w.currency }, balance: w.balance })),
        client: { id: oauthApp.client_id, name: oauthApp.name },
      };
    },
  );
}
