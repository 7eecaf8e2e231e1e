// The console's JSON API: OAuth applications and the operator's approvals (sign-in and
// registration: session-routes.ts; the wallet: wallet-routes.ts). The web console is its client.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ValidationError } from '../../kernel/errors.ts';
import { COMMON_MESSAGES } from '../../kernel/messages.ts';
import {
  activateApp,
  addDistributionAccount,
  APP_MESSAGES,
  appView,
  appViews,
  createApp,
  getOwnedApp,
  listApps,
  MAX_DISTRIBUTION_ACCOUNTS,
  removeDistributionAccount,
  renewCredentials,
  requestActivation,
  revealCredentials,
  setPermissions,
  updateApp,
  type AppInput,
  type PermissionChange,
} from '../../modules/apps/index.ts';
import type { Ctx } from '../../platform/context.ts';
import { listFeeRules, setFeeRule } from '../../modules/fees/index.ts';
import { requireSession } from '../shared/auth.ts';
import { WireAmount } from '../shared/numbers.ts';

const Str = (max = 200) => Type.Optional(Type.String({ maxLength: max }));
const Amount = Type.Optional(WireAmount());
const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
const tags = ['console API'];

function appInput(request: FastifyRequest): AppInput {
  const body = (request.body ?? {}) as Record<string, unknown>;
  let logo = request.uploads?.logo?.data;
  if (!logo && typeof body.logoBase64 === 'string') {
    if (!/^[A-Za-z0-9+/=\s]*$/.test(body.logoBase64))
      throw new ValidationError([{ path: ['logo'], message: APP_MESSAGES.logoNotPng.es, code: 'apps.logoNotPng' }]);
    logo = Buffer.from(body.logoBase64, 'base64');
  }
  return {
    name: body.name,
    description: body.description,
    homepageUrl: body.homepageUrl,
    redirectUris: body.redirectUris,
    receivingAccount: body.receivingAccount,
    logo,
  };
}

function permissionChange(body: Record<string, unknown>): PermissionChange {
  const flag = (k: string): boolean | undefined => {
    const v = body[k];
    if (v === undefined) return undefined;
    if (v === true || v === 'true' || v === '1' || v === 1) return true;
    if (v === false || v === 'false' || v === '0' || v === 0) return false;
    throw new ValidationError([{ path: [k], message: COMMON_MESSAGES.boolean.es, code: 'common.boolean' }]);
  };
  const accounts = body.distributionAccounts;
  if (accounts !== undefined && (!Array.isArray(accounts) || accounts.length > MAX_DISTRIBUTION_ACCOUNTS || accounts.some((a) => typeof a !== 'string'))) {
    throw new ValidationError([{ path: ['distributionAccounts'], message: APP_MESSAGES.distributionAccounts.es, code: 'apps.distributionAccounts' }]);
  }
  return {
    paymentButton: flag('paymentButton'),
    billingApi: flag('billingApi'),
    distributions: flag('distributions'),
    payouts: flag('payouts'),
    distributionAccounts: accounts as string[] | undefined,
  };
}

