export {
  fundWallet,
  listMovements,
  listWallets,
  openWallet,
  resolveWallet,
  sendMoney,
  topUpTo,
  type MovementPage,
  type MovementView,
  type SendMoneyInput,
  type Transfer,
  type WalletView,
} from './service.ts';
export { topUpProblems, transferProblems, WALLET_MESSAGES, type TransferFields } from './rules.ts';
