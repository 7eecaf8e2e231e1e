export { ensureDemo, type DemoDocument } from './demo.ts';
export { fundAsMerchant, fundOwnTestWallet, testPayer } from './helpers.ts';
export { triggerSandboxEvent, type Triggered } from './trigger.ts';
export { VIRTUAL_TERMINAL_PATH } from './virtual-terminal.ts';
