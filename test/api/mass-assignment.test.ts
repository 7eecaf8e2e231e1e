// Mass assignment: registration accepts only its documented fields, in every encoding and in
// both environments; `users.is_test` is set only by the sandbox's own seeding (the demo buyers),
// never from the wire — not even when a caller of the service passes the field along.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureDemo } from '../../src/modules/sandbox/demo.ts';
import { registerUser } from '../../src/modules/identity/users.ts';
import { http, startTestServer, type TestServer } from '../helpers.ts';
import { nextIdentity, PASSWORD } from './core-fixtures.ts';

function person(extra: Record<string, unknown> = {}) {
  const who = nextIdentity();
  return {
    type: 'person',
    username: who.username,
    password: PASSWORD,
    email: `${who.username}@example.com`,
    phone: who.phone,
    identification: who.identification,
    name: 'Ana Pérez',
    ...extra,
  };
}

async function isTest(server: TestServer, username: string): Promise<number | undefined> {
  const row = await server.ctx.store.db.selectFrom('users').select('is_test').where('username', '=', username).executeTakeFirst();
  return row ? Number(row.is_test) : undefined;
}

const EXTRAS: Record<string, unknown>[] = [
  { isTest: true },
  { is_test: 1 },
  { id: '00000000-0000-0000-0000-000000000001' },
  { pin_failed_attempts: -100 },
  { created_at: 0 },
  { password_hash: 'x' },
];

for (const environment of ['sandbox', 'production'] as const) {
  describe(`registration in ${environment}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ env: { PASARELA_ENV: environment } });
    });
    after(async () => server.close());

    test('an undocumented field is refused by name, in JSON, form and multipart, and nothing is stored', async () => {
      for (const extra of EXTRAS) {
        const [field] = Object.keys(extra);
        const body = person(extra);
        const json = await http(server.url, 'POST', '/console/api/register', { json: body });
        assert.equal(json.status, 400, `${field}: ${json.text}`);
        assert.equal(json.body.message, 'Validation Failed');
        assert.deepEqual(json.body.errors.children[field!], { errors: ['Este campo no está permitido.'] }, json.text);
        assert.equal(await isTest(server, body.username), undefined, `${field}: a user was stored`);

        const fields = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, String(v)]));
        const form = await http(server.url, 'POST', '/console/api/register', { form: fields });
        assert.equal(form.status, 400, `form ${field}: ${form.text}`);
        const multipart = new FormData();
        for (const [k, v] of Object.entries(fields)) multipart.set(k, v);
        const parts = await http(server.url, 'POST', '/console/api/register', { multipart });
        assert.equal(parts.status, 400, `multipart ${field}: ${parts.text}`);
        assert.equal(await isTest(server, body.username), undefined);
      }
    });

    test('the documented fields register a user who is not a test user', async () => {
      const body = person();
      const answer = await http(server.url, 'POST', '/console/api/register', { json: body });
      assert.equal(answer.status, 201, answer.text);
      assert.equal(await isTest(server, body.username), 0);
    });

    test('the service ignores an isTest that a caller passes along from a form', async () => {
      const body = person({ isTest: true, is_test: 1 });
      const user = await registerUser(server.ctx, body as never);
      assert.equal(user.is_test, 0);
      assert.equal(await isTest(server, body.username), 0);
    });
  });
}

test('the sandbox’s own seeding still makes its buyers test users', async () => {
  const server = await startTestServer();
  try {
    const demo = await ensureDemo(server.ctx);
    for (const buyer of demo.buyers) assert.equal(await isTest(server, buyer.username), 1, buyer.username);
    assert.equal(await isTest(server, demo.merchant.username), 0);
  } finally {
    await server.close();
  }
});
