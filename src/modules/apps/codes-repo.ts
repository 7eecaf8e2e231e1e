// The authorization codes' table (oauth_codes): issued by a seller's consent, exchanged once.
import type { Db, Tx } from '../../store/db.ts';
import { deleteBatchBefore } from '../../store/prune.ts';
import type { OauthCodesTable } from '../../store/schema.ts';

export async function insertAuthorizationCode(db: Db | Tx, row: OauthCodesTable): Promise<void> {
  await db.insertInto('oauth_codes').values(row).execute();
}

/**
 * Use a code in the statement that checks it: of two exchanges of one code only one gets the
 * row back. Only an unused, unexpired code of this app and this redirect URI qualifies.
 */
export async function claimAuthorizationCode(
  tx: Tx,
  claim: { codeHash: string; appId: string; redirectUri: string; familyId: string; now: number },
): Promise<{ user_id: string } | undefined> {
  return tx
    .updateTable('oauth_codes')
    .set({ used_at: claim.now, family_id: claim.familyId })
    .where('code_hash', '=', claim.codeHash)
    .where('app_id', '=', claim.appId)
    .where('redirect_uri', '=', claim.redirectUri)
    .where('used_at', 'is', null)
    .where('expires_at', '>', claim.now)
    .returning('user_id')
    .executeTakeFirst();
}

/** The token family a used code of this app issued (a code presented again), if any. */
export async function findUsedCodeFamily(tx: Tx, codeHash: string, appId: string): Promise<string | undefined> {
  const row = await tx
    .selectFrom('oauth_codes')
    .select('family_id')
    .where('code_hash', '=', codeHash)
    .where('app_id', '=', appId)
    .where('used_at', 'is not', null)
    .executeTakeFirst();
  return row?.family_id ?? undefined;
}

/** One retention batch: codes expired before `before` go (used or not). */
export function deleteExpiredCodes(db: Db, before: number, limit: number): Promise<number> {
  return deleteBatchBefore(db, 'oauth_codes', 'code_hash', 'expires_at', before, limit);
}
