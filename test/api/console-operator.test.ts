// The operator's console API on a production deployment: requests waiting for it (approve, or
// reject with a reason the merchant reads), permission requests, user locks (sessions end,
// sign-in refused), affiliation codes and the ledger verifier run on demand — and that none of
// it answers anybody but the operator.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { configuredBackend, http, startTestServer, type HttpAnswer, type TestServer } from '../helpers.ts';
import { createApp, login, operatorSession, PASSWORD, registerBusiness, registerPerson, type SessionAuth } from './core-fixtures.ts';

let server: TestServer;
let operator: SessionAuth;
before(async () => {
  server = await startTestServer({ env: { PASARELA_ENV: 'production' } });
  operator = await operatorSession(server);
});
after(async () => {
  await server.close();
});

const as = (session: SessionAuth) => ({ headers: session.headers });

async function productionApp() {
  const user = await registerBusiness(server);
  const session = await login(server, user.username);
  const app = await createApp(server, session);
  return { user, session, app };
}

test('only the operator reaches the operator routes: every one the OpenAPI document lists', async () => {
  const { session, app } = await productionApp();
  const document = await http(server.url, 'GET', '/openapi.json');
  assert.equal(document.status, 200);
  const routes = Object.entries(document.body.paths as Record<string, Record<string, unknown>>)
    .filter(([path]) => path.startsWith('/console/api/operator/'))
    .flatMap(([path, operations]) => Object.keys(operations).map((method) => [method.toUpperCase(), path] as const));
  // The document lists every registered route (openapi.test.ts): this is all of them, however many there are.
  assert.ok(routes.length >= 14, `only ${routes.length} operator routes found`);
  for (const [method, template] of routes) {
    const path = template
      .replace(/\{id\}/g, app.id)
      .replace(/\{permission\}/g, 'payouts')
      .replace(/\{[^}]+\}/g, 'x');
    // A body no route's schema takes: the session is checked before the body (onRequest), so the
    // answer is the refusal, never a 400 that tells a stranger what the body should be.
    const json = method === 'GET' || method === 'DELETE' ? undefined : [{ reason: 'no' }];
    const mine = await http(server.url, method, path, { ...as(session), json });
    assert.equal(mine.status, 403, `${method} ${path} with a merchant's session: ${mine.text}`);
    const nobody = await http(server.url, method, path, { json });
    assert.equal(nobody.status, 401, `${method} ${path} without a session: ${nobody.text}`);
  }
});

test('an activation request is listed, rejected with a reason the merchant reads, asked again and approved', async () => {
  const { session, app } = await productionApp();
  const asked = await http(server.url, 'POST', `/console/api/apps/${app.id}/activation-request`, as(session));
  assert.equal(asked.status, 200, asked.text);
  const pending = await http(server.url, 'GET', '/console/api/operator/requests', as(operator));
  const mine = pending.body.data.find((r: { appId: string }) => r.appId === app.id);
  assert.equal(mine?.subject, 'activation');

  const noReason = await http(server.url, 'POST', `/console/api/operator/apps/${app.id}/activation/reject`, { ...as(operator), json: { reason: '  ' } });
  assert.equal(noReason.status, 400, noReason.text);
  assert.match(noReason.text, /motivo del rechazo/);
  const reason = 'Falta el RIF en la página de inicio.';
  const rejected = await http(server.url, 'POST', `/console/api/operator/apps/${app.id}/activation/reject`, { ...as(operator), json: { reason } });
  assert.equal(rejected.status, 200, rejected.text);
  assert.equal(rejected.body.app.ready, false);
  assert.equal(rejected.body.app.activationRequestedAt, null);
  const again = await http(server.url, 'POST', `/console/api/operator/apps/${app.id}/activation/reject`, { ...as(operator), json: { reason } });
  assert.equal(again.status, 400, 'a decided request is not decided twice');
  assert.match(again.text, /ya no está pendiente/);

  const seen = await http(server.url, 'GET', `/console/api/apps/${app.id}/requests`, as(session));
  assert.deepEqual(
    seen.body.data.map((r: { subject: string; state: string; reason: string }) => [r.subject, r.state, r.reason]),
    [['activation', 'rejected', reason]],
  );
  const listed = await http(server.url, 'GET', '/console/api/operator/requests', as(operator));
  assert.ok(!listed.body.data.some((r: { appId: string }) => r.appId === app.id), 'no longer waiting');

  await http(server.url, 'POST', `/console/api/apps/${app.id}/activation-request`, as(session));
  const pendingAgain = await http(server.url, 'GET', `/console/api/apps/${app.id}/requests`, as(session));
  assert.equal(pendingAgain.body.data[0].state, 'pending');
  const activated = await http(server.url, 'POST', `/console/api/operator/apps/${app.id}/activate`, as(operator));
  assert.equal(activated.body.app.ready, true);
  const done = await http(server.url, 'GET', `/console/api/apps/${app.id}/requests`, as(session));
  assert.equal(done.body.data[0].state, 'approved');
});

