// Tokens are the SDK's business: obtained with the keys on the first call, reused, renewed
// with the refresh token when the server says the token expired (its clock moved past the
// hour) or just before it expires, one renewal for any number of concurrent calls, and the
// keys again when the refresh token is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FetchLike } from '../../packages/sdk/src/index.ts';
import { recordingFetch, useSdkWorld, type Call, type SdkWorld } from './fixtures.ts';

let world: SdkWorld;
useSdkWorld((w) => {
  world = w;
});

const tokenCalls = (calls: Call[]) => calls.filter((c) => c.path === '/oauth/v2/token');
const grantOf = (call: Call) => new URLSearchParams(call.body).get('grant_type');

test('the first call obtains a token with the keys; later calls reuse it', async () => {
  const { fetch, calls } = recordingFetch();
  const pasarela = world.client({ fetch });
  assert.equal(calls.length, 0, 'nothing is sent before the first call');
  await pasarela.profile.retrieve();
  await pasarela.payments.list();
  await pasarela.paymentIntents.list();
  assert.deepEqual(tokenCalls(calls).map(grantOf), ['urn:client_apps']);
  const bearers = new Set(calls.filter((c) => c.path.startsWith('/api/')).map((c) => c.headers.authorization));
  assert.equal(bearers.size, 1);
  assert.match([...bearers][0]!, /^Bearer TEST-/);
});

test('a token the server says expired is renewed with the refresh token, and the call goes through', async () => {
  const { fetch, calls } = recordingFetch();
  const pasarela = world.client({ fetch });
  await pasarela.profile.retrieve();
  await pasarela.sandbox.advanceClock(3601);
  calls.length = 0;

  const profile = await pasarela.profile.retrieve();
  assert.equal(profile.username, world.demo.merchant.username);
  assert.deepEqual(
    calls.map((c) => [c.method, c.path, c.status]),
    [
      ['GET', '/api/user/profile.json', 401],
      ['POST', '/oauth/v2/token', 200],
      ['GET', '/api/user/profile.json', 200],
    ],
  );
  assert.equal(grantOf(calls[1]!), 'refresh_token');
  assert.notEqual(calls[0]!.headers.authorization, calls[2]!.headers.authorization);
});

test('concurrent calls that find the token expired share one renewal', async () => {
  const { fetch, calls } = recordingFetch();
  const pasarela = world.client({ fetch });
  await pasarela.profile.retrieve();
  await pasarela.sandbox.advanceClock(3601);
  calls.length = 0;

  const answers = await Promise.all(Array.from({ length: 8 }, () => pasarela.profile.retrieve()));
  assert.equal(answers.length, 8);
  // A refresh token used twice would revoke the whole family: exactly one renewal.
  assert.deepEqual(tokenCalls(calls).map(grantOf), ['refresh_token']);
  assert.equal(calls.filter((c) => c.status === 401).length, 8);
});

test('a refused refresh token (expired after 30 days) falls back to the keys', async () => {
  const { fetch, calls } = recordingFetch();
  const pasarela = world.client({ fetch });
  await pasarela.profile.retrieve();
  await pasarela.sandbox.advanceClock(31 * 24 * 3600);
  calls.length = 0;

  await pasarela.profile.retrieve();
  assert.deepEqual(
    tokenCalls(calls).map((c) => [grantOf(c), c.status]),
    [
      ['refresh_token', 400],
      ['urn:client_apps', 200],
    ],
  );
});

test('a token is renewed shortly before it expires, without a refused call', async () => {
  const { fetch: recording, calls } = recordingFetch();
  // The server's tokens live an hour; this one says 2 seconds, so the SDK renews it 1 s in.
  const shortLived: FetchLike = async (url, init) => {
    const response = await recording(url, init);
    if (!url.endsWith('/oauth/v2/token') || response.status !== 200) return response;
    const body = JSON.parse(await response.text()) as Record<string, unknown>;
    return new Response(JSON.stringify({ ...body, expires_in: 2 }), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  const pasarela = world.client({ fetch: shortLived });
  await pasarela.profile.retrieve();
  await pasarela.profile.retrieve();
  assert.equal(tokenCalls(calls).length, 1, 'still fresh');
  await new Promise((resolve) => setTimeout(resolve, 1100));
  calls.length = 0;
  await pasarela.profile.retrieve();
  assert.deepEqual(
    calls.map((c) => [c.path, c.status]),
    [
      ['/oauth/v2/token', 200],
      ['/api/user/profile.json', 200],
    ],
  );
  assert.equal(grantOf(calls[0]!), 'refresh_token');
});

test('a client configured for production refuses the sandbox’s tokens', async () => {
  const pasarela = world.client({ environment: 'production', baseUrl: world.server.url });
  await assert.rejects(pasarela.profile.retrieve(), /sandbox token \(TEST-…\) but the client is configured for production/);
});
