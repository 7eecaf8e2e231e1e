// The authorization-code flow (marketplaces): an integrator's app sends a seller to the consent
// page with its client_id, a redirect URI registered on the app (compared exactly) and a
// `state`; the seller signs in and approves; the app gets a single-use code, valid ten minutes,
// that `POST /oauth/token` exchanges for tokens acting for that seller — payments made with
// them are collected by the seller who approved.
import type { Ctx } from '../../platform/context.ts';
import { randomToken, sha256Hex } from '../../platform/secrets.ts';
import type { Tx } from '../../store/db.ts';
import { claimAuthorizationCode, deleteExpiredCodes, findUsedCodeFamily, insertAuthorizationCode } from './codes-repo.ts';
import { findAppByClientIdWithoutLogo, type AppRow } from './repo.ts';

export const AUTHORIZATION_CODE_TTL_MS = 10 * 60 * 1000;

/**
 * Why an authorization request cannot go on. The first three are shown on the consent page
 * itself: with an unknown app or an unregistered redirect URI, sending the browser anywhere
 * would make the platform an open redirector. `response_type` is answered at the redirect URI.
 */
export type AuthorizationProblem = 'unknown_client' | 'inactive_client' | 'redirect_uri_mismatch' | 'unsupported_response_type';

export interface AuthorizationRequest {
  clientId: unknown;
  redirectUri: unknown;
  responseType: unknown;
  state: unknown;
}

export interface CheckedAuthorization {
  app: AppRow;
  redirectUri: string;
  state: string | undefined;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The request checked against the app it names (no write). */
export async function checkAuthorizationRequest(
  ctx: Ctx,
  request: AuthorizationRequest,
): Promise<CheckedAuthorization | { problem: AuthorizationProblem; redirectUri?: string; state?: string }> {
  const found = await findAppByClientIdWithoutLogo(ctx.store.db, text(request.clientId));
  if (!found || found.environment !== ctx.config.environment) return { problem: 'unknown_client' };
  const app: AppRow = { ...found, logo_png: null };
  if (app.ready !== 1) return { problem: 'inactive_client' };
  const redirectUri = text(request.redirectUri);
  if (!(JSON.parse(app.redirect_uris) as string[]).includes(redirectUri)) return { problem: 'redirect_uri_mismatch' };
  const state = text(request.state) || undefined;
  if (text(request.responseType) !== 'code') return { problem: 'unsupported_response_type', redirectUri, state };
  return { app, redirectUri, state };
}

/** The seller approved: a fresh code for the app, to be exchanged at this redirect URI. */
export async function issueAuthorizationCode(ctx: Ctx, checked: CheckedAuthorization, sellerUserId: string): Promise<string> {
  const code = `TG-${randomToken(24)}`;
  const now = await ctx.clock.now();
  await insertAuthorizationCode(ctx.store.db, {
    code_hash: sha256Hex(code),
    app_id: checked.app.id,
    user_id: sellerUserId,
    redirect_uri: checked.redirectUri,
    expires_at: now + AUTHORIZATION_CODE_TTL_MS,
    used_at: null,
    family_id: null,
    created_at: now,
  });
  return code;
}

/**
 * Exchange a code once (in the token's transaction, whose tokens make family `familyId`): the
 * seller it acts for; or, for a code used before, the family its first exchange issued — the
 * caller revokes it, since a code presented twice may have been stolen (RFC 6749 §4.1.2).
 */
export async function redeemAuthorizationCode(
  tx: Tx,
  app: AppRow,
  code: string,
  redirectUri: string,
  familyId: string,
  now: number,
): Promise<{ sellerId: string } | { reusedFamily: string | undefined }> {
  const codeHash = sha256Hex(code);
  const row = await claimAuthorizationCode(tx, { codeHash, appId: app.id, redirectUri, familyId, now });
  return row ? { sellerId: row.user_id } : { reusedFamily: await findUsedCodeFamily(tx, codeHash, app.id) };
}

/** The redirect back to the app: `code` (or `error`) and `state`, keeping the URI's own query. */
export function authorizationRedirect(redirectUri: string, answer: { code: string } | { error: string }, state: string | undefined): string {
  const url = new URL(redirectUri);
  if ('code' in answer) url.searchParams.set('code', answer.code);
  else url.searchParams.set('error', answer.error);
  if (state !== undefined) url.searchParams.set('state', state);
  return url.toString();
}

/** One retention batch of codes past their ten minutes (kept a day for the record). */
export async function pruneExpiredCodes(ctx: Ctx, limit: number): Promise<number> {
  return deleteExpiredCodes(ctx.store.db, (await ctx.clock.now()) - 24 * 3600 * 1000, limit);
}
