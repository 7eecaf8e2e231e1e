// HTTP fixtures for the platform-core API tests: people and businesses registered through the
// console API, their sessions, OAuth apps and tokens — the way a merchant gets them.
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { solidPng } from '../../src/modules/apps/png.ts';
import { ensureOperator } from '../../src/modules/identity/bootstrap.ts';
import { CODES_PATH, CODES_TOKEN } from '../../src/http/sandbox/routes.ts';
import { issueAffiliationCodes } from '../../src/modules/identity/users.ts';
import { http, type TestServer } from '../helpers.ts';

export const PASSWORD = 'clave-de-prueba-1';
export const PIN = '1234';

// Phones and identifications unique within a test process (every file has its own DB anyway).
let serial = randomInt(1_000_000);
export function nextIdentity() {
  serial += 1;
  const n = String(serial % 10_000_000).padStart(7, '0');
  return { phone: `58414${n}`, identification: `V3${n}`, username: `u${n}` };
}

export interface Registered {
  id: string;
  username: string;
  password: string;
  phone: string;
  identification: string;
  walletId: string;
}

export interface SessionAuth {
  token: string;
  csrf: string;
  headers: Record<string, string>;
}

export interface MerchantApp {
  id: string;
  clientId: string;
  clientSecret: string;
  publicKey: string;
  accessToken: string;
}

export async function registerPerson(server: TestServer, overrides: Record<string, string> = {}): Promise<Registered> {
  const who = nextIdentity();
  const body = {
    type: 'person',
    username: who.username,
    password: PASSWORD,
    email: `${who.username}@example.com`,
    phone: who.phone,
    identification: who.identification,
    name: 'Persona de Prueba',
    pin: PIN,
    ...overrides,
  };
  const answer = await http(server.url, 'POST', '/console/api/register', { json: body });
  assert.equal(answer.status, 201, answer.text);
  return {
    id: answer.body.user.id,
    username: answer.body.user.username,
    password: body.password,
    phone: answer.body.user.phone,
    identification: answer.body.user.identification,
    walletId: answer.body.wallets[0].id,
  };
}

/** Fresh affiliation codes: the sandbox link, or (production, no sandbox routes) from sales. */
export async function affiliationCodes(server: TestServer): Promise<{ regular: string; commercial: string }> {
  if (server.config.environment !== 'sandbox') return issueAffiliationCodes(server.ctx);
  const answer = await http(server.url, 'GET', `${CODES_PATH}?access_token=${CODES_TOKEN}`);
  assert.equal(answer.status, 200, answer.text);
  return answer.body;
}

export async function registerBusiness(server: TestServer, overrides: Record<string, string> = {}): Promise<Registered> {
  const codes = await affiliationCodes(server);
  const who = nextIdentity();
  return registerPerson(server, {
    type: 'business',
    identification: `J${who.identification.slice(1)}`,
    affiliationCode: codes.regular,
    name: 'Comercio de Prueba',
    ...overrides,
  });
}

export async function login(server: TestServer, loginName: string, password = PASSWORD): Promise<SessionAuth> {
  const answer = await http(server.url, 'POST', '/console/api/session', { json: { login: loginName, password } });
  assert.equal(answer.status, 200, answer.text);
  return { token: answer.body.sessionToken, csrf: answer.body.csrfToken, headers: { 'x-session-token': answer.body.sessionToken } };
}

export async function operatorSession(server: TestServer): Promise<SessionAuth> {
  const operator = await ensureOperator(server.ctx);
  return login(server, operator.username, operator.password);
}

export function logoForm(fields: Record<string, string>, logo: Buffer | null = solidPng(16, 16, [200, 30, 30]), filename = 'logo.png'): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (logo) form.set('logo', new Blob([new Uint8Array(logo)], { type: 'image/png' }), filename);
  return form;
}

export async function createApp(server: TestServer, session: SessionAuth, fields: Record<string, string> = {}): Promise<MerchantApp> {
  const form = logoForm({ name: 'Tienda', description: 'Tienda de prueba', homepageUrl: 'https://tienda.example.com', ...fields });
  const answer = await http(server.url, 'POST', '/console/api/apps', { multipart: form, headers: session.headers });
  assert.equal(answer.status, 201, answer.text);
  return { id: answer.body.app.id, ...answer.body.credentials };
}

/** A business with a session and a ready app (sandbox). */
export async function merchant(server: TestServer) {
  const user = await registerBusiness(server);
  const session = await login(server, user.username);
  const app = await createApp(server, session);
  return { user, session, app };
}

export function clientToken(server: TestServer, app: Pick<MerchantApp, 'clientId' | 'clientSecret'>) {
  return http(server.url, 'POST', '/oauth/v2/token', { form: { grant_type: 'urn:client_apps', client_id: app.clientId, client_secret: app.clientSecret } });
}

export function refresh(server: TestServer, app: Pick<MerchantApp, 'clientId' | 'clientSecret'>, refreshToken: string) {
  return http(server.url, 'POST', '/oauth/v2/token', {
    form: { grant_type: 'refresh_token', client_id: app.clientId, client_secret: app.clientSecret, refresh_token: refreshToken },
  });
}

export function profile(server: TestServer, token: string) {
  return http(server.url, 'GET', '/api/user/profile.json', { token });
}