test(
  'two operators rejecting one activation request at once: one wins, the other is told it is no longer pending',
  // SQLite runs one write transaction at a time: the race is PostgreSQL's (read committed).
  { skip: configuredBackend() === 'postgres' ? false : 'PostgreSQL only: SQLite serializes the two transactions' },
  async () => {
    const { session, app } = await productionApp();
    assert.equal((await http(server.url, 'POST', `/console/api/apps/${app.id}/activation-request`, as(session))).status, 200);
    const reject = () =>
      http(server.url, 'POST', `/console/api/operator/apps/${app.id}/activation/reject`, { ...as(operator), json: { reason: 'Falta el RIF.' } });
    // Hold the app's row: both rejections read it pending, then wait to write; released, both go on.
    let both: Promise<HttpAnswer[]> | undefined;
    await server.ctx.store.db.transaction().execute(async (tx) => {
      await sql`update oauth_apps set name = name where id = ${app.id}`.execute(tx);
      both = Promise.all([reject(), reject()]);
      await new Promise((resolve) => setTimeout(resolve, 500));
    });
    const answers = await both!;
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 400], answers.map((a) => a.text).join(' | '));
    assert.match(answers.find((a) => a.status === 400)!.text, /ya no está pendiente/);
  },
);

test('permission requests: asked by the owner only, approved (enabled at once) or rejected with a reason', async () => {
  const { session, app } = await productionApp();
  const other = await productionApp();
  const stranger = await http(server.url, 'POST', `/console/api/apps/${app.id}/permission-requests`, { ...as(other.session), json: { permission: 'payouts' } });
  assert.equal(stranger.status, 404, 'another owner’s app is not found');
  const bad = await http(server.url, 'POST', `/console/api/apps/${app.id}/permission-requests`, { ...as(session), json: { permission: 'everything' } });
  assert.equal(bad.status, 400);
  for (const permission of ['payouts', 'billing_api']) {
    const asked = await http(server.url, 'POST', `/console/api/apps/${app.id}/permission-requests`, { ...as(session), json: { permission } });
    assert.equal(asked.status, 201, asked.text);
  }
  const pending = await http(server.url, 'GET', '/console/api/operator/requests', as(operator));
  const subjects = pending.body.data.filter((r: { appId: string }) => r.appId === app.id).map((r: { subject: string }) => r.subject);
  assert.deepEqual(subjects.sort(), ['billing_api', 'payouts']);

  const approved = await http(server.url, 'POST', `/console/api/operator/apps/${app.id}/permission-requests/payouts/approve`, as(operator));
  assert.equal(approved.status, 200, approved.text);
  assert.equal(approved.body.app.permissions.payouts, true);
  const twice = await http(server.url, 'POST', `/console/api/operator/apps/${app.id}/permission-requests/payouts/approve`, as(operator));
  assert.equal(twice.status, 400);
  const already = await http(server.url, 'POST', `/console/api/apps/${app.id}/permission-requests`, { ...as(session), json: { permission: 'payouts' } });
  assert.equal(already.status, 400);
  assert.match(already.text, /ya tiene este permiso/);

  const rejected = await http(server.url, 'POST', `/console/api/operator/apps/${app.id}/permission-requests/billing_api/reject`, {
    ...as(operator),
    json: { reason: 'Envíe primero el contrato de facturación.' },
  });
  assert.equal(rejected.status, 200, rejected.text);
  assert.equal(rejected.body.app.permissions.billingApi, false);
  const seen = await http(server.url, 'GET', `/console/api/apps/${app.id}/requests`, as(session));
  const byOperator = await http(server.url, 'GET', `/console/api/operator/apps/${app.id}/requests`, as(operator));
  assert.deepEqual(byOperator.body, seen.body);
  const billing = seen.body.data.find((r: { subject: string }) => r.subject === 'billing_api');
  assert.deepEqual([billing.state, billing.reason], ['rejected', 'Envíe primero el contrato de facturación.']);
  const unknown = await http(server.url, 'POST', `/console/api/operator/apps/${app.id}/permission-requests/distributions/approve`, as(operator));
  assert.equal(unknown.status, 400, 'never asked for: nothing to approve');
  const noApp = await http(server.url, 'POST', `/console/api/operator/apps/nope/permission-requests/payouts/approve`, as(operator));
  assert.equal(noApp.status, 404);
  for (const action of ['approve', 'reject']) {
    const noSuch = await http(server.url, 'POST', `/console/api/operator/apps/${app.id}/permission-requests/everything/${action}`, {
      ...as(operator),
      json: { reason: 'No.' },
    });
    assert.equal(noSuch.status, 404, `an unknown permission names no request (${action}): ${noSuch.text}`);
    assert.match(noSuch.body.message, /Permiso desconocido/);
  }
});

