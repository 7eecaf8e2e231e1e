// The SDK's typed errors, from the server's real answers: the validation tree with field paths
// as the request names them, authentication, permission, not found, conflicts (with the
// refusal's code), and a refused idempotency key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CONFLICT_CODES,
  PasarelaAuthenticationError,
  PasarelaConflictError,
  PasarelaInvalidRequestError,
  PasarelaNotFoundError,
  Pasarela,
  PasarelaPermissionError,
  PasarelaRateLimitError,
  PasarelaValidationError,
} from '../../packages/sdk/src/index.ts';
import { ensureDemo } from '../../src/modules/sandbox/demo.ts';
import { startTestServer } from '../helpers.ts';
import type { Refusal } from '../../src/kernel/refusals.ts';
import { spanishRefusal } from '../../src/http/shared/refusals.ts';
import { createMerchant } from '../webhook-fixtures.ts';
import { saleParams, useSdkWorld, type SdkWorld } from './fixtures.ts';

let world: SdkWorld;
let pasarela: Pasarela;
useSdkWorld((w) => {
  world = w;
  pasarela = w.client();
});

test('a validation error carries the tree, each message under the field as the request names it', async () => {
  const params = saleParams();
  const error = await pasarela.paymentIntents
    .create({ ...params, redirectUrls: { returnUrl: '', cancelUrl: params.redirectUrls.cancelUrl }, transactions: [{ ...params.transactions[0]!, items: [] }] })
    .then(
      () => assert.fail('accepted'),
      (e: unknown) => e,
    );
  assert.ok(error instanceof PasarelaValidationError, String(error));
  assert.ok(error instanceof PasarelaInvalidRequestError);
  assert.equal(error.statusCode, 400);
  assert.equal(error.code, undefined, 'a malformed field is no refusal');
  assert.deepEqual(error.errors.children?.redirectUrls?.children?.returnUrl?.errors, ['La URI de retorno es obligatoria.']);
  assert.deepEqual(
    error.fieldErrors.map((e) => e.path.join('.')),
    ['redirectUrls.returnUrl', 'transactions.0.items'],
  );
  assert.match(error.message, /^Validation Failed: redirectUrls\.returnUrl: La URI de retorno es obligatoria\.; transactions\.0\.items: /);
  assert.match(error.requestId ?? '', /.+/);
});

test('a refusal about the amount is a validation error with its code (insufficient funds)', async () => {
  const buyer = world.demo.buyers[0]!;
  const params = saleParams();
  const big = { ...params, transactions: [{ ...params.transactions[0]!, amount: { total: '99999999.00' } }] };
  const intent = await pasarela.paymentIntents.create(big);
  const { payerId } = await pasarela.sandbox.approve(intent.id, { payer: buyer.username });
  const error = await pasarela.paymentIntents.executeSale(intent.id, { payer: payerId }).catch((e: unknown) => e);
  assert.ok(error instanceof PasarelaValidationError, String(error));
  assert.equal(error.code, 'insufficient_funds');
  assert.equal(error.formErrors.length, 1);
});

test('conflicts: executing twice, annulling twice, executing what the buyer has not approved', async () => {
  const buyer = world.demo.buyers[0]!;
  const intent = await pasarela.paymentIntents.create(saleParams());
  const notYet = await pasarela.paymentIntents.executeSale(intent.id, { payer: buyer.id }).catch((e: unknown) => e);
  assert.ok(notYet instanceof PasarelaConflictError, String(notYet));
  assert.equal(notYet.code, 'intent_not_approved');
  assert.equal(notYet.statusCode, 400, 'the contract answers 400 "Validation Failed"');
  assert.deepEqual(notYet.formErrors, ['El pagador aún no aprobó la intención de pago.']);

  const { payerId } = await pasarela.sandbox.approve(intent.id, { payer: buyer.username });
  await pasarela.paymentIntents.executeSale(intent.id, { payer: payerId });
  const twice = await pasarela.paymentIntents.executeSale(intent.id, { payer: payerId }).catch((e: unknown) => e);
  assert.ok(twice instanceof PasarelaConflictError, String(twice));
  assert.equal(twice.code, 'intent_executed');

  await pasarela.paymentIntents.annul(intent.id);
  const annulTwice = await pasarela.paymentIntents.annul(intent.id).catch((e: unknown) => e);
  assert.ok(annulTwice instanceof PasarelaConflictError, String(annulTwice));
  assert.equal(annulTwice.code, 'already_annulled');
});

test('one idempotency key: the same request is answered once; another request with it is a conflict', async () => {
  const key = `order-${Date.now()}`;
  const first = await pasarela.paymentIntents.create(saleParams('Pedido con clave'), { idempotencyKey: key });
  assert.equal(first.lastResponse.idempotencyKey, key);
  assert.equal(first.lastResponse.idempotentReplayed, false);
  const replay = await pasarela.paymentIntents.create(saleParams('Pedido con clave'), { idempotencyKey: key });
  assert.equal(replay.id, first.id);
  assert.equal(replay.lastResponse.idempotentReplayed, true);

  const other = await pasarela.paymentIntents.create(saleParams('Otro pedido'), { idempotencyKey: key }).catch((e: unknown) => e);
  assert.ok(other instanceof PasarelaConflictError, String(other));
  assert.equal(other.code, 'idempotency_key_reused');
  await assert.rejects(pasarela.paymentIntents.create(saleParams(), { idempotencyKey: 'con espacios' }), TypeError);
});

