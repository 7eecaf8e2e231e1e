// One grammar for integers read from the wire. The paginator's reader (readInteger) takes only
// plain decimal digits, but integers declared in a route schema (WireInteger) pass through Ajv's
// type coercion, which reads any string JavaScript's Number() reads: "0x10" is 16, "0b11" 3,
// "0o7" 7, "1e2" 100, and a JSON `true` is 1. So `GET /webhooks/events?limit=0x10` lists 16 events
// while `GET /api/payment-intent/.json?maxPerPage=0x10` is a 400, and `{"advanceSeconds": true}`
// moves the sandbox clock. Every integer must be read by the same digits-only rule.
// Not fixed yet: `todo` keeps the suite green while reporting the failure; drop it with the fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { http } from '../helpers.ts';
import { useWalletWorld, type WalletWorld } from './wallet-fixtures.ts';

let w: WalletWorld;
useWalletWorld((world) => {
  w = world;
});

const NOT_DECIMAL = ['0x10', '0b11', '0o7', '1e2'];
const OPEN_DEFECT = { todo: 'schema integers accept hex, binary, octal, exponent and booleans (breaker report): remove with the fix' };

test('schema-declared integers refuse what the paginator refuses: hex, binary, octal, exponents, booleans', OPEN_DEFECT, async () => {
  for (const text of NOT_DECIMAL) {
    const page = await http(w.server.url, 'GET', `/api/payment-intent/.json?maxPerPage=${text}`, { token: w.token });
    assert.equal(page.status, 400, `paginator maxPerPage=${text}`);
    const events = await http(w.server.url, 'GET', `/webhooks/events?limit=${text}`, { token: w.token });
    assert.equal(events.status, 400, `/webhooks/events?limit=${text} → ${events.status}`);
    const clock = await http(w.server.url, 'POST', '/sandbox/clock', { token: w.token, json: { advanceSeconds: text } });
    assert.equal(clock.status, 400, `advanceSeconds "${text}" → ${clock.status} ${clock.text.slice(0, 120)}`);
  }
  const clock = await http(w.server.url, 'POST', '/sandbox/clock', { token: w.token, json: { advanceSeconds: true } });
  assert.equal(clock.status, 400, `advanceSeconds true → ${clock.status} ${clock.text.slice(0, 120)}`);
});
