export type { Posting } from './model.ts';
export { accountFacts, postEntry, SYSTEM_ACCOUNTS, systemAccountId, walletAccount, walletAccountId } from './service.ts';
export { findAccountOwner, findAccountsOpened, findEntryPostings, findWalletIds, findWalletsOfOwners } from './lookup-repo.ts';