test('not found: another id, or another merchant’s object', async () => {
  const error = await pasarela.paymentIntents.retrieve('00000000-0000-0000-0000-000000000000').catch((e: unknown) => e);
  assert.ok(error instanceof PasarelaNotFoundError, String(error));
  assert.equal(error.statusCode, 404);
  assert.ok(typeof (error.body as { message?: unknown }).message === 'string');
  await assert.rejects(pasarela.payments.retrieve('P0000000000000'), PasarelaNotFoundError);

  const mine = await pasarela.paymentIntents.create(saleParams());
  const stranger = await createMerchant(world.server.ctx);
  const theirs = world.client({ clientId: undefined, clientSecret: undefined, accessToken: stranger.accessToken });
  await assert.rejects(theirs.paymentIntents.retrieve(mine.id), PasarelaNotFoundError);
});

test('authentication: wrong keys, a wrong fixed token; permission: a sandbox helper for someone who is not a test user', async () => {
  const wrongKeys = world.client({ clientSecret: 'not-the-secret' });
  const error = await wrongKeys.profile.retrieve().catch((e: unknown) => e);
  assert.ok(error instanceof PasarelaAuthenticationError, String(error));
  assert.equal(error.code, 'invalid_client');
  assert.equal(error.statusCode, 401);

  const wrongToken = world.client({ clientId: undefined, clientSecret: undefined, accessToken: 'TEST-not-a-token' });
  const refused = await wrongToken.profile.retrieve().catch((e: unknown) => e);
  assert.ok(refused instanceof PasarelaAuthenticationError, String(refused));
  assert.equal(refused.statusCode, 401);

  const fixed = world.client({ clientId: undefined, clientSecret: undefined, accessToken: world.demo.merchant.app.accessToken });
  assert.equal((await fixed.profile.retrieve()).username, world.demo.merchant.username, 'the app’s own token works as it is');

  const intent = await pasarela.paymentIntents.create(saleParams());
  const denied = await pasarela.sandbox.approve(intent.id, { payer: world.demo.merchant.username }).catch((e: unknown) => e);
  assert.ok(denied instanceof PasarelaPermissionError, String(denied));
  assert.equal(denied.code, 'test_user_required');
});

test('bad options are refused when the client is made', () => {
  const keys = { clientId: 'a', clientSecret: 'b' };
  assert.throws(() => world.client({ environment: 'production', baseUrl: undefined }), /baseUrl is required in production/);
  assert.throws(() => world.client({ environment: 'production', baseUrl: 'http://pay.example.com' }), /https/);
  assert.throws(() => world.client({ baseUrl: 'ftp://x' }), /http/);
  assert.throws(() => world.client({ clientSecret: '' }), /clientId and clientSecret are required/);
  assert.throws(() => world.client({ ...keys, accessToken: 'TEST-x' }), /not both/);
  assert.throws(() => world.client({ clientId: undefined, clientSecret: undefined, accessToken: 'APP_USR-x' }), /production token/);
  assert.throws(() => world.client({ maxNetworkRetries: -1 }), /maxNetworkRetries/);
  assert.throws(() => world.client({ timeoutMs: 0 }), /timeoutMs must be a whole number ≥ 1/);
  assert.equal(world.client({ baseUrl: undefined }).baseUrl, 'http://localhost:3000', 'sandbox default: what npm start serves');
});

test('too many tokens: a rate-limit error that says when to try again', async () => {
  const limited = await startTestServer({ env: { TOKEN_RATE_LIMIT: '1', TOKEN_RATE_WINDOW_SECONDS: '600' } });
  try {
    const { app } = (await ensureDemo(limited.ctx)).merchant;
    const client = () => new Pasarela({ clientId: app.clientId, clientSecret: app.clientSecret, baseUrl: limited.url });
    await client().profile.retrieve();
    const error = await client()
      .profile.retrieve()
      .catch((e: unknown) => e);
    assert.ok(error instanceof PasarelaRateLimitError, String(error));
    assert.equal(error.code, 'temporarily_unavailable');
    assert.ok(error.retryAfterSeconds! > 0 && error.retryAfterSeconds! <= 600, String(error.retryAfterSeconds));
  } finally {
    await limited.close();
  }
});

test('the conflict codes are refusal codes of the server', () => {
  // Type-checked: each is a code of the closed list…
  const codes: readonly Refusal['code'][] = CONFLICT_CODES;
  // …and the Spanish families answer each in the "Validation Failed" tree.
  for (const code of codes) assert.equal(spanishRefusal({ code } as Refusal).kind, 'form', code);
});
