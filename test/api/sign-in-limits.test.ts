// Sign-in limits that a stranger cannot turn against a person: failures are counted per person
// whatever spelling is typed (and per name for unknown names), per client source first, so
// hammering a person's password from one address does not stop that person signing in from
// another; a person-wide ceiling (many sources) spares the sources the person signed in from.
// The password check behind PUT /console/api/pin is counted with sign-ins.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { MAX_FAILURES_PER_ADDRESS, MAX_FAILURES_PER_PERSON, MAX_FAILURES_PER_SOURCE, signInSource } from '../../src/modules/identity/sign-in-limits.ts';
import { http, startTestServer, type TestServer } from '../helpers.ts';
import { login, PASSWORD, registerPerson } from './core-fixtures.ts';

let server: TestServer;
before(async () => {
  // Behind a proxy on loopback: X-Forwarded-For names the client, so a test can speak from many sources.
  server = await startTestServer({ env: { TRUST_PROXY: '127.0.0.1' } });
});
after(async () => {
  await server.close();
});

const signInFrom = (source: string, loginName: string, password: string) =>
  http(server.url, 'POST', '/console/api/session', { json: { login: loginName, password }, headers: { 'x-forwarded-for': source } });

test('failures are counted per person whatever the spelling: username, phone, identification', async () => {
  const user = await registerPerson(server);
  const spellings = [user.username, user.username.toUpperCase(), user.phone, `+${user.phone}`, user.identification, user.identification.toLowerCase()];
  const statuses = [];
  for (let i = 0; i < MAX_FAILURES_PER_SOURCE + 2; i++)
    statuses.push((await signInFrom('198.51.100.7', spellings[i % spellings.length]!, 'no-es-la-clave')).status);
  assert.deepEqual(statuses, [...Array(MAX_FAILURES_PER_SOURCE).fill(401), 429, 429]);
  for (const spelling of spellings) {
    const blocked = await signInFrom('198.51.100.7', spelling, PASSWORD);
    assert.equal(blocked.status, 429, `${spelling}: ${blocked.text}`);
    assert.deepEqual(Object.keys(blocked.body).sort(), ['code', 'message']);
    const retryAfter = Number(blocked.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 15 * 60, `Retry-After ${blocked.headers.get('retry-after')}`);
  }
});

test('unknown names are counted per name like people are (the limit does not tell which names exist)', async () => {
  const known = await registerPerson(server);
  const unknown = `nadie${known.username}`;
  const run = async (name: string) => {
    const statuses = [];
    for (let i = 0; i < MAX_FAILURES_PER_SOURCE + 1; i++)
      statuses.push((await signInFrom('198.51.100.8', i % 2 ? name.toUpperCase() : name, 'no-es-la-clave')).status);
    statuses.push((await signInFrom('198.51.100.9', name, 'no-es-la-clave')).status);
    return statuses;
  };
  const expected = [...Array(MAX_FAILURES_PER_SOURCE).fill(401), 429, 401];
  assert.deepEqual(await run(unknown), expected);
  assert.deepEqual(await run(known.username), expected);
});

test('a stranger hammering a person from one address does not stop the person signing in from another', async () => {
  const victim = await registerPerson(server);
  const answers = await Promise.all(Array.from({ length: 40 }, () => signInFrom('203.0.113.66', victim.username, 'adivinanza')));
  const statuses = answers.map((a) => a.status);
  assert.equal(statuses.filter((s) => s === 401).length, MAX_FAILURES_PER_SOURCE, statuses.join());
  assert.equal(statuses.filter((s) => s === 429).length, 40 - MAX_FAILURES_PER_SOURCE, statuses.join());
  assert.equal((await signInFrom('203.0.113.66', victim.username, PASSWORD)).status, 429, 'the stranger’s address stays refused');

  const own = await signInFrom('192.0.2.10', victim.phone, PASSWORD);
  assert.equal(own.status, 200, own.text);
  // The person's own mistakes from their own address are counted apart from the stranger's.
  for (let i = 0; i < MAX_FAILURES_PER_SOURCE - 1; i++) assert.equal((await signInFrom('192.0.2.10', victim.username, 'me-equivoque')).status, 401);
  assert.equal((await signInFrom('192.0.2.10', victim.username, PASSWORD)).status, 200);
});

