// The console's way in: what this deployment is, registration, sign-in and sign-out, and who is
// signed in. Browsers hold the session in an HttpOnly cookie and send a CSRF token on every
// state change; scripts may send the session token in `X-Session-Token` instead.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ForbiddenError, ValidationError } from '../../kernel/errors.ts';
import { COMMON_MESSAGES } from '../../kernel/messages.ts';
import type { Ctx } from '../../platform/context.ts';
import { endSession, findSession, IDENTITY_MESSAGES, login, publicProfile, registerUser, signInProblems } from '../../modules/identity/index.ts';
import { listWallets } from '../../modules/wallets/index.ts';
import { requireSession } from '../shared/auth.ts';
import { clearSessionCookie, csrfTokenValid, isSameOrigin, sessionCookieValue, setSessionCookie } from '../shared/sessions.ts';
import { ErrorAnswer } from '../wallet-api/auth-routes.ts';
import { CODES_PATH, CODES_TOKEN } from '../sandbox/routes.ts';
import { iso } from '../../kernel/instants.ts';

const Str = (max = 200) => Type.Optional(Type.String({ maxLength: max }));
const tags = ['console API'];

export async function sessionRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const secure = ctx.config.publicUrl.startsWith('https://');
  const sameOrigin = (request: FastifyRequest): boolean => isSameOrigin(ctx, request);
  const sandbox = ctx.config.environment === 'sandbox';

  app.get(
    '/console/api/config',
    { schema: { tags, summary: 'What the console needs before sign-in: the environment and, in sandbox, the affiliation codes link' } },
    async () => ({
      environment: ctx.config.environment,
      affiliationCodesUrl: sandbox ? `${CODES_PATH}?access_token=${CODES_TOKEN}` : null,
    }),
  );

  app.post(
    '/console/api/register',
    {
      schema: {
        tags,
        summary: 'Register a person or a business (a business needs a regular affiliation code)',
        body: Type.Object(
          {
            type: Type.Optional(Type.Union([Type.Literal('person'), Type.Literal('business')])),
            username: Str(40),
            password: Str(200),
            email: Str(254),
            phone: Str(20),
            identification: Str(20),
            name: Str(120),
            pin: Str(4),
            affiliationCode: Str(40),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const user = await registerUser(ctx, request.body as Record<string, unknown>);
      reply.code(201);
      return { user: publicProfile(user), wallets: await listWallets(ctx.store.db, user.id) };
    },
  );

  app.post(
    '/console/api/session',
    {
      schema: {
        tags,
        summary: 'Sign in with username, phone or identification and password',
        description:
          'Sets the HttpOnly session cookie and answers a CSRF token for it. The answer also carries `sessionToken` for scripts (`X-Session-Token`), unless the request says `X-Session-Transport: cookie` (the web console does: its session never reaches JavaScript).',
        body: Type.Object({
          login: Type.String({ maxLength: 200, 'x-messages': { required: { message: IDENTITY_MESSAGES.login.es, code: 'identity.login' } } }),
          password: Type.String({
            maxLength: 200,
            'x-messages': { required: { message: IDENTITY_MESSAGES.loginPassword.es, code: 'identity.loginPassword' } },
          }),
        }),
        response: { 401: ErrorAnswer },
      },
    },
    async (request, reply) => {
      // A page on another site could post this form and sign the visitor into an account of
      // its own (login CSRF): browsers always send Origin on such a post; scripts send none.
      if (!sameOrigin(request)) throw new ForbiddenError(COMMON_MESSAGES.signInSamePage.es, 'common.signInSamePage');
      const body = request.body as { login: string; password: string };
      const problems = signInProblems(body);
      if (problems.length) throw new ValidationError(problems);
      const result = await login(ctx, body.login, body.password, request.ip);
      if (!result) return reply.code(401).header('pasarela-message-code', 'identity.badLogin').send({ code: 401, message: IDENTITY_MESSAGES.badLogin.es });
      setSessionCookie(reply, result.token, secure);
      request.session = result;
      const cookieOnly = request.headers['x-session-transport'] === 'cookie';
      return {
        user: publicProfile(result.user),
        ...(cookieOnly ? {} : { sessionToken: result.token }),
        csrfToken: reply.generateCsrf(),
        expiresAt: iso(result.expiresAt),
      };
    },
  );

  app.delete('/console/api/session', { schema: { tags, summary: 'Sign out' } }, async (request, reply) => {
    const header = request.headers['x-session-token'];
    const fromHeader = typeof header === 'string' ? header : '';
    const token = fromHeader || sessionCookieValue(request);
    const session = token ? await findSession(ctx, token) : undefined;
    if (session && !fromHeader) {
      // A page elsewhere must not be able to sign the user out either.
      request.session = session;
      if (!csrfTokenValid(request)) throw new ForbiddenError(COMMON_MESSAGES.csrf.es, 'common.csrf');
    }
    if (session) await endSession(ctx, token);
    clearSessionCookie(reply, secure);
    return reply.code(204).send();
  });

  const whoAmI = async (request: FastifyRequest, reply: FastifyReply) => ({
    user: publicProfile(request.session.user),
    csrfToken: reply.generateCsrf(),
    expiresAt: iso(request.session.expiresAt),
    wallets: await listWallets(ctx.store.db, request.session.user.id),
  });

  app.get('/console/api/me', { onRequest: requireSession(ctx), schema: { tags, summary: 'The signed-in user and wallets' } }, whoAmI);

  // A page asks whether anyone is signed in without an error answer (a 401 would be logged in
  // the browser's console on every visit to the sign-in page).
  app.get(
    '/console/api/session',
    { schema: { tags, summary: 'The current session, if any: `signedIn` and, when true, what /console/api/me answers' } },
    async (request, reply) => {
      const header = request.headers['x-session-token'];
      const session = await findSession(ctx, (typeof header === 'string' && header) || sessionCookieValue(request));
      if (!session) return { signedIn: false };
      request.session = session;
      return { signedIn: true, ...(await whoAmI(request, reply)) };
    },
  );
}
