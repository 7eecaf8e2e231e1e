// Registration through the console API: people and businesses, the affiliation code a business
// needs (regular, unused, claimed once even under concurrency), and the phone and
// identification rules.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CODES_PATH, CODES_TOKEN } from '../../src/http/sandbox/routes.ts';
import { http, startTestServer, type TestServer } from '../helpers.ts';
import { affiliationCodes, login, nextIdentity, PASSWORD } from './core-fixtures.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

function body(overrides: Record<string, string> = {}) {
  const who = nextIdentity();
  return {
    type: 'person',
    username: who.username,
    password: PASSWORD,
    email: `${who.username}@example.com`,
    phone: who.phone,
    identification: who.identification,
    name: 'Ana Pérez',
    pin: '1234',
    ...overrides,
  };
}

const register = (json: Record<string, string>) => http(server.url, 'POST', '/console/api/register', { json });

function fieldErrors(answer: { status: number; body: any; text: string }): Record<string, string[]> {
  assert.equal(answer.status, 400, answer.text);
  assert.equal(answer.body.code, 400);
  assert.equal(answer.body.message, 'Validation Failed');
  return Object.fromEntries(Object.entries(answer.body.errors.children as Record<string, { errors: string[] }>).map(([k, v]) => [k, v.errors]));
}

describe('people', () => {
  test('a person registers with a VES wallet at zero and can sign in', async () => {
    const input = body({ phone: '+58 414-555-0101', identification: 'v-12.345.678' });
    const answer = await register(input);
    assert.equal(answer.status, 201, answer.text);
    assert.equal(answer.body.user.type, 'person');
    assert.equal(answer.body.user.phone, '584145550101');
    assert.equal(answer.body.user.identification, 'V12345678');
    assert.deepEqual(
      answer.body.wallets.map((w: { currency: string; balance: string }) => [w.currency, w.balance]),
      [['VES', '0.00']],
    );
    assert.ok(!answer.text.includes(PASSWORD) && !answer.text.includes('scrypt'), 'no password or hash in the answer');
    // sign in by username, phone or identification
    for (const name of [input.username, '584145550101', 'V12345678']) await login(server, name);
  });

  test('phone 58 + 10 digits and identification V|E|J|G|P + digits, with Spanish messages', async () => {
    for (const phone of ['04141234567', '5841412345', '584141234567890', '57414123456', 'telefono']) {
      assert.deepEqual(fieldErrors(await register(body({ phone }))).phone, ['El teléfono debe tener el formato 58 seguido de 10 dígitos.'], phone);
    }
    for (const identification of ['X12345678', '12345678', 'V12', 'VV12345678', 'V1234567A']) {
      assert.deepEqual(
        fieldErrors(await register(body({ identification }))).identification,
        ['La identificación debe comenzar por V, E, J, G o P seguida de dígitos.'],
        identification,
      );
    }
    for (const prefix of ['V', 'E', 'J', 'G', 'P']) {
      const who = nextIdentity();
      const answer = await register(body({ identification: `${prefix}${who.identification.slice(1)}` }));
      assert.equal(answer.status, 201, `${prefix}: ${answer.text}`);
    }
    // every wrong field is reported at once
    const all = fieldErrors(
      await register({ type: 'person', username: 'a', password: 'corta', email: 'no-es-correo', phone: '1', identification: '2', name: '' }),
    );
    assert.deepEqual(Object.keys(all).sort(), ['email', 'identification', 'name', 'password', 'phone', 'username']);
  });

  test('username, phone and identification are unique (also written differently)', async () => {
    const first = body();
    assert.equal((await register(first)).status, 201);
    assert.deepEqual(fieldErrors(await register(body({ username: first.username.toUpperCase() }))).username, ['Este usuario ya está registrado.']);
    const spacedPhone = `+${first.phone.slice(0, 2)} ${first.phone.slice(2, 5)}-${first.phone.slice(5)}`;
    assert.deepEqual(fieldErrors(await register(body({ phone: spacedPhone }))).phone, ['Este teléfono ya está registrado.']);
    const dottedId = `${first.identification[0]!.toLowerCase()}-${first.identification.slice(1)}`;
    assert.deepEqual(fieldErrors(await register(body({ identification: dottedId }))).identification, ['Esta identificación ya está registrada.']);
  });

  test('concurrent registrations of one username: one wins, the other gets a 400 (never 500)', async () => {
    const a = body();
    const b = body({ username: a.username });
    const answers = await Promise.all([register(a), register(b)]);
    assert.deepEqual(answers.map((x) => x.status).sort(), [201, 400], answers.map((x) => x.text).join('\n'));
  });
});