test('a burst of right passwords from one address is not refused: checks in flight are not failures', async () => {
  const person = await registerPerson(server);
  const burst = MAX_FAILURES_PER_SOURCE * 3;
  const answers = await Promise.all(Array.from({ length: burst }, () => signInFrom('198.51.100.30', person.username, PASSWORD)));
  assert.deepEqual(
    answers.map((a) => a.status),
    Array(burst).fill(200),
  );
  // Failures in flight still count as they land: a burst of wrong ones meets the limit exactly.
  const wrong = await Promise.all(Array.from({ length: burst }, () => signInFrom('198.51.100.31', person.username, 'adivinanza')));
  const statuses = wrong.map((a) => a.status);
  assert.equal(statuses.filter((s) => s === 401).length, MAX_FAILURES_PER_SOURCE, statuses.join());
  assert.equal(statuses.filter((s) => s === 429).length, burst - MAX_FAILURES_PER_SOURCE, statuses.join());
});

test('an IPv6 client is counted by its /64: fresh addresses in the same /64 are one source', async () => {
  assert.equal(signInSource('2001:db8:1:2:aaaa::1'), signInSource('2001:db8:1:2:ffff:1:2:3'));
  assert.notEqual(signInSource('2001:db8:1:2::1'), signInSource('2001:db8:1:3::1'));
  assert.equal(signInSource('::ffff:198.51.100.1'), '198.51.100.1');
  const victim = await registerPerson(server);
  for (let i = 0; i < MAX_FAILURES_PER_SOURCE; i++) assert.equal((await signInFrom(`2001:db8:7:7::${i + 1}`, victim.username, 'adivinanza')).status, 401);
  assert.equal((await signInFrom('2001:db8:7:7:abcd::99', victim.username, PASSWORD)).status, 429);
  assert.equal((await signInFrom('2001:db8:7:8::1', victim.username, PASSWORD)).status, 200);
});

test('many sources reach the person-wide ceiling: new sources are refused, familiar ones are not', async () => {
  const own = await startTestServer({ env: { TRUST_PROXY: '127.0.0.1' } });
  try {
    const victim = await registerPerson(own);
    const from = (source: string, password: string) =>
      http(own.url, 'POST', '/console/api/session', { json: { login: victim.username, password }, headers: { 'x-forwarded-for': source } });
    assert.equal((await from('192.0.2.44', PASSWORD)).status, 200, 'the person’s usual address');
    const sources = MAX_FAILURES_PER_PERSON / MAX_FAILURES_PER_SOURCE;
    for (let s = 0; s < sources; s++) {
      const answers = await Promise.all(Array.from({ length: MAX_FAILURES_PER_SOURCE }, () => from(`203.0.113.${s + 1}`, 'adivinanza')));
      assert.deepEqual(
        answers.map((a) => a.status),
        Array(MAX_FAILURES_PER_SOURCE).fill(401),
      );
    }
    const stranger = await from('203.0.113.200', 'adivinanza');
    assert.equal(stranger.status, 429, 'a new source past the ceiling is refused before any check');
    const newPlace = await from('198.51.100.200', PASSWORD);
    assert.equal(newPlace.status, 429, 'a new source is refused even with the right password while the ceiling holds');
    assert.ok(Number(newPlace.headers.get('retry-after')) >= 1);
    const familiar = await from('192.0.2.44', PASSWORD);
    assert.equal(familiar.status, 200, `the familiar address still signs in: ${familiar.text}`);
    await own.ctx.clock.advance(15 * 60 + 1);
    assert.equal((await from('198.51.100.200', PASSWORD)).status, 200, 'the ceiling lifts with its window');
  } finally {
    await own.close();
  }
});

test('one address typing many names meets a ceiling; people who signed in from it before are spared', async () => {
  const own = await startTestServer({ env: { TRUST_PROXY: '127.0.0.1' } });
  try {
    const [regular, newcomer] = [await registerPerson(own), await registerPerson(own)];
    const from = (source: string, loginName: string, password: string) =>
      http(own.url, 'POST', '/console/api/session', { json: { login: loginName, password }, headers: { 'x-forwarded-for': source } });
    const shared = '203.0.113.77';
    assert.equal((await from(shared, regular.username, PASSWORD)).status, 200, 'the regular signs in from the shared address');
    const statuses = [];
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS + 2; i++) statuses.push((await from(shared, `nombre-${i}`, 'adivinanza')).status);
    assert.deepEqual(statuses, [...Array(MAX_FAILURES_PER_ADDRESS).fill(401), 429, 429]);

    const refused = await from(shared, newcomer.username, PASSWORD);
    assert.equal(refused.status, 429, 'a person new to the address waits out the window there');
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    assert.equal((await from(shared, regular.phone, PASSWORD)).status, 200, 'the regular is spared');
    assert.equal((await from('198.51.100.77', newcomer.username, PASSWORD)).status, 200, 'other addresses are untouched');
    assert.equal((await from('198.51.100.77', 'nombre-nuevo', 'adivinanza')).status, 401);

    await own.ctx.clock.advance(15 * 60 + 1);
    assert.equal((await from(shared, newcomer.username, PASSWORD)).status, 200, 'the ceiling lifts with its window');
  } finally {
    await own.close();
  }
});

