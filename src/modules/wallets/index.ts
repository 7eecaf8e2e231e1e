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