test('a permission switched on from the permissions form answers its pending request; a decision on it is refused', async () => {
  const { session, app } = await productionApp();
  for (const permission of ['distributions', 'payouts']) {
    const asked = await http(server.url, 'POST', `/console/api/apps/${app.id}/permission-requests`, { ...as(session), json: { permission } });
    assert.equal(asked.status, 201, asked.text);
  }
  const patched = await http(server.url, 'PATCH', `/console/api/operator/apps/${app.id}/permissions`, { ...as(operator), json: { distributions: true } });
  assert.equal(patched.status, 200, patched.text);

  const queue = await http(server.url, 'GET', '/console/api/operator/requests', as(operator));
  const waiting = queue.body.data.filter((r: { appId: string }) => r.appId === app.id).map((r: { subject: string }) => r.subject);
  assert.deepEqual(waiting, ['payouts'], 'the enabled permission no longer waits');
  const seen = await http(server.url, 'GET', `/console/api/apps/${app.id}/requests`, as(session));
  const states = Object.fromEntries(seen.body.data.map((r: { subject: string; state: string }) => [r.subject, r.state]));
  assert.deepEqual(states, { distributions: 'approved', payouts: 'pending' });

  for (const action of ['approve', 'reject']) {
    const decided = await http(server.url, 'POST', `/console/api/operator/apps/${app.id}/permission-requests/distributions/${action}`, {
      ...as(operator),
      json: { reason: 'Ya no hace falta.' },
    });
    assert.equal(decided.status, 400, `${action}: ${decided.text}`);
    assert.match(decided.text, /ya tiene este permiso/);
  }
  // An operator who switches it off and on again: the answered request stays answered.
  await http(server.url, 'PATCH', `/console/api/operator/apps/${app.id}/permissions`, { ...as(operator), json: { distributions: false } });
  const after = await http(server.url, 'GET', `/console/api/apps/${app.id}/requests`, as(session));
  assert.equal(after.body.data.find((r: { subject: string }) => r.subject === 'distributions').state, 'approved');
});

