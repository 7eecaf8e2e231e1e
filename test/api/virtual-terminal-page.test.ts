// The virtual terminal's page as the server answers it: Spanish first (English on request), a
// fresh nonce per answer that is the only way a script runs, its script and stylesheet from
// 'self', API calls to this origin only; in production it does not exist.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { http, startTestServer } from '../helpers.ts';

test('the virtual terminal page: languages, a nonce per answer, its assets; none in production', async () => {
  const server = await startTestServer();
  try {
    const nonces: string[] = [];
    for (const [lang, title, heading] of [
      ['', 'Terminal virtual', 'Vincule este terminal'],
      ['?lang=en', 'Virtual terminal', 'Link this terminal'],
    ] as const) {
      const page = await http(server.url, 'GET', `/p/terminal${lang}`, { headers: { accept: 'text/html' } });
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
      assert.ok(page.text.includes(`<title>${title} · Pasarela</title>`), title);
      assert.ok(page.text.includes(heading), heading);
      const csp = page.headers.get('content-security-policy') ?? '';
      const nonce = /script-src 'nonce-([A-Za-z0-9+/=]+)'; connect-src 'self';/.exec(csp)?.[1];
      assert.ok(nonce, csp);
      assert.doesNotMatch(csp, /unsafe-inline|script-src[^;]*'self'/, 'only the page’s own script runs');
      assert.match(csp, /frame-ancestors 'none'/);
      assert.ok(page.text.includes(`<script src="/p/static/terminal.js" nonce="${nonce}" defer></script>`), 'the script carries the nonce');
      assert.equal(page.headers.get('cache-control'), 'no-store');
      nonces.push(nonce);
    }
    assert.notEqual(nonces[0], nonces[1], 'a fresh nonce per answer');
    // The test cards and outcomes the cashier chooses from.
    const page = await http(server.url, 'GET', '/p/terminal', {});
    for (const text of ['data-number="4509953566233704"', 'value="APRO"', 'value="FUND"']) assert.ok(page.text.includes(text), text);

    const script = await http(server.url, 'GET', '/p/static/terminal.js', {});
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.ok(script.text.includes("fetch('/point/device' + path"), 'the device-side API only');
    assert.doesNotMatch(script.text, /\/point\/integration-api|\/console\/api|\/sandbox\//, 'no integrator, console or sandbox call');
    const style = await http(server.url, 'GET', '/p/static/terminal.css', {});
    assert.equal(style.status, 200);
    assert.match(style.headers.get('content-type') ?? '', /^text\/css/);
  } finally {
    await server.close();
  }
  const production = await startTestServer({ env: { PASARELA_ENV: 'production' } });
  try {
    assert.equal((await http(production.url, 'GET', '/p/terminal')).status, 404);
    assert.equal((await http(production.url, 'GET', '/p/static/terminal.js')).status, 404);
  } finally {
    await production.close();
  }
});
