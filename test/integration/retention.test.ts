// The retention worker on both databases: what is past its use goes (expired tokens and
// sessions, sign-in counters past their window, idempotency keys past 24 h, finished webhook
// deliveries and attempts past the horizon), what is not stays and keeps working, and every
// statement deletes a bounded batch.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { authenticateBearer, issueToken } from '../../src/modules/apps/index.ts';
import { isRefused } from '../../src/kernel/refusals.ts';
import { authenticateLimited, createSession, findSession, getUser } from '../../src/modules/identity/index.ts';
import { ensureDemo, type DemoDocument } from '../../src/modules/sandbox/index.ts';
import { watchStatements } from '../../src/store/db.ts';
import { pruneExpired } from '../../src/workers/retention.ts';
import { availableBackends, openTestPlatform, type TestPlatform } from '../helpers.ts';

const DAY = 24 * 3600 * 1000;

for (const backend of await availableBackends()) {
  describe(`retention (${backend})`, () => {
    let platform: TestPlatform;
    let demo: DemoDocument;
    before(async () => {
      platform = await openTestPlatform({ backend });
      demo = await ensureDemo(platform.ctx);
    });
    after(async () => platform?.close());

    const db = () => platform.ctx.store.db;
    const now = () => platform.ctx.clock.now();
    const count = async (table: 'oauth_tokens' | 'sessions' | 'sign_in_failures' | 'idempotency_keys' | 'webhook_deliveries' | 'webhook_attempts') =>
      Number(
        (
          await db()
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    async function deliveryFinishedAt(completedAt: number | null, attempts: number) {
      const eventId = randomUUID();
      await db()
        .insertInto('events')
        .values({
          id: eventId,
          type: 'payment.created',
          object_type: 'payment',
          object_id: 'P1',
          owner_user_id: null,
          app_id: null,
          payload: '{}',
          created_at: completedAt ?? 0,
        })
        .execute();
      const id = randomUUID();
      await db()
        .insertInto('webhook_deliveries')
        .values({
          id,
          event_id: eventId,
          target: 'notification_url',
          target_key: `url:${id}`,
          endpoint_id: null,
          app_id: null,
          owner_user_id: null,
          url: 'https://shop.example.com/hook',
          status: completedAt === null ? 'pending' : 'succeeded',
          attempts,
          cycle_attempts: attempts,
          cycle_started_at: completedAt ?? 0,
          next_attempt_at: completedAt ?? 0,
          claimed_until: null,
          claim_token: null,
          last_status_code: 200,
          last_error: null,
          last_attempt_at: completedAt,
          completed_at: completedAt,
          created_at: completedAt ?? 0,
        })
        .execute();
      for (let n = 1; n <= attempts; n++) {
        await db()
          .insertInto('webhook_attempts')
          .values({
            id: randomUUID(),
            delivery_id: id,
            number: n,
            request_id: randomUUID(),
            url: 'https://shop.example.com/hook',
            started_at: completedAt ?? 0,
            status_code: 200,
            error: null,
            latency_ms: 5,
            response_body: 'ok',
            succeeded: 1,
            worker_id: 'test',
          })
          .execute();
      }
      return id;
    }

    test('expired tokens and sessions go; unexpired ones stay and still work', async () => {
      const client = { client_id: demo.merchant.app.clientId, client_secret: demo.merchant.app.clientSecret };
      const old = await issueToken(platform.ctx, { grant_type: 'urn:client_apps', ...client }, undefined, ['urn:client_apps']);
      const user = (await db().selectFrom('users').select('id').where('username', '=', demo.merchant.username).executeTakeFirstOrThrow()).id;
      const oldSession = await createSession(platform.ctx, await getUser(db(), user));
      await platform.ctx.clock.advance((2 * DAY) / 1000);
      const fresh = await issueToken(platform.ctx, { grant_type: 'urn:client_apps', ...client }, undefined, ['urn:client_apps']);
      const freshSession = await createSession(platform.ctx, await getUser(db(), user));
      const tokensBefore = await count('oauth_tokens');

      const { deleted } = await pruneExpired(platform.ctx);
      assert.equal(deleted.oauth_tokens, 1, 'the access token expired two days ago (its refresh token lives 30 days)');
      assert.equal(deleted.sessions, 1);
      assert.equal(await count('oauth_tokens'), tokensBefore - 1);

      assert.equal(typeof (await authenticateBearer(platform.ctx, fresh.accessToken)), 'object', 'an unexpired access token still works');
      assert.equal(typeof (await authenticateBearer(platform.ctx, demo.merchant.app.accessToken)), 'object', 'the app token (no expiry) stays');
      assert.equal(await authenticateBearer(platform.ctx, old.accessToken), 'unknown');
      const refreshed = await issueToken(platform.ctx, { grant_type: 'refresh_token', refresh_token: old.refreshToken, ...client }, undefined, [
        'refresh_token',
      ]);
      assert.ok(refreshed.accessToken, 'the old pair’s refresh token (unexpired) still refreshes');
      assert.equal(await findSession(platform.ctx, oldSession.token), undefined);
      assert.equal((await findSession(platform.ctx, freshSession.token))?.user.id, user, 'an unexpired session still works');
    });

    test('sign-in failure counters go once their window has passed; current ones stay and still count', async () => {
      for (let i = 0; i < 3; i++) assert.equal(await authenticateLimited(platform.ctx, 'alguien-viejo', 'x', '198.51.100.1'), undefined);
      await platform.ctx.clock.advance(16 * 60);
      for (let i = 0; i < 10; i++) assert.equal(await authenticateLimited(platform.ctx, 'alguien-nuevo', 'x', '198.51.100.2'), undefined);
      const before = await count('sign_in_failures');
      const { deleted } = await pruneExpired(platform.ctx);
      assert.equal(deleted.sign_in_failures, 3, 'the old name’s counter, its (name, source) counter and its source’s counter');
      assert.equal(await count('sign_in_failures'), before - 3);
      await assert.rejects(authenticateLimited(platform.ctx, 'alguien-nuevo', 'x', '198.51.100.2'), (e) => isRefused(e, 'too_many_attempts'));
    });

    test('idempotency keys past 24 h go, in batches of the configured size', async () => {
      const t = await now();
      await db().deleteFrom('idempotency_keys').execute();
      const row = (key: string, createdAt: number) => ({
        scope: 'test',
        key,
        request_hash: 'h',
        state: 'done' as const,
        status_code: 200,
        response_body: '{}',
        content_type: 'application/json',
        created_at: createdAt,
      });
      await db()
        .insertInto('idempotency_keys')
        .values(Array.from({ length: 30 }, (_, i) => row(`old-${i}`, t - DAY - 1000 - i)))
        .execute();
      await db()
        .insertInto('idempotency_keys')
        .values(Array.from({ length: 5 }, (_, i) => row(`new-${i}`, t - DAY + 60_000)))
        .execute();
      const { result, statements } = await watchStatements(platform.ctx.store, () => pruneExpired(platform.ctx, { batchSize: 7 }));
      assert.equal(result.deleted.idempotency_keys, 30);
      const deletes = statements.filter((s) => /^delete from "idempotency_keys"/i.test(s));
      assert.equal(deletes.length, 5, '7 + 7 + 7 + 7 + 2: one statement per batch of at most 7');
      for (const s of deletes) assert.match(s, /limit/i);
      const left = await db().selectFrom('idempotency_keys').select('key').orderBy('key').execute();
      assert.deepEqual(
        left.map((r) => r.key),
        ['new-0', 'new-1', 'new-2', 'new-3', 'new-4'],
      );
    });

    test('finished webhook deliveries and their attempts past the horizon go; newer and pending ones stay', async () => {
      const t = await now();
      const horizonMs = 30 * DAY;
      const old = [];
      for (let i = 0; i < 4; i++) old.push(await deliveryFinishedAt(t - horizonMs - DAY, 3));
      const recent = await deliveryFinishedAt(t - horizonMs + DAY, 2);
      const pending = await deliveryFinishedAt(null, 1);
      const { result, statements } = await watchStatements(platform.ctx.store, () => pruneExpired(platform.ctx, { batchSize: 5 }));
      assert.equal(result.deleted.webhook_attempts, 12);
      assert.equal(result.deleted.webhook_deliveries, 4);
      assert.equal(statements.filter((s) => /^delete from "webhook_attempts"/i.test(s)).length, 3, '5 + 5 + 2');
      const ids = (await db().selectFrom('webhook_deliveries').select('id').execute()).map((r) => r.id).sort();
      assert.deepEqual(ids, [recent, pending].sort());
      assert.equal(await count('webhook_attempts'), 3);
      for (const id of old) assert.equal((await db().selectFrom('webhook_attempts').select('id').where('delivery_id', '=', id).execute()).length, 0);
      // RETENTION_DAYS is the default horizon
      assert.equal(platform.ctx.config.retentionDays, 30);
    });

    test('the pruning yields between batches: other queries run while a backlog is pruned', async () => {
      const t = await now();
      await db()
        .insertInto('idempotency_keys')
        .values(
          Array.from({ length: 40 }, (_, i) => ({
            scope: 'yield',
            key: `k-${i}`,
            request_hash: 'h',
            state: 'done' as const,
            status_code: 200,
            response_body: '{}',
            content_type: 'application/json',
            created_at: t - 2 * DAY,
          })),
        )
        .execute();
      let pruneDone = false;
      const pruning = pruneExpired(platform.ctx, { batchSize: 2 }).then((r) => ((pruneDone = true), r));
      const read = await db().selectFrom('users').select('id').limit(1).execute();
      assert.equal(read.length, 1);
      assert.equal(pruneDone, false, 'a read started meanwhile finished before the pruning did');
      assert.equal((await pruning).deleted.idempotency_keys, 40);
    });
  });
}
