// A list costs the same number of SQL statements for a page of 1 as for a page of 100: the
// page's rows, then each kind of related row for the whole page at once. Counted over HTTP with
// the store's statement hook, on SQLite and (when there) PostgreSQL.
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { solidPng } from '../../src/modules/apps/png.ts';
import { createApp } from '../../src/modules/apps/service.ts';
import { getUser, type UserRow } from '../../src/modules/identity/users.ts';
import { registerPayoutItem, submitPayoutBatch } from '../../src/modules/payouts/index.ts';
import { ensureDemo } from '../../src/modules/sandbox/demo.ts';
import { approveSale, createIntent, executeSale } from '../../src/modules/wallet-intents/index.ts';
import { fundWallet } from '../../src/modules/wallets/service.ts';
import { createEndpoint, Dispatcher } from '../../src/modules/webhooks/index.ts';
import { watchStatements } from '../../src/store/db.ts';
import { parseIntentForm } from '../../src/http/wallet-api/intent-reader.ts';
import { checkItemFields } from '../../src/http/wallet-api/payout-reader.ts';
import { availableBackends, http, startTestServer, type TestServer } from '../helpers.ts';
import { consoleSession, createMerchant, type Merchant } from '../webhook-fixtures.ts';

const PAGE = 100;

function saleForm() {
  return parseIntentForm(saleFields(), randomUUID);
}

function saleFields() {
  return {
    intent: 'sale',
    redirectUrls: { returnUrl: 'https://shop.example.test/ok', cancelUrl: 'https://shop.example.test/cancel' },
    transactions: [{ amount: { total: '2', currency: 'VES' }, description: 'Compra', items: [{ name: 'artículo', price: '2' }] }],
  };
}

function requestForm(recipient: string) {
  return parseIntentForm({ ...saleFields(), intent: 'request', recipient }, randomUUID);
}

interface World {
  /** 100 executed sales (payer, payment), their payments and webhook deliveries; 99 submitted payout batches and one pending. */
  seller: Merchant;
  sellerSession: Record<string, string>;
  /** 100 open requests (recipient, pay tokens); one app. */
  biller: Merchant;
  billerSession: Record<string, string>;
  /** 100 apps, with logos. */
  developerSession: Record<string, string>;
}

async function seed(server: TestServer): Promise<World> {
  const { ctx } = server;
  const demo = await ensureDemo(ctx);
  const buyer: UserRow = await getUser(ctx.store.db, demo.buyers[0]!.id);
  await fundWallet(ctx, { account: buyer.username, amount: '100000' });

  const seller = await createMerchant(ctx);
  for (let i = 0; i < PAGE; i++) {
    const intent = await createIntent(ctx, { user: seller.user, app: seller.app }, saleForm());
    await approveSale(ctx, intent.row.id, buyer);
    await executeSale(ctx, seller.user.id, intent.row.id, buyer.id);
  }
  // Deliveries of the seller's events to one endpoint (fanned out, never sent).
  await createEndpoint(ctx, seller.user.id, seller.app.id, { url: 'https://hooks.example.test/in', eventTypes: ['*'] });
  const dispatcher = new Dispatcher(ctx);
  while ((await dispatcher.fanOut()) > 0);
  await dispatcher.close();
  // Payout batches, the newest pending upload (its fee is an estimate: more to read).
  const caller = { userId: seller.user.id, appId: seller.app.id };
  const item = (n: number) => ({
    reference: `pago-${n}`,
    nameAccount: 'Pedro Perez',
    identificationNumber: 'V12345678',
    bankAccount: '01340032610321098765',
    amount: '1',
  });
  for (let i = 0; i < PAGE; i++) {
    await registerPayoutItem(ctx, caller, checkItemFields('DISPERSION', item(i)));
    if (i < PAGE - 1) {
      const batch = await ctx.store.db
        .selectFrom('payout_batches')
        .select('id')
        .where('owner_user_id', '=', seller.user.id)
        .where('state', '=', 'pending_upload')
        .executeTakeFirstOrThrow();
      await submitPayoutBatch(ctx, seller.user.id, batch.id);
    }
  }

  const biller = await createMerchant(ctx);
  for (let i = 0; i < PAGE; i++) await createIntent(ctx, { user: biller.user, app: biller.app }, requestForm(buyer.username));

  const developer = await createMerchant(ctx);
  for (let i = 1; i < PAGE; i++) {
    await createApp(ctx, developer.user.id, { name: `App ${i}`, description: 'prueba', homepageUrl: 'https://example.test', logo: solidPng(8, 8, [i, 0, 0]) });
  }

  return {
    seller,
    sellerSession: await consoleSession(server.url, seller),
    biller,
    billerSession: await consoleSession(server.url, biller),
    developerSession: await consoleSession(server.url, developer),
  };
}

