// What a merchant asks the operator for in production — the app's activation and each
// permission — and the operator's answer: approve, or reject with a reason the merchant reads
// on its application page. The activation request itself lives on the app
// (activation_requested_at, service.ts); a rejection clears it, so the merchant may ask again.
import { NotFoundError, ValidationError } from '../../kernel/errors.ts';
import { refuse } from '../../kernel/refusals.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../store/db.ts';
import { runCommand } from '../commands/index.ts';
import { getApp, getOwnedApp, hasPermission, changePermissions, PERMISSIONS, type Permission, type PermissionChange } from './service.ts';
import { claimDecision, findPendingRequests, findRequestsOfApp, upsertDecision, upsertPendingRequest, type RequestSubject } from './requests-repo.ts';
import { clearPendingActivation, type AppRow } from './repo.ts';
import { APP_MESSAGES, readRejectionReason } from './rules.ts';
import { iso, isoOrNull } from '../../kernel/instants.ts';

export type { RequestSubject };
export { PERMISSIONS };

const CHANGE_KEY: Record<Permission, keyof PermissionChange> = {
  payment_button: 'paymentButton',
  billing_api: 'billingApi',
  distributions: 'distributions',
  payouts: 'payouts',
};

export interface AppRequestView {
  subject: RequestSubject;
  state: 'pending' | 'approved' | 'rejected';
  requestedAt: string | null;
  decidedAt: string | null;
  /** Why the operator rejected it. */
  reason: string | null;
}

export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && (PERMISSIONS as readonly string[]).includes(value);
}

function checkReason(reason: unknown): string {
  const checked = readRejectionReason(reason);
  if (checked === undefined) throw new ValidationError([{ path: ['reason'], message: APP_MESSAGES.rejectionReason.es, code: 'apps.rejectionReason' }]);
  return checked;
}

/** The app's requests as its owner sees them: the activation's state, then each permission asked for. */
export async function appRequestViews(db: Db, app: Pick<AppRow, 'id' | 'ready' | 'activation_requested_at'>): Promise<AppRequestView[]> {
  const rows = await findRequestsOfApp(db, app.id);
  const decided = rows.find((r) => r.subject === 'activation');
  const views: AppRequestView[] = [];
  if (app.ready === 1)
    views.push({ subject: 'activation', state: 'approved', requestedAt: isoOrNull(app.activation_requested_at), decidedAt: null, reason: null });
  else if (app.activation_requested_at !== null)
    views.push({ subject: 'activation', state: 'pending', requestedAt: iso(app.activation_requested_at), decidedAt: null, reason: null });
  else if (decided?.decision === 'rejected')
    views.push({
      subject: 'activation',
      state: 'rejected',
      requestedAt: iso(decided.requested_at),
      decidedAt: isoOrNull(decided.decided_at),
      reason: decided.reason,
    });
  for (const subject of PERMISSIONS) {
    const row = rows.find((r) => r.subject === subject);
    if (!row) continue;
    views.push({ subject, state: row.decision ?? 'pending', requestedAt: iso(row.requested_at), decidedAt: isoOrNull(row.decided_at), reason: row.reason });
  }
  return views;
}

/** The owner asks for a permission its app lacks (in sandbox it may simply switch it on). */
export async function requestPermission(ctx: Ctx, ownerUserId: string, appId: string, permission: unknown): Promise<AppRow> {
  if (!isPermission(permission)) {
    throw new ValidationError([{ path: ['permission'], message: APP_MESSAGES.permission.es, code: 'apps.permission' }]);
  }
  return runCommand(ctx, undefined, async ({ tx, now }) => {
    await getOwnedApp(tx, ownerUserId, appId);
    const app = await getApp(tx, appId);
    if (hasPermission(app, permission)) refuse({ code: 'permission_already_enabled', field: ['permission'] });
    await upsertPendingRequest(tx, appId, permission, now);
    return app;
  });
}

export async function pendingRequests(db: Db, limit = 200) {
  return (await findPendingRequests(db, limit)).map((r) => ({
    appId: r.app_id,
    appName: r.app_name,
    environment: r.environment,
    subject: r.subject,
    requestedAt: iso(r.requested_at),
    owner: { id: r.owner_user_id, username: r.owner_username, name: r.owner_name },
  }));
}

/** Operator: reject a pending activation request with a reason; the merchant may ask again. */
export async function rejectActivation(ctx: Ctx, appId: string, reason: unknown): Promise<AppRow> {
  const why = checkReason(reason);
  return runCommand(ctx, undefined, async ({ tx, now }) => {
    const app = await getApp(tx, appId);
    const requestedAt = app.activation_requested_at;
    if (app.ready === 1 || requestedAt === null) refuse({ code: 'request_not_pending' });
    // Read, then claimed by a guarded write: a concurrent decision or request may commit between.
    if (!(await clearPendingActivation(tx, appId, requestedAt))) refuse({ code: 'request_not_pending' });
    await upsertDecision(tx, { appId, subject: 'activation', requestedAt, decision: 'rejected', reason: why, now });
    return getApp(tx, appId);
  });
}

/** Operator: approve (the permission is switched on in the same transaction) or reject with a reason. */
export async function decidePermissionRequest(
  ctx: Ctx,
  appId: string,
  permission: unknown,
  decision: { approve: true } | { approve: false; reason: unknown },
): Promise<AppRow> {
  // A name in the route's path: an unknown one names no request at all.
  if (!isPermission(permission)) throw new NotFoundError(APP_MESSAGES.permissionUnknown.es, 'apps.permissionUnknown');
  const reason = decision.approve ? null : checkReason(decision.reason);
  return runCommand(ctx, undefined, async ({ tx, now }) => {
    // On already (switched on by the permissions form): nothing to decide, its request was answered then.
    if (hasPermission(await getApp(tx, appId), permission)) refuse({ code: 'permission_already_enabled', field: ['permission'] });
    const claimed = await claimDecision(tx, { appId, subject: permission, decision: decision.approve ? 'approved' : 'rejected', reason, now });
    if (!claimed) refuse({ code: 'request_not_pending' });
    if (decision.approve) return changePermissions(ctx, tx, now, { userId: '', isOperator: true }, appId, { [CHANGE_KEY[permission]]: true });
    return getApp(tx, appId);
  });
}