test('a locked user’s sessions end and it cannot sign in until unlocked; the operator cannot be locked', async () => {
  const person = await registerPerson(server);
  const session = await login(server, person.username);
  const found = await http(server.url, 'GET', `/console/api/operator/users?q=${encodeURIComponent(person.username.toUpperCase())}`, as(operator));
  assert.equal(found.status, 200, found.text);
  assert.deepEqual(
    found.body.data.map((u: { id: string; locked: boolean }) => [u.id, u.locked]),
    [[person.id, false]],
  );
  const wildcard = await http(server.url, 'GET', '/console/api/operator/users?q=%25', as(operator));
  assert.deepEqual(wildcard.body.data, [], '% is searched as itself');

  const locked = await http(server.url, 'POST', `/console/api/operator/users/${person.id}/lock`, as(operator));
  assert.equal(locked.status, 200, locked.text);
  assert.equal(locked.body.user.locked, true);
  const ended = await http(server.url, 'GET', '/console/api/me', as(session));
  assert.equal(ended.status, 401, 'the session ended');
  const signIn = await http(server.url, 'POST', '/console/api/session', { json: { login: person.username, password: PASSWORD } });
  assert.equal(signIn.status, 403, signIn.text);
  assert.match(signIn.text, /bloqueada/);
  const wrong = await http(server.url, 'POST', '/console/api/session', { json: { login: person.username, password: 'otra-clave-mala' } });
  assert.equal(wrong.status, 401, 'a wrong password does not learn of the lock');

  const unlocked = await http(server.url, 'POST', `/console/api/operator/users/${person.id}/unlock`, as(operator));
  assert.equal(unlocked.body.user.locked, false);
  await login(server, person.username);

  const me = await http(server.url, 'GET', '/console/api/me', as(operator));
  const self = await http(server.url, 'POST', `/console/api/operator/users/${me.body.user.id}/lock`, as(operator));
  assert.equal(self.status, 403, self.text);
  const missing = await http(server.url, 'POST', '/console/api/operator/users/nobody/lock', as(operator));
  assert.equal(missing.status, 404);
});

test('a locked owner gets no token by password grant until unlocked', async () => {
  const { user, app } = await productionApp();
  await http(server.url, 'POST', `/console/api/operator/apps/${app.id}/activate`, as(operator));
  const grant = () =>
    http(server.url, 'POST', '/oauth/v2/token', {
      form: { grant_type: 'password', client_id: app.clientId, client_secret: app.clientSecret, username: user.username, password: PASSWORD },
    });
  assert.equal((await grant()).status, 200);
  await http(server.url, 'POST', `/console/api/operator/users/${user.id}/lock`, as(operator));
  const refused = await grant();
  assert.equal(refused.status, 400, refused.text);
  assert.equal(refused.body.error, 'invalid_grant');
  await http(server.url, 'POST', `/console/api/operator/users/${user.id}/unlock`, as(operator));
  assert.equal((await grant()).status, 200);
});

test('affiliation codes: issued by the operator, listed with who used them', async () => {
  const issued = await http(server.url, 'POST', '/console/api/operator/affiliation-codes', as(operator));
  assert.equal(issued.status, 201, issued.text);
  const user = await registerBusiness(server, { affiliationCode: issued.body.regular });
  const list = await http(server.url, 'GET', '/console/api/operator/affiliation-codes', as(operator));
  const regular = list.body.data.find((c: { code: string }) => c.code === issued.body.regular);
  const commercial = list.body.data.find((c: { code: string }) => c.code === issued.body.commercial);
  assert.equal(regular.usedBy, user.username);
  assert.ok(regular.usedAt);
  assert.deepEqual([commercial.type, commercial.usedBy], ['commercial', null]);
});

test('the ledger verifier runs on demand, finds a broken balance and keeps its last result', async () => {
  const before = await http(server.url, 'GET', '/console/api/operator/ledger/verification', as(operator));
  assert.equal(before.status, 200);
  const clean = await http(server.url, 'POST', '/console/api/operator/ledger/verification', as(operator));
  assert.equal(clean.status, 200, clean.text);
  assert.deepEqual([clean.body.verification.ok, clean.body.verification.total], [true, 0]);

  const person = await registerPerson(server);
  await sql`update accounts set balance_minor = balance_minor + 1 where id = ${person.walletId}`.execute(server.ctx.store.db);
  try {
    const broken = await http(server.url, 'POST', '/console/api/operator/ledger/verification', as(operator));
    assert.equal(broken.body.verification.ok, false);
    assert.deepEqual(
      broken.body.verification.problems.map((p: { kind: string; id: string }) => [p.kind, p.id]),
      [['balance_mismatch', person.walletId]],
    );
    const last = await http(server.url, 'GET', '/console/api/operator/ledger/verification', as(operator));
    assert.deepEqual(last.body.verification, broken.body.verification);
  } finally {
    await sql`update accounts set balance_minor = balance_minor - 1 where id = ${person.walletId}`.execute(server.ctx.store.db);
  }
});
