// The answers to an app's activation and permission requests (app_requests): one row per app
// and subject, asked again by clearing its decision.
import type { Db, Tx } from '../../store/db.ts';
import type { AppRequestsTable } from '../../store/schema.ts';

export type RequestSubject = AppRequestsTable['subject'];
export type AppRequestRow = AppRequestsTable;

/** Ask (again): the row waits for the operator, whatever was decided before. */
export async function upsertPendingRequest(tx: Tx, appId: string, subject: RequestSubject, now: number): Promise<void> {
  await tx
    .insertInto('app_requests')
    .values({ app_id: appId, subject, requested_at: now, decided_at: null, decision: null, reason: null })
    .onConflict((oc) => oc.columns(['app_id', 'subject']).doUpdateSet({ requested_at: now, decided_at: null, decision: null, reason: null }))
    .execute();
}

/** Record a decision on a request that is not a row yet (the activation request lives on the app). */
export async function upsertDecision(
  tx: Tx,
  row: { appId: string; subject: RequestSubject; requestedAt: number; decision: 'approved' | 'rejected'; reason: string | null; now: number },
): Promise<void> {
  const decided = { requested_at: row.requestedAt, decided_at: row.now, decision: row.decision, reason: row.reason };
  await tx
    .insertInto('app_requests')
    .values({ app_id: row.appId, subject: row.subject, ...decided })
    .onConflict((oc) => oc.columns(['app_id', 'subject']).doUpdateSet(decided))
    .execute();
}

/** Decide a pending request in the statement that checks it is pending: of two decisions one wins. */
export async function claimDecision(
  tx: Tx,
  row: { appId: string; subject: RequestSubject; decision: 'approved' | 'rejected'; reason: string | null; now: number },
): Promise<boolean> {
  const result = await tx
    .updateTable('app_requests')
    .set({ decided_at: row.now, decision: row.decision, reason: row.reason })
    .where('app_id', '=', row.appId)
    .where('subject', '=', row.subject)
    .where('decided_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Mark the app's pending requests for `subjects` approved (the permissions are on). */
export async function approvePendingRequests(tx: Tx, appId: string, subjects: readonly RequestSubject[], now: number): Promise<void> {
  if (subjects.length === 0) return;
  await tx
    .updateTable('app_requests')
    .set({ decided_at: now, decision: 'approved', reason: null })
    .where('app_id', '=', appId)
    .where('subject', 'in', subjects)
    .where('decided_at', 'is', null)
    .execute();
}

export function findRequestsOfApp(db: Db | Tx, appId: string): Promise<AppRequestRow[]> {
  return db.selectFrom('app_requests').selectAll().where('app_id', '=', appId).execute() as Promise<AppRequestRow[]>;
}

export interface PendingRequestRow {
  app_id: string;
  subject: RequestSubject;
  requested_at: number;
  app_name: string;
  environment: string;
  owner_user_id: string;
  owner_username: string;
  owner_name: string;
}

/** What waits for the operator: apps asking for activation and permission requests, oldest first. */
export async function findPendingRequests(db: Db, limit: number): Promise<PendingRequestRow[]> {
  const activations = await db
    .selectFrom('oauth_apps')
    .innerJoin('users', 'users.id', 'oauth_apps.owner_user_id')
    .select([
      'oauth_apps.id as app_id',
      'oauth_apps.activation_requested_at as requested_at',
      'oauth_apps.name as app_name',
      'oauth_apps.environment',
      'oauth_apps.owner_user_id',
      'users.username as owner_username',
      'users.name as owner_name',
    ])
    .where('oauth_apps.ready', '=', 0)
    .where('oauth_apps.activation_requested_at', 'is not', null)
    .orderBy('oauth_apps.activation_requested_at')
    .limit(limit)
    .execute();
  const permissions = await db
    .selectFrom('app_requests')
    .innerJoin('oauth_apps', 'oauth_apps.id', 'app_requests.app_id')
    .innerJoin('users', 'users.id', 'oauth_apps.owner_user_id')
    .select([
      'app_requests.app_id',
      'app_requests.subject',
      'app_requests.requested_at',
      'oauth_apps.name as app_name',
      'oauth_apps.environment',
      'oauth_apps.owner_user_id',
      'users.username as owner_username',
      'users.name as owner_name',
    ])
    .where('app_requests.decided_at', 'is', null)
    .where('app_requests.subject', '<>', 'activation')
    .orderBy('app_requests.requested_at')
    .limit(limit)
    .execute();
  const rows: PendingRequestRow[] = [
    ...activations.map((r) => ({ ...r, subject: 'activation' as const, requested_at: Number(r.requested_at) })),
    ...permissions.map((r) => ({ ...r, requested_at: Number(r.requested_at) })),
  ];
  return rows.sort((a, b) => a.requested_at - b.requested_at).slice(0, limit);
}
