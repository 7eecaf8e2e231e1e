// Credentials the client sends in a percent-encoded form — the console's session cookie, the
// checkout's cookies, HTTP Basic client credentials on the token endpoint — may be malformed
// (`%`, `%E0%A4%A`): anyone can send them, and a sibling subdomain can plant such a cookie in a
// victim's browser. They are then no credentials at all (401 / the sign-in page), never a 500.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { http } from '../helpers.ts';
import { createSale, useWalletWorld, type WalletWorld } from './wallet-fixtures.ts';

let w: WalletWorld;
useWalletWorld((world) => {
  w = world;
});

const MALFORMED = ['%', '%E0%A4%A', 'a%zz'];

test('a malformed percent-encoded session cookie is no session (401), not a 500', async () => {
  for (const value of MALFORMED) {
    for (const [method, path] of [
      ['GET', '/console/api/me'],
      ['GET', '/console/api/apps'],
      ['POST', '/console/api/wallets'],
      ['DELETE', '/console/api/session'],
      ['GET', '/sandbox/clock'],
    ] as const) {
      const answer = await http(w.server.url, method, path, { headers: { cookie: `pasarela_session=${value}` } });
      assert.ok(answer.status < 500, `${method} ${path} with cookie ${value} → ${answer.status} ${answer.text.slice(0, 120)}`);
    }
  }
});

test('the checkout pages read malformed cookies as absent, not as a 500', async () => {
  const sale = await createSale(w);
  const page = new URL(sale._links.approval_url.href).pathname;
  for (const value of MALFORMED) {
    for (const cookie of [`pasarela_checkout=${value}`, `pasarela_form=${value}`]) {
      const shown = await http(w.server.url, 'GET', page, { headers: { cookie } });
      assert.ok(shown.status < 500, `GET ${page} with ${cookie} → ${shown.status}`);
      const posted = await http(w.server.url, 'POST', page, { headers: { cookie }, form: { csrf: 'x', login: 'comprador1', password: 'nope' } });
      assert.ok(posted.status < 500, `POST ${page} with ${cookie} → ${posted.status}`);
    }
  }
});

test('malformed percent-encoding in HTTP Basic client credentials is an OAuth error, not a 500', async () => {
  for (const value of MALFORMED) {
    for (const pair of [`${value}:secret`, `${w.demo.merchant.app.clientId}:${value}`]) {
      const answer = await http(w.server.url, 'POST', '/oauth/v2/token', {
        form: { grant_type: 'client_credentials' },
        headers: { authorization: `Basic ${Buffer.from(pair).toString('base64')}` },
      });
      assert.ok(answer.status >= 400 && answer.status < 500, `Basic ${pair} → ${answer.status} ${answer.text.slice(0, 120)}`);
      assert.equal(typeof answer.body.error, 'string', answer.text);
    }
  }
});
