// The delivery log pages with a cursor: every delivery exactly once, in the order of one long
// page, even when many share a timestamp; the filters hold on every page; a forged cursor is a 400.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendEvent } from '../../src/modules/events/index.ts';
import { createEndpoint, Dispatcher } from '../../src/modules/webhooks/index.ts';
import { inTransaction } from '../../src/store/db.ts';
import { http, startTestServer, type TestServer } from '../helpers.ts';
import { consoleSession, createMerchant } from '../webhook-fixtures.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => server?.close());

test('webhook deliveries page by cursor: all once, same order, ties kept apart, filters kept, bad cursor refused', async () => {
  const merchant = await createMerchant(server.ctx);
  const headers = await consoleSession(server.url, merchant);
  await createEndpoint(server.ctx, merchant.user.id, merchant.app.id, { url: 'https://hooks.example.test/in', eventTypes: ['*'] });
  const now = await server.ctx.clock.now();
  for (let i = 0; i < 7; i++) {
    await inTransaction(server.ctx.store, (tx) =>
      appendEvent(tx, { type: 'payment.created', objectId: `obj-${i}`, ownerUserId: merchant.user.id, appId: merchant.app.id, payload: { i }, now }),
    );
  }
  const dispatcher = new Dispatcher(server.ctx);
  while ((await dispatcher.fanOut()) > 0);
  await dispatcher.close();
  // Five deliveries in one millisecond: the page boundary falls inside the tie.
  const ids = (await server.ctx.store.db.selectFrom('webhook_deliveries').select('id').where('app_id', '=', merchant.app.id).orderBy('id').execute()).map(
    (r) => r.id,
  );
  assert.equal(ids.length, 7);
  await server.ctx.store.db.updateTable('webhook_deliveries').set({ created_at: now }).where('id', 'in', ids.slice(0, 5)).execute();
  await server.ctx.store.db
    .updateTable('webhook_deliveries')
    .set({ created_at: now + 10 })
    .where('id', 'in', ids.slice(5))
    .execute();
  await server.ctx.store.db.updateTable('webhook_deliveries').set({ status: 'failed' }).where('id', 'in', [ids[0]!, ids[3]!, ids[6]!]).execute();

  const base = `/console/api/apps/${merchant.app.id}/webhook-deliveries`;
  const everything = await http(server.url, 'GET', `${base}?limit=200`, { headers });
  assert.equal(everything.status, 200);
  assert.equal(everything.body.nextCursor, null);
  const order = everything.body.data.map((d: { id: string }) => d.id);
  assert.equal(order.length, 7);

  async function walk(query: string): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 20; pages++) {
      const answer: Awaited<ReturnType<typeof http<{ data: { id: string }[]; nextCursor: string | null }>>> = await http(
        server.url,
        'GET',
        `${base}?limit=2${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { headers },
      );
      assert.equal(answer.status, 200, answer.text);
      assert.ok(answer.body.data.length <= 2);
      seen.push(...answer.body.data.map((d: { id: string }) => d.id));
      cursor = answer.body.nextCursor;
      if (!cursor) return seen;
      assert.equal(answer.body.data.length, 2, 'only the last page is short');
    }
    assert.fail('the pages never ended');
  }
  assert.deepEqual(await walk(''), order);
  const failed = await walk('&status=failed');
  assert.deepEqual(
    failed,
    order.filter((id: string) => [ids[0], ids[3], ids[6]].includes(id)),
  );

  // Exactly a page's worth: the last full page says there is no next one.
  const exact = await http(server.url, 'GET', `${base}?limit=7`, { headers });
  assert.equal(exact.body.data.length, 7);
  assert.equal(exact.body.nextCursor, null);

  for (const bad of ['nonsense', Buffer.from('abc|').toString('base64url'), Buffer.from('|x').toString('base64url'), 'x'.repeat(301)]) {
    const answer = await http(server.url, 'GET', `${base}?cursor=${bad}`, { headers });
    assert.equal(answer.status, 400, bad);
    assert.ok(answer.body.errors.children.cursor, answer.text);
  }
  // Another merchant's cursor reads nothing of this app.
  const other = await createMerchant(server.ctx);
  const otherHeaders = await consoleSession(server.url, other);
  const first = await http(server.url, 'GET', `${base}?limit=2`, { headers });
  const foreign = await http(server.url, 'GET', `/console/api/apps/${other.app.id}/webhook-deliveries?cursor=${first.body.nextCursor}`, {
    headers: otherHeaders,
  });
  assert.equal(foreign.status, 200);
  assert.deepEqual(foreign.body.data, []);
});
