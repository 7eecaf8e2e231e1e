export {
  accountFacts,
  applyAccountChanges,
  postEntry,
  postEntryReleasing,
  SYSTEM_ACCOUNTS,
  systemAccount,
  systemAccountId,
  totalsByCurrency,
  verifyLedger,
  walletAccount,
  walletAccountId,
  type AccountFacts,
  type AccountRow,
  type EntryInput,
  type LedgerDiscrepancy,
  type SystemAccountCode,
} from './service.ts';
export {
  findHold,
  postPending,
  postPendingCommit,
  voidExpiredHolds,
  voidPending,
  type CommitInput,
  type ExpiryOptions,
  type HoldRow,
  type PendingInput,
} from './holds.ts';
export {
  accountChanges,
  assertBalanced,
  commitPostings,
  holdRefusal,
  transferPostings,
  type AccountChange,
  type HoldCredit,
  type HoldState,
  type Posting,
} from './model.ts';
export { findAccountFacts, findMovementsOfOwner, findWalletAccounts, lockAccountBalance, type MovementPosition, type MovementRow } from './repo.ts';
export { findAccountOwner, findAccountsOpened, findEntryPostings, findWalletIds, findWalletsOfOwners } from './lookup-repo.ts';
