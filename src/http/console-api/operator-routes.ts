// The operator's console: the requests waiting for it (activation and permissions: approve or
// reject with a reason), users (search, lock, unlock), affiliation codes and the ledger
// verifier run on demand. Also the merchant's side of permission requests: ask for one, and see
// the answers (with the operator's reason) on the application page.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import {
  appRequestViews,
  appView,
  decidePermissionRequest,
  getApp,
  getOwnedApp,
  pendingRequests,
  rejectActivation,
  requestPermission,
  revokeTokensOfUser,
} from '../../modules/apps/index.ts';
import { issueAffiliationCodes, listAffiliationCodes, lockUser, searchUsers, unlockUser, USER_SEARCH_MAX } from '../../modules/identity/index.ts';
import { lastLedgerVerification, runLedgerVerification } from '../../modules/ledger/index.ts';
import type { Ctx } from '../../platform/context.ts';
import { requireSession } from '../shared/auth.ts';
import { WireInteger } from '../shared/numbers.ts';

const tags = ['console API'];
const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
const PermissionParams = Type.Object({ id: Type.String({ maxLength: 100 }), permission: Type.String({ maxLength: 40 }) });
const ReasonBody = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 2000 })) });

export async function consoleOperatorRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const session = requireSession(ctx);
  const operator = requireSession(ctx, { operator: true });
  const id = (params: unknown) => (params as { id: string }).id;

  // --- The merchant's requests ----------------------------------------------------------
  app.get(
    '/console/api/apps/:id/requests',
    { onRequest: session, schema: { tags, summary: 'The app’s activation and permission requests, with the operator’s answers', params: IdParams } },
    async (request) => ({ data: await appRequestViews(ctx.store.db, await getOwnedApp(ctx.store.db, request.session.user.id, id(request.params))) }),
  );

  app.post(
    '/console/api/apps/:id/permission-requests',
    {
      onRequest: session,
      schema: { tags, summary: 'Ask the operator for a permission', params: IdParams, body: Type.Object({ permission: Type.String({ maxLength: 40 }) }) },
    },
    async (request, reply) => {
      const updated = await requestPermission(ctx, request.session.user.id, id(request.params), (request.body as { permission: string }).permission);
      reply.code(201);
      return { data: await appRequestViews(ctx.store.db, updated) };
    },
  );

  // --- The operator's review ------------------------------------------------------------
  app.get('/console/api/operator/requests', { onRequest: operator, schema: { tags, summary: 'Requests waiting for the operator (operator)' } }, async () => ({
    data: await pendingRequests(ctx.store.db),
  }));

  app.post(
    '/console/api/operator/apps/:id/activation/reject',
    { onRequest: operator, schema: { tags, summary: 'Reject an activation request with a reason (operator)', params: IdParams, body: ReasonBody } },
    async (request) => {
      const updated = await rejectActivation(ctx, id(request.params), (request.body as { reason?: string }).reason);
      return { app: await appView(ctx.store.db, updated) };
    },
  );

  app.post(
    '/console/api/operator/apps/:id/permission-requests/:permission/approve',
    { onRequest: operator, schema: { tags, summary: 'Approve a permission request: the permission is enabled (operator)', params: PermissionParams } },
    async (request) => {
      const { id: appId, permission } = request.params as { id: string; permission: string };
      return { app: await appView(ctx.store.db, await decidePermissionRequest(ctx, appId, permission, { approve: true })) };
    },
  );

  app.post(
    '/console/api/operator/apps/:id/permission-requests/:permission/reject',
    { onRequest: operator, schema: { tags, summary: 'Reject a permission request with a reason (operator)', params: PermissionParams, body: ReasonBody } },
    async (request) => {
      const { id: appId, permission } = request.params as { id: string; permission: string };
      const reason = (request.body as { reason?: string }).reason;
      return { app: await appView(ctx.store.db, await decidePermissionRequest(ctx, appId, permission, { approve: false, reason })) };
    },
  );

  app.get(
    '/console/api/operator/apps/:id/requests',
    { onRequest: operator, schema: { tags, summary: 'Any app’s requests and answers (operator)', params: IdParams } },
    async (request) => ({ data: await appRequestViews(ctx.store.db, await getApp(ctx.store.db, id(request.params))) }),
  );

  // --- Users ------------------------------------------------------------------------------
  app.get(
    '/console/api/operator/users',
    {
      onRequest: operator,
      schema: {
        tags,
        summary: 'Find users by username, name, email, phone or identification (operator)',
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 200 })),
          limit: Type.Optional(WireInteger({ minimum: 1, maximum: USER_SEARCH_MAX })),
        }),
      },
    },
    async (request) => {
      const query = request.query as { q?: string; limit?: number };
      return { data: await searchUsers(ctx.store.db, query.q, query.limit) };
    },
  );

  app.post(
    '/console/api/operator/users/:id/lock',
    {
      onRequest: operator,
      schema: { tags, summary: 'Lock a user: its sessions and API tokens end and it cannot sign in nor get tokens (operator)', params: IdParams },
    },
    async (request) => ({ user: await lockUser(ctx, request.session.user.id, id(request.params), revokeTokensOfUser) }),
  );

  app.post(
    '/console/api/operator/users/:id/unlock',
    { onRequest: operator, schema: { tags, summary: 'Unlock a user (operator)', params: IdParams } },
    async (request) => ({ user: await unlockUser(ctx, id(request.params)) }),
  );

  // --- Affiliation codes --------------------------------------------------------------------
  app.get(
    '/console/api/operator/affiliation-codes',
    { onRequest: operator, schema: { tags, summary: 'The affiliation codes issued, newest first (operator)' } },
    async () => ({ data: await listAffiliationCodes(ctx.store.db) }),
  );

  app.post(
    '/console/api/operator/affiliation-codes',
    { onRequest: operator, schema: { tags, summary: 'Issue a regular and a commercial affiliation code (operator)' } },
    async (_request, reply) => {
      reply.code(201);
      return issueAffiliationCodes(ctx);
    },
  );

  // --- Ledger -------------------------------------------------------------------------------
  app.get(
    '/console/api/operator/ledger/verification',
    { onRequest: operator, schema: { tags, summary: 'The last ledger verification (operator)' } },
    async () => ({ verification: await lastLedgerVerification(ctx.store.db) }),
  );

  app.post('/console/api/operator/ledger/verification', { onRequest: operator, schema: { tags, summary: 'Verify the ledger now (operator)' } }, async () => ({
    verification: await runLedgerVerification(ctx),
  }));
}
