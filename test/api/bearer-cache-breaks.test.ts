// Ways to make the bearer cache (modules/apps/bearer.ts) answer a token this process has
// already revoked: writes the table-write hook (store/table-writes.ts) does not connect to the
// cache's forgetting.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { sha256Hex } from '../../src/platform/secrets.ts';
import { startTestServer, type TestServer } from '../helpers.ts';
import { clientToken, merchant, profile } from './core-fixtures.ts';

const servers: TestServer[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

test('PostgreSQL: a revocation committing while the process’s first bearer lookup runs is not served after its commit', async (t) => {
  const server = await startTestServer({ env: { AUTH_CACHE_MS: '60000' } });
  servers.push(server);
  if (server.backend !== 'postgres') return t.skip('SQLite reads and writes on one connection: no such window');
  const { app } = await merchant(server);
  const issued = await clientToken(server, app);
  assert.equal(issued.status, 200, issued.text);
  const token: string = issued.body.access_token;
  // No bearer request yet: the cache (and its listener) do not exist. A revocation is written
  // (the console, an operator's lock) and, before it commits, the first bearer request comes.
  await server.ctx.store.db.transaction().execute(async (tx) => {
    await tx.updateTable('oauth_tokens').set({ revoked_at: Date.now() }).where('token_hash', '=', sha256Hex(token)).execute();
    const during = await profile(server, token);
    assert.equal(during.status, 200, 'the revocation is not committed yet');
  });
  const afterCommit = await profile(server, token);
  assert.equal(afterCommit.status, 401, `revoked in this process, still served from memory: ${afterCommit.text}`);
});
