// A route whose console-session check runs after its body is parsed would answer a stranger
// with its schema's 400; the server refuses to start with such a route (sessionChecksFirst).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import type { Ctx } from '../../src/platform/context.ts';
import { requireSession, sessionChecksFirst } from '../../src/http/shared/auth.ts';

const ctx = {} as Ctx;

for (const stage of ['preParsing', 'preValidation', 'preHandler'] as const) {
  test(`a session check given as ${stage} stops the server from starting`, async () => {
    const app = Fastify();
    sessionChecksFirst(app);
    assert.throws(() => app.post('/x', { [stage]: requireSession(ctx) }, async () => ({})), /session check runs in/);
    await app.close();
  });
}

test('a session check given as onRequest, or in a list beside others, is where it belongs', async () => {
  const app = Fastify();
  sessionChecksFirst(app);
  app.post('/a', { onRequest: requireSession(ctx) }, async () => ({}));
  app.post('/b', { onRequest: [async () => {}, requireSession(ctx, { operator: true })] }, async () => ({}));
  assert.throws(() => app.post('/c', { preHandler: [async () => {}, requireSession(ctx)] }, async () => ({})), /POST \/c/);
  await app.ready();
  await app.close();
});
