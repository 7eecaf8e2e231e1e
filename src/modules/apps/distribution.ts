// The accounts an app may send distributions to ("cuentas de distribución"): who receives a
// part of each payment. The owner adds and removes them one at a time once the app has the
// distributions permission (in production the operator grants it on request); the operator,
// and the owner in sandbox, may also replace the whole list with the permissions (service.ts).
// An intent's distributions are checked against this list at creation and again at execution.
import { NotFoundError, ValidationError } from '../../kernel/errors.ts';
import { DEFAULT_CURRENCY } from '../../kernel/money.ts';
import { refuse } from '../../kernel/refusals.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../store/db.ts';
import { runCommand } from '../commands/index.ts';
import { resolveWallet } from '../wallets/index.ts';
import { APP_MESSAGES, MAX_DISTRIBUTION_ACCOUNTS, readDistributionAccount } from './rules.ts';
import { countDistributionAccounts, deleteDistributionAccount, findDistributionAccounts, insertDistributionAccount, lockOwnedApp } from './repo.ts';

const problem = (field: string[], key: 'distributionAccountUnknown' | 'distributionAccountOwn' | 'distributionAccountsFull') =>
  new ValidationError([{ path: field, message: APP_MESSAGES[key].es, code: `apps.${key}` }]);

/**
 * The wallet account `reference` names — a username, phone, identification or wallet account id,
 * as "enviar dinero" takes them; by person, their VES wallet (opened if missing), as intents
 * name distributions. The app's owner is refused: the app's payments already reach it.
 */
export async function resolveDistributionAccount(tx: Tx, ownerUserId: string, reference: string, now: number, field: string[]): Promise<string> {
  const target = await resolveWallet(tx, reference, DEFAULT_CURRENCY, now);
  if (!target) throw problem(field, 'distributionAccountUnknown');
  if (target.userId === ownerUserId) throw problem(field, 'distributionAccountOwn');
  return target.accountId;
}

async function lockedOwnedApp(ctx: Ctx, tx: Tx, ownerUserId: string, appId: string) {
  const app = await lockOwnedApp(tx, ctx.store.dialect, ownerUserId, appId);
  // Another owner's app is "not found", as everywhere in the console.
  if (!app) throw new NotFoundError(APP_MESSAGES.notFound.es, 'apps.notFound');
  return app;
}

/** Authorize one more account; one already authorized is left as it is (`added` false). */
export async function addDistributionAccount(ctx: Ctx, ownerUserId: string, appId: string, reference: unknown): Promise<{ added: boolean; accountId: string }> {
  const { value, errors } = readDistributionAccount(reference);
  if (errors.length) throw new ValidationError(errors);
  return runCommand(ctx, undefined, async ({ tx, now }) => {
    const app = await lockedOwnedApp(ctx, tx, ownerUserId, appId);
    if (app.perm_distributions !== 1) refuse({ code: 'distributions_disabled', field: ['account'] });
    const accountId = await resolveDistributionAccount(tx, app.owner_user_id, value, now, ['account']);
    const added = await insertDistributionAccount(tx, appId, accountId, now);
    if (added && (await countDistributionAccounts(tx, appId)) > MAX_DISTRIBUTION_ACCOUNTS) throw problem(['account'], 'distributionAccountsFull');
    return { added, accountId };
  });
}

/**
 * Withdraw an account's authorization: intents not yet executed that distribute to it are
 * refused at execution. Allowed without the permission; removing one not listed changes nothing.
 */
export async function removeDistributionAccount(ctx: Ctx, ownerUserId: string, appId: string, accountId: string): Promise<{ removed: boolean }> {
  return runCommand(ctx, undefined, async ({ tx }) => {
    await lockedOwnedApp(ctx, tx, ownerUserId, appId);
    return { removed: await deleteDistributionAccount(tx, appId, accountId) };
  });
}

/** The app's authorized accounts, oldest authorization first (then by account id), as the console lists them. */
export async function distributionAccounts(db: Db | Tx, appId: string): Promise<string[]> {
  const rows = await findDistributionAccounts(db, appId);
  return rows.map((r) => r.account_id);
}