describe('businesses', () => {
  test('the sandbox link gives fresh regular and commercial codes with its fixed token only', async () => {
    const one = await http(server.url, 'GET', `${CODES_PATH}?access_token=${CODES_TOKEN}`);
    const two = await http(server.url, 'GET', `${CODES_PATH}?access_token=${CODES_TOKEN}`);
    assert.equal(one.status, 200);
    assert.deepEqual(Object.keys(one.body).sort(), ['commercial', 'regular']);
    assert.match(one.body.regular, /^[A-Za-z0-9]{8}$/);
    assert.notEqual(one.body.regular, two.body.regular);
    assert.notEqual(one.body.regular, one.body.commercial);
    for (const query of ['', '?access_token=', `?access_token=${CODES_TOKEN.slice(0, -1)}x`, `?access_token=${CODES_TOKEN}0`]) {
      assert.equal((await http(server.url, 'GET', CODES_PATH + query)).status, 401, query);
    }
  });

  test('a business needs an unused regular code', async () => {
    const codes = await affiliationCodes(server);
    const business = (overrides: Record<string, string> = {}) =>
      body({ type: 'business', identification: `J${nextIdentity().identification.slice(1)}`, ...overrides });
    const invalid = ['El código de afiliación no es válido o ya fue usado.'];

    assert.match(fieldErrors(await register(business())).affiliationCode![0]!, /obligatorio/);
    assert.deepEqual(fieldErrors(await register(business({ affiliationCode: codes.commercial }))).affiliationCode, invalid, 'commercial code');
    assert.deepEqual(fieldErrors(await register(business({ affiliationCode: 'NOEXISTE' }))).affiliationCode, invalid, 'unknown code');

    // a refused registration leaves nothing behind: the same person registers once the code is right
    const retry = business();
    assert.deepEqual(fieldErrors(await register({ ...retry, affiliationCode: codes.commercial })).affiliationCode, invalid);
    const ok = await register({ ...retry, affiliationCode: codes.regular });
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.body.user.type, 'business');

    assert.deepEqual(fieldErrors(await register(business({ affiliationCode: codes.regular }))).affiliationCode, invalid, 'reused code');
    // a person does not need (nor use up) a code
    assert.equal((await register(body({ affiliationCode: (await affiliationCodes(server)).regular }))).status, 201);
  });

  test('two concurrent registrations with one code: exactly one succeeds', async () => {
    for (let round = 0; round < 3; round++) {
      const { regular } = await affiliationCodes(server);
      const inputs = Array.from({ length: 3 }, () =>
        body({ type: 'business', identification: `J${nextIdentity().identification.slice(1)}`, affiliationCode: regular }),
      );
      const answers = await Promise.all(inputs.map(register));
      const statuses = answers.map((a) => a.status).sort();
      assert.deepEqual(statuses, [201, 400, 400], answers.map((a) => a.text).join('\n'));
      for (const loser of answers.filter((a) => a.status === 400)) {
        assert.deepEqual(fieldErrors(loser).affiliationCode, ['El código de afiliación no es válido o ya fue usado.']);
      }
      const used = await server.ctx.store.db.selectFrom('affiliation_codes').selectAll().where('code', '=', regular).executeTakeFirstOrThrow();
      const winner = answers.find((a) => a.status === 201)!;
      assert.equal(used.used_by_user_id, winner.body.user.id);
      // the losers were not created
      const created = await server.ctx.store.db
        .selectFrom('users')
        .select('id')
        .where(
          'username',
          'in',
          inputs.map((i) => i.username),
        )
        .execute();
      assert.deepEqual(
        created.map((u) => u.id),
        [winner.body.user.id],
      );
    }
  });
});