export async function consoleRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const session = requireSession(ctx);
  const operator = requireSession(ctx, { operator: true });

  // --- OAuth applications -------------------------------------------------------------
  const AppBody = Type.Object({
    name: Str(80),
    description: Str(500),
    homepageUrl: Str(300),
    // One per line (a form field) or a JSON list: where the authorization-code flow may send a seller back.
    redirectUris: Type.Optional(Type.Union([Type.String({ maxLength: 3100 }), Type.Array(Type.String({ maxLength: 300 }), { maxItems: 10 })])),
    receivingAccount: Str(100),
    logoBase64: Str(1_500_000),
  });

  app.get('/console/api/apps', { onRequest: session, schema: { tags, summary: 'The user’s OAuth applications' } }, async (request) => {
    return { data: await appViews(ctx.store.db, await listApps(ctx.store.db, request.session.user.id)) };
  });

  app.post(
    '/console/api/apps',
    { onRequest: session, schema: { tags, summary: 'Register an OAuth application (multipart with a PNG `logo`, or JSON with `logoBase64`)', body: AppBody } },
    async (request, reply) => {
      const { app: created, credentials } = await createApp(ctx, request.session.user.id, appInput(request));
      reply.code(201);
      return { app: await appView(ctx.store.db, created), credentials };
    },
  );

  app.get('/console/api/apps/:id', { onRequest: session, schema: { tags, params: IdParams } }, async (request) => {
    const found = await getOwnedApp(ctx.store.db, request.session.user.id, (request.params as { id: string }).id);
    return { app: await appView(ctx.store.db, found) };
  });

  app.patch('/console/api/apps/:id', { onRequest: session, schema: { tags, params: IdParams, body: AppBody } }, async (request) => {
    const updated = await updateApp(ctx, request.session.user.id, (request.params as { id: string }).id, appInput(request));
    return { app: await appView(ctx.store.db, updated) };
  });

  app.get(
    '/console/api/apps/:id/credentials',
    { onRequest: session, schema: { tags, summary: 'The app’s keys (llaves de acceso)', params: IdParams } },
    async (request, reply) => {
      const found = await getOwnedApp(ctx.store.db, request.session.user.id, (request.params as { id: string }).id);
      reply.header('cache-control', 'no-store');
      return revealCredentials(ctx, found);
    },
  );

  app.post(
    '/console/api/apps/:id/credentials/renew',
    { onRequest: session, schema: { tags, summary: 'Renew the keys; the old ones stop working at once', params: IdParams } },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return renewCredentials(ctx, request.session.user.id, (request.params as { id: string }).id);
    },
  );

  app.post(
    '/console/api/apps/:id/activation-request',
    { onRequest: session, schema: { tags, summary: 'Ask the operator to activate the app', params: IdParams } },
    async (request) => {
      const updated = await requestActivation(ctx, request.session.user.id, (request.params as { id: string }).id);
      return { app: await appView(ctx.store.db, updated) };
    },
  );

  const PermissionsBody = Type.Object({
    paymentButton: Type.Optional(Type.Boolean()),
    billingApi: Type.Optional(Type.Boolean()),
    distributions: Type.Optional(Type.Boolean()),
    payouts: Type.Optional(Type.Boolean()),
    distributionAccounts: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: MAX_DISTRIBUTION_ACCOUNTS })),
  });

  app.patch(
    '/console/api/apps/:id/permissions',
    { onRequest: session, schema: { tags, summary: 'Change permissions (owner: sandbox only)', params: IdParams, body: PermissionsBody } },
    async (request) => {
      const updated = await setPermissions(
        ctx,
        { userId: request.session.user.id, isOperator: false },
        (request.params as { id: string }).id,
        permissionChange(request.body as Record<string, unknown>),
      );
      return { app: await appView(ctx.store.db, updated) };
    },
  );

  // One account at a time, by the owner in either environment once the app has the permission.
  app.post(
    '/console/api/apps/:id/distribution-accounts',
    {
      onRequest: session,
      schema: {
        tags,
        summary: 'Authorize an account to receive the app’s distributions (username, phone, identification or wallet account id)',
        params: IdParams,
        body: Type.Object({ account: Str(200) }),
      },
    },
    async (request, reply) => {
      const userId = request.session.user.id;
      const { id } = request.params as { id: string };
      const { added, accountId } = await addDistributionAccount(ctx, userId, id, (request.body as { account?: string }).account);
      reply.code(added ? 201 : 200);
      return { app: await appView(ctx.store.db, await getOwnedApp(ctx.store.db, userId, id)), accountId, added };
    },
  );

  app.delete(
    '/console/api/apps/:id/distribution-accounts/:accountId',
    {
      onRequest: session,
      schema: {
        tags,
        summary: 'Withdraw an account’s authorization to receive the app’s distributions',
        params: Type.Object({ id: Type.String({ maxLength: 100 }), accountId: Type.String({ maxLength: 100 }) }),
      },
    },
    async (request) => {
      const userId = request.session.user.id;
      const { id, accountId } = request.params as { id: string; accountId: string };
      const { removed } = await removeDistributionAccount(ctx, userId, id, accountId);
      return { app: await appView(ctx.store.db, await getOwnedApp(ctx.store.db, userId, id)), removed };
    },
  );

  // --- Operator -----------------------------------------------------------------------
  app.get(
    '/console/api/operator/apps',
    { onRequest: operator, schema: { tags, summary: 'All applications (operator)', querystring: Type.Object({ pending: Type.Optional(Type.Boolean()) }) } },
    async (request) => {
      let apps = await listApps(ctx.store.db);
      if ((request.query as { pending?: boolean }).pending) apps = apps.filter((a) => a.ready === 0 && a.activation_requested_at !== null);
      const views = await appViews(ctx.store.db, apps);
      return { data: views.map((view, i) => ({ ...view, ownerUserId: apps[i]!.owner_user_id })) };
    },
  );

  app.post(
    '/console/api/operator/apps/:id/activate',
    { onRequest: operator, schema: { tags, summary: 'Activate an application (operator)', params: IdParams } },
    async (request) => {
      const updated = await activateApp(ctx, (request.params as { id: string }).id);
      return { app: await appView(ctx.store.db, updated) };
    },
  );

  app.patch(
    '/console/api/operator/apps/:id/permissions',
    {
      onRequest: operator,
      schema: {
        tags,
        summary: 'Enable or disable permissions (operator)',
        params: IdParams,
        body: Type.Composite([PermissionsBody, Type.Object({ ready: Type.Optional(Type.Boolean()) })]),
      },
    },
    async (request) => {
      const body = request.body as Record<string, unknown>;
      const change = permissionChange(body);
      if (typeof body.ready === 'boolean') change.ready = body.ready;
      const updated = await setPermissions(ctx, { userId: request.session.user.id, isOperator: true }, (request.params as { id: string }).id, change);
      return { app: await appView(ctx.store.db, updated) };
    },
  );

  app.get('/console/api/operator/fees', { onRequest: operator, schema: { tags, summary: 'The fee schedule (operator)' } }, async () => ({
    data: await listFeeRules(ctx.store.db),
  }));

  app.put(
    '/console/api/operator/fees',
    {
      onRequest: operator,
      schema: {
        tags,
        summary: 'Set the fee of one operation and currency: percent (e.g. "2.5") plus a fixed amount (operator)',
        body: Type.Object({ operation: Type.String({ maxLength: 40 }), currency: Str(3), percent: Amount, fixed: Amount }),
      },
    },
    async (request) => setFeeRule(ctx, request.body as Record<string, unknown> as never),
  );
}