for (const backend of await availableBackends()) {
  describe(`lists cost a fixed number of statements (${backend})`, () => {
    let server: TestServer;
    let w: World;
    before(async () => {
      // Every page reads its bearer token: with the token cache on, the first page alone would.
      server = await startTestServer({ backend, env: { AUTH_CACHE_MS: '0' } });
      w = await seed(server);
    });
    after(async () => server?.close());

    /** The statements one GET sends, and its answer. */
    async function measure(path: string, options: { token?: string; headers?: Record<string, string> }) {
      // The clock re-reads its offset once a second: keep that read out of the count.
      await server.ctx.clock.load();
      const { result, statements } = await watchStatements(server.ctx.store, () => http(server.url, 'GET', path, options));
      assert.equal(result.status, 200, result.text);
      return { body: result.body, statements };
    }

    /** A page of 1 and a page of 100 of the same list cost the same. */
    async function samePerPage(
      pathFor: (size: number) => string,
      options: { token?: string; headers?: Record<string, string> },
      items: (body: any) => unknown[],
    ) {
      const one = await measure(pathFor(1), options);
      const hundred = await measure(pathFor(PAGE), options);
      assert.equal(items(one.body).length, 1);
      assert.equal(items(hundred.body).length, PAGE);
      assert.equal(
        hundred.statements.length,
        one.statements.length,
        `page of ${PAGE}:\n${hundred.statements.join('\n')}\n\npage of 1:\n${one.statements.join('\n')}`,
      );
      return hundred.statements;
    }

    test('payment intents: executed sales (payer, payment)', async () => {
      await samePerPage(
        (n) => `/api/payment-intent/.json?maxPerPage=${n}`,
        { token: w.seller.accessToken },
        (b) => b.data,
      );
    });

    test('payment intents: open requests (recipient, pay tokens)', async () => {
      const one = await measure('/api/payment-intent/.json?maxPerPage=1', { token: w.biller.accessToken });
      assert.equal(one.body.data[0].pay_tokens.length, 1);
      await samePerPage(
        (n) => `/api/payment-intent/.json?maxPerPage=${n}`,
        { token: w.biller.accessToken },
        (b) => b.data,
      );
    });

    test('payments', async () => {
      await samePerPage(
        (n) => `/api/payment/.json?maxPerPage=${n}`,
        { token: w.seller.accessToken },
        (b) => b.data,
      );
    });

    test('payout batches, the newest pending upload', async () => {
      const statements = await samePerPage(
        (n) => `/console/api/payout-batches?limit=${n}`,
        { headers: w.sellerSession },
        (b) => b.data,
      );
      assert.ok(
        statements.some((s) => s.includes('"fee_rules"')),
        'the pending batch estimates its fee',
      );
    });

    test('apps: one owner with 1, another with 100; no logo read', async () => {
      const one = await measure('/console/api/apps', { headers: w.billerSession });
      const hundred = await measure('/console/api/apps', { headers: w.developerSession });
      assert.equal(one.body.data.length, 1);
      assert.equal(hundred.body.data.length, PAGE);
      assert.equal(hundred.body.data.filter((a: { hasLogo: boolean }) => a.hasLogo).length, PAGE - 1);
      assert.equal(hundred.statements.length, one.statements.length, hundred.statements.join('\n'));
      const readsLogo = hundred.statements.filter((s) => s.includes('"oauth_apps"') && (/select \*|"oauth_apps"\.\*/.test(s) || s.includes('"logo_png"')));
      assert.deepEqual(readsLogo, []);
    });

    test('webhook deliveries', async () => {
      await samePerPage(
        (n) => `/console/api/apps/${w.seller.app.id}/webhook-deliveries?limit=${n}`,
        { headers: w.sellerSession },
        (b) => b.data,
      );
    });
  });
}
