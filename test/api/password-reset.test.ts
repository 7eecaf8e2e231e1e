// "¿Olvidó su contraseña?" against real servers: a sandbox without a mail server answers the link
// to show on screen, for test accounts only; with one (and always in production) it goes by mail
// through a real SMTP server (smtp-server, on loopback), after the answer, and is never answered. The answer is the same for an unknown account; the link works once,
// for 30 minutes; the new password replaces the old and every session of the account ends.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { http, startTestServer, type TestServer } from '../helpers.ts';
import { ensureDemo } from '../../src/modules/sandbox/demo.ts';
import { login, registerPerson } from './core-fixtures.ts';

interface Mail {
  to: string[];
  text: string;
}

let sandbox: TestServer;
let production: TestServer;
let smtpPort = 0;
let smtp: SMTPServer;
const inbox: Mail[] = [];

before(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let text = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (text += chunk));
      stream.on('end', () => {
        inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), text });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  sandbox = await startTestServer();
  production = await startTestServer({
    env: { PASARELA_ENV: 'production', SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, MAIL_FROM: 'Pasarela <no-reply@pasarela.test>' },
  });
});
after(async () => {
  await sandbox?.close();
  await production?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

const ask = (server: TestServer, loginName: string) => http(server.url, 'POST', '/console/api/password-reset', { json: { login: loginName } });
const confirm = (server: TestServer, token: string, password: string) =>
  http(server.url, 'POST', '/console/api/password-reset/confirm', { json: { token, password } });
const tokenOf = (link: string) => new URL(link).searchParams.get('token')!;

/** A test account of the sandbox (a test user: the kind whose link a sandbox shows on screen). */
async function testAccount(): Promise<{ username: string; password: string }> {
  const demo = await ensureDemo(sandbox.ctx);
  const made = await http(sandbox.url, 'POST', '/users/test_user', { json: { site_id: 'MLV' }, token: demo.merchant.app.accessToken });
  assert.equal(made.status, 201, made.text);
  return { username: made.body.nickname, password: made.body.password };
}

/** The mail goes out after the answer: wait for it (a few seconds at most). */
async function mailTo(address: string): Promise<Mail> {
  for (let i = 0; i < 100; i++) {
    const mail = inbox.find((m) => m.to.includes(address));
    if (mail) return mail;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no mail to ${address}`);
}

test('sandbox: a test account’s link is answered; it sets a new password once, and ends every session and every other link', async () => {
  const person = await testAccount();
  const session = await login(sandbox, person.username, person.password);
  const other = await ask(sandbox, person.username);
  const asked = await ask(sandbox, person.username);
  assert.equal(asked.status, 202, asked.text);
  assert.ok(asked.body.link.startsWith(`${sandbox.config.publicUrl}/console/reset-password?token=`), asked.body.link);
  const unknown = await ask(sandbox, 'nadie-tiene-esta-cuenta');
  assert.equal(unknown.status, 202);
  assert.deepEqual(unknown.body, { sent: true });
  // A merchant's or a person's link is never handed to whoever asks, even in a sandbox.
  const real = await registerPerson(sandbox);
  assert.deepEqual((await ask(sandbox, real.username)).body, { sent: true });

  const short = await confirm(sandbox, tokenOf(asked.body.link), 'corta');
  assert.equal(short.status, 400);
  assert.match(short.text, /al menos 8 caracteres/);
  const done = await confirm(sandbox, tokenOf(asked.body.link), 'una-clave-nueva-1');
  assert.equal(done.status, 204, done.text);
  assert.equal((await http(sandbox.url, 'GET', '/console/api/me', { headers: session.headers })).status, 401, 'the old session ended');
  assert.equal((await http(sandbox.url, 'POST', '/console/api/session', { json: { login: person.username, password: person.password } })).status, 401);
  assert.equal((await http(sandbox.url, 'POST', '/console/api/session', { json: { login: person.username, password: 'una-clave-nueva-1' } })).status, 200);
  const again = await confirm(sandbox, tokenOf(asked.body.link), 'otra-clave-nueva-2');
  assert.equal(again.status, 400);
  assert.match(again.text, /no es válido, ya se usó o venció/);
  assert.equal((await confirm(sandbox, tokenOf(other.body.link), 'otra-clave-nueva-3')).status, 400, 'the other link went with it');
});

test('a link lasts 30 minutes; two uses at once set one password', async () => {
  const person = await testAccount();
  const late = (await ask(sandbox, person.username)).body.link;
  await sandbox.ctx.clock.advance(30 * 60 + 1);
  assert.equal((await confirm(sandbox, tokenOf(late), 'una-clave-nueva-1')).status, 400);
  const link = (await ask(sandbox, person.username)).body.link;
  const answers = await Promise.all(['clave-numero-uno', 'clave-numero-dos'].map((p) => confirm(sandbox, tokenOf(link), p)));
  assert.deepEqual(answers.map((a) => a.status).sort(), [204, 400]);
  const won = answers[0]!.status === 204 ? 'clave-numero-uno' : 'clave-numero-dos';
  assert.equal((await http(sandbox.url, 'POST', '/console/api/session', { json: { login: person.username, password: won } })).status, 200);
});

test('production: the link goes by mail to the account’s address and is never answered', async () => {
  const person = await registerPerson(production);
  const asked = await ask(production, person.identification);
  assert.equal(asked.status, 202, asked.text);
  assert.deepEqual(asked.body, { sent: true });
  const mail = await mailTo(`${person.username}@example.com`);
  // The body is quoted-printable: soft line breaks and =XX bytes.
  const body = Buffer.from(
    mail.text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');
  assert.match(body, /restablecer la contraseña de su cuenta Pasarela/);
  const link = /https?:\/\/\S+\/console\/reset-password\?token=[\w-]+/.exec(body)?.[0];
  assert.ok(link, body);
  assert.equal((await confirm(production, tokenOf(link), 'clave-de-produccion-1')).status, 204);
  assert.equal(
    (await http(production.url, 'POST', '/console/api/session', { json: { login: person.username, password: 'clave-de-produccion-1' } })).status,
    200,
  );
  const before = inbox.length;
  assert.deepEqual((await ask(production, 'nadie-tiene-esta-cuenta')).body, { sent: true });
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(inbox.length, before, 'nothing sent for an unknown account');
});

test('a sandbox with a mail server mails the link and never shows it; a mail server that is down changes nothing in the answer', async () => {
  const shared = await startTestServer({ env: { SMTP_URL: `smtp://127.0.0.1:${smtpPort}` } });
  const down = await startTestServer({ env: { PASARELA_ENV: 'production', SMTP_URL: 'smtp://127.0.0.1:1' } });
  try {
    const person = await registerPerson(shared);
    const asked = await ask(shared, person.username);
    assert.deepEqual(asked.body, { sent: true }, 'no link on screen where anyone could ask for anyone’s');
    await mailTo(`${person.username}@example.com`);
    const someone = await registerPerson(down);
    const started = performance.now();
    const answer = await ask(down, someone.username);
    assert.equal(answer.status, 202, answer.text);
    assert.deepEqual(answer.body, { sent: true });
    assert.ok(performance.now() - started < 2000, 'the answer does not wait for the mail server');
  } finally {
    await shared.close();
    await down.close();
  }
});

test('production without a mail server refuses clearly; a page elsewhere cannot ask; a client asking too often waits', async () => {
  const bare = await startTestServer({ env: { PASARELA_ENV: 'production' } });
  try {
    const refused = await ask(bare, 'alguien');
    assert.equal(refused.status, 403);
    assert.match(refused.body.message, /no configuró el servidor de correo/);
  } finally {
    await bare.close();
  }
  const foreign = await http(sandbox.url, 'POST', '/console/api/password-reset', { json: { login: 'x' }, headers: { origin: 'https://evil.example' } });
  assert.equal(foreign.status, 403);
  const person = await testAccount();
  const answers = [];
  for (let i = 0; i < 12; i++) answers.push(await ask(sandbox, person.username));
  assert.equal(answers.filter((a) => a.status === 429).length > 0, true, 'limited per client address');
  assert.equal(answers.filter((a) => a.status === 202 && a.body.link).length, 3, 'three links per account and hour');
});
