export { ensureDemo, type DemoDocument } from './demo.ts';
export { fundAsMerchant, fundOwnTestWallet, testPayer } from './helpers.ts';
