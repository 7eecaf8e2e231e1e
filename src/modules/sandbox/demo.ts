// Sandbox demo data: an operator, a merchant with a ready app, and funded buyers.
// Idempotent and safe beside a running server: the credentials are planned once (a sealed
// settings row every process agrees on), then each piece is found or created.
import { ValidationError } from '../../kernel/errors.ts';
import { isRefused, refuse } from '../../kernel/refusals.ts';
import { parseAmount } from '../../kernel/money.ts';
import type { Ctx } from '../../platform/context.ts';
import { createAppOnce, findFirstAppOfOwner, revealCredentials, setPermissionsOnce, solidPng, type AppRow } from '../apps/index.ts';
import { ensureOperator } from '../identity/index.ts';
import { randomToken } from '../../platform/secrets.ts';
import { claimSetting } from '../../store/settings.ts';
import { announcedPublicUrl } from '../../platform/public-url.ts';
import { findUserByUsername, issueAffiliationCodes, registerUser, type UserRow } from '../identity/index.ts';
import { listWallets, topUpTo } from '../wallets/index.ts';
import { ensureDemoTerminal } from '../point/index.ts';
import { virtualTerminalUrl } from './virtual-terminal.ts';

const BUYER_FUNDS = '1000000.00';

interface DemoPlan {
  merchant: { username: string; password: string; pin: string; phone: string; identification: string; name: string };
  buyers: { username: string; password: string; pin: string; phone: string; identification: string; name: string; cardholder: string }[];
}

export interface DemoDocument {
  baseUrl: string;
  environment: string;
  operator: { username: string; password: string };
  merchant: {
    username: string;
    password: string;
    accountId: string;
    app: { clientId: string; clientSecret: string; publicKey: string; accessToken: string };
  };
  buyers: { id: string; username: string; password: string; pin: string; phone: string; identification: string; cardholder: string }[];
  /** The demo merchant's virtual POS terminal; `credential` is what the device-side API takes, `virtualTerminalUrl` its page (credential in the fragment). */
  devices: { id: string; operatingMode: string; credential: string; virtualTerminalUrl: string }[];
}

function plan(): DemoPlan {
  return {
    merchant: { username: 'pepitos-house', password: randomToken(9), pin: '1234', phone: '584125550000', identification: 'J255500006', name: 'Pepitos House' },
    buyers: [
      {
        username: 'comprador1',
        password: randomToken(9),
        pin: '1111',
        phone: '584125550001',
        identification: 'V19123456',
        name: 'María Pérez',
        cardholder: 'APRO',
      },
      {
        username: 'comprador2',
        password: randomToken(9),
        pin: '1111',
        phone: '584125550002',
        identification: 'V19123457',
        name: 'José González',
        cardholder: 'APRO',
      },
    ],
  };
}

async function findOrRegister(find: () => Promise<UserRow | undefined>, register: () => Promise<UserRow>): Promise<UserRow> {
  const existing = await find();
  if (existing) return existing;
  try {
    return await register();
  } catch (error) {
    // Another `demo` run created it between our look and our insert.
    if (error instanceof ValidationError || isRefused(error, 'already_registered')) {
      const again = await find();
      if (again) return again;
    }
    throw error;
  }
}

export async function ensureDemo(ctx: Ctx): Promise<DemoDocument> {
  if (ctx.config.environment !== 'sandbox') refuse({ code: 'sandbox_only' });
  const operator = await ensureOperator(ctx);
  const demo: DemoPlan = JSON.parse(ctx.keys.open(await claimSetting(ctx.store.db, 'demo_plan', ctx.keys.seal(JSON.stringify(plan())))));
  const byUsername = (username: string) => () => findUserByUsername(ctx.store.db, username);

  const m = demo.merchant;
  const merchant = await findOrRegister(byUsername(m.username), async () => {
    const codes = await issueAffiliationCodes(ctx);
    return registerUser(ctx, {
      type: 'business',
      username: m.username,
      password: m.password,
      pin: m.pin,
      email: `${m.username}@demo.pasarela.local`,
      phone: m.phone,
      identification: m.identification,
      name: m.name,
      affiliationCode: codes.regular,
    });
  });
  const buyers: DemoDocument['buyers'] = [];
  for (const b of demo.buyers) {
    const user = await findOrRegister(byUsername(b.username), () =>
      registerUser(
        ctx,
        {
          type: 'person',
          username: b.username,
          password: b.password,
          pin: b.pin,
          email: `${b.username}@demo.pasarela.local`,
          phone: b.phone,
          identification: b.identification,
          name: b.name,
        },
        { isTest: true },
      ),
    );
    // Funded once per buyer: a later `demo` must not move money again (the buyer may have
    // spent some since; topping up again would add entries and surprise whoever is testing).
    await topUpTo(ctx, user.id, 'VES', parseAmount(BUYER_FUNDS, 'VES'), { once: `demo_funded:${user.id}` });
    buyers.push({
      id: user.id,
      username: b.username,
      password: b.password,
      pin: b.pin,
      phone: b.phone,
      identification: b.identification,
      cardholder: b.cardholder,
    });
  }

  const app = await ensureDemoApp(
    ctx,
    merchant.id,
    buyers.map((b) => b.username),
  );
  const merchantWallet = (await listWallets(ctx.store.db, merchant.id)).find((w) => w.currency === 'VES')!;
  const terminalCredential = ctx.keys.open(await claimSetting(ctx.store.db, 'demo_terminal_credential', ctx.keys.seal(randomToken())));
  const terminal = await ensureDemoTerminal(ctx, merchant.id, terminalCredential);
  const baseUrl = await announcedPublicUrl(ctx);
  return {
    baseUrl,
    environment: ctx.config.environment,
    operator: { username: operator.username, password: operator.password },
    merchant: { username: m.username, password: m.password, accountId: merchantWallet.id, app: revealCredentials(ctx, app) },
    buyers,
    devices: [{ ...terminal, credential: terminalCredential, virtualTerminalUrl: virtualTerminalUrl(baseUrl, terminalCredential) }],
  };
}

/**
 * The demo app can make every documented call: payment button, billing API, distributions to
 * the demo buyers' wallets, and payouts. Granted once per deployment (a marker row), so a
 * permission the merchant later turns off stays off.
 */
async function grantEveryPermission(ctx: Ctx, merchantId: string, app: AppRow, distributionAccounts: string[]): Promise<AppRow> {
  return setPermissionsOnce(ctx, 'demo_app_permissions', { userId: merchantId, isOperator: false }, app.id, {
    paymentButton: true,
    billingApi: true,
    distributions: true,
    payouts: true,
    distributionAccounts,
  });
}

async function ensureDemoApp(ctx: Ctx, merchantId: string, distributionAccounts: string[]): Promise<AppRow> {
  const app =
    (await findFirstAppOfOwner(ctx.store.db, merchantId)) ??
    (await createAppOnce(ctx, 'demo_app_creator', merchantId, {
      name: 'Tienda Demo',
      description: 'Aplicación de demostración del ambiente de pruebas',
      homepageUrl: 'http://localhost:4000',
      logo: solidPng(64, 64, [0x1f, 0x6f, 0xeb]),
    }));
  return grantEveryPermission(ctx, merchantId, app, distributionAccounts);
}