test('addresses that do not parse share one counted source: no way around the ceilings', async () => {
  assert.equal(signInSource('not-an-ip'), signInSource('999.1.1.1'));
  assert.notEqual(signInSource('not-an-ip'), signInSource(undefined), 'not the source of local checks (CLI)');
  // Many names: the per-address ceiling holds for them as for any address.
  const statuses = [];
  for (let i = 0; i < MAX_FAILURES_PER_ADDRESS + 1; i++) statuses.push((await signInFrom(i % 2 ? 'not-an-ip' : 'garbage!', `nadie-${i}`, 'adivinanza')).status);
  assert.deepEqual(statuses, [...Array(MAX_FAILURES_PER_ADDRESS).fill(401), 429]);
});

test('without TRUST_PROXY, X-Forwarded-For is ignored and the socket’s address is the source', async () => {
  const own = await startTestServer();
  try {
    const victim = await registerPerson(own);
    const port = Number(new URL(own.url).port);
    // Real sockets from two loopback addresses, each with a fresh forged X-Forwarded-For.
    const from = (localAddress: string, password: string, i: number) =>
      new Promise<number>((resolve, reject) => {
        const body = JSON.stringify({ login: victim.username, password });
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            localAddress,
            method: 'POST',
            path: '/console/api/session',
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-forwarded-for': `203.0.113.${i % 250}` },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    const statuses = [];
    for (let i = 0; i < MAX_FAILURES_PER_SOURCE + 2; i++) statuses.push(await from('127.0.0.2', 'adivinanza', i));
    assert.deepEqual(statuses, [...Array(MAX_FAILURES_PER_SOURCE).fill(401), 429, 429]);
    assert.equal(await from('127.0.0.3', PASSWORD, 99), 200, 'another address signs in');
  } finally {
    await own.close();
  }
});

test('the password behind PUT /console/api/pin is counted with sign-ins, per person and source', async () => {
  const user = await registerPerson(server);
  const session = await login(server, user.username);
  const headers = (source: string) => ({ ...session.headers, 'x-forwarded-for': source });
  const resetPin = (source: string, password: string) =>
    http(server.url, 'PUT', '/console/api/pin', { json: { password, pin: '4321' }, headers: headers(source) });
  const half = MAX_FAILURES_PER_SOURCE / 2;
  for (let i = 0; i < half; i++) assert.equal((await signInFrom('198.51.100.77', user.identification, 'mala')).status, 401);
  for (let i = 0; i < half; i++) {
    const wrong = await resetPin('198.51.100.77', 'mala');
    assert.equal(wrong.status, 400, wrong.text);
    assert.deepEqual(wrong.body.errors.children.password.errors, ['La contraseña no es correcta.']);
  }
  const blocked = await resetPin('198.51.100.77', PASSWORD);
  assert.equal(blocked.status, 429, blocked.text);
  assert.deepEqual(Object.keys(blocked.body).sort(), ['code', 'message']);
  assert.ok(Number(blocked.headers.get('retry-after')) >= 1);
  assert.equal((await signInFrom('198.51.100.77', user.username, PASSWORD)).status, 429, 'one counter for both');
  // A session held elsewhere (another source) is not stopped.
  assert.equal((await resetPin('192.0.2.77', PASSWORD)).status, 204);
  // Parallel wrong passwords on the PIN reset: at most the limit is ever checked.
  const other = await registerPerson(server);
  const otherSession = await login(server, other.username);
  const answers = await Promise.all(
    Array.from({ length: 25 }, () =>
      http(server.url, 'PUT', '/console/api/pin', {
        json: { password: 'mala', pin: '4321' },
        headers: { ...otherSession.headers, 'x-forwarded-for': '198.51.100.78' },
      }),
    ),
  );
  const statuses = answers.map((a) => a.status);
  assert.equal(statuses.filter((s) => s === 400).length, MAX_FAILURES_PER_SOURCE, statuses.join());
  assert.equal(statuses.filter((s) => s === 429).length, 25 - MAX_FAILURES_PER_SOURCE, statuses.join());
});
