// The server's rule tables, by the name that starts their codes ("apps.logoNotPng"; "common." for
// the kernel's): the console says a message with a known code in its own language. Apart from
// messages.ts (whose i18n needs a browser) so that test/unit/console-messages.test.ts checks
// this very map.
import type { RuleLang } from '../../../src/kernel/messages.ts';
import { COMMON_MESSAGES } from '../../../src/kernel/messages.ts';
import { IDENTITY_MESSAGES } from '../../../src/modules/identity/rules.ts';
import { APP_MESSAGES } from '../../../src/modules/apps/rules.ts';
import { WALLET_MESSAGES } from '../../../src/modules/wallets/rules.ts';
import { WEBHOOK_MESSAGES } from '../../../src/modules/webhooks/rules.ts';
import { PAYOUT_MESSAGES } from '../../../src/modules/payouts/rules.ts';
import { FEE_MESSAGES } from '../../../src/modules/fees/rules.ts';
import { POINT_MESSAGES } from '../../../src/modules/point/rules.ts';

export const RULE_TABLES: Readonly<Record<string, Readonly<Record<string, Readonly<Record<RuleLang, string>>>>>> = {
  common: COMMON_MESSAGES,
  identity: IDENTITY_MESSAGES,
  apps: APP_MESSAGES,
  wallets: WALLET_MESSAGES,
  webhooks: WEBHOOK_MESSAGES,
  payouts: PAYOUT_MESSAGES,
  fees: FEE_MESSAGES,
  point: POINT_MESSAGES,
};
