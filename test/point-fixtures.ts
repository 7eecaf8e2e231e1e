// Fixtures for the POS terminal tests: a merchant's store and till, a terminal registered,
// linked through the console with its pairing code, its credential collected, and calls with it.
import assert from 'node:assert/strict';
import { http, type TestServer } from './helpers.ts';
import { consoleSession, type Merchant } from './webhook-fixtures.ts';

export interface Terminal {
  deviceId: string;
  credential: string;
  tillId: string;
  headers: Record<string, string>;
}

export async function linkTerminal(server: TestServer, merchant: Merchant, options: { pdv?: boolean } = {}): Promise<Terminal> {
  const headers = await consoleSession(server.url, merchant);
  const store = await http(server.url, 'POST', '/console/api/point/stores', { headers, json: { name: 'Tienda Centro' } });
  assert.equal(store.status, 201, store.text);
  const till = await http(server.url, 'POST', '/console/api/point/tills', {
    headers,
    json: { storeId: store.body.id, name: 'Caja 1', externalPosId: `CAJA${Math.floor(Math.random() * 1e9)}` },
  });
  assert.equal(till.status, 201, till.text);
  const registered = await http(server.url, 'POST', '/point/device/register', { json: { model: 'PAX_A910' } });
  assert.equal(registered.status, 201, registered.text);
  assert.match(registered.body.device_id, /^PAX_A910__SMARTPOS\d{10}$/);
  const pending = await http(server.url, 'POST', '/point/device/activate', { token: registered.body.pairing_secret });
  assert.equal(pending.body.status, 'pending', pending.text);
  const linked = await http(server.url, 'POST', '/console/api/point/devices', {
    headers,
    json: { pairingCode: registered.body.pairing_code, tillId: till.body.id },
  });
  assert.equal(linked.status, 201, linked.text);
  const activated = await http(server.url, 'POST', '/point/device/activate', { token: registered.body.pairing_secret });
  assert.equal(activated.body.status, 'linked', activated.text);
  const again = await http(server.url, 'POST', '/point/device/activate', { token: registered.body.pairing_secret });
  assert.equal(again.status, 400, 'the credential is given once');
  const terminal = { deviceId: registered.body.device_id as string, credential: activated.body.credential as string, tillId: till.body.id as string, headers };
  if (options.pdv) {
    const mode = await http(server.url, 'PATCH', `/point/integration-api/devices/${terminal.deviceId}`, {
      token: merchant.accessToken,
      json: { operating_mode: 'PDV' },
    });
    assert.equal(mode.status, 200, mode.text);
  }
  return terminal;
}

/** A call of the device-side API with the terminal's credential. */
export function device(server: TestServer, terminal: Terminal, method: string, path: string, json?: unknown) {
  return http(server.url, method, `/point/device${path}`, { token: terminal.credential, json });
}

export const APRO_CARD = { card_number: '4509953566233704', expiration_month: 11, expiration_year: 2030, security_code: '123', cardholder: { name: 'APRO' } };

/** Take, read APRO, pay: the intent after payment. */
export async function payOnTerminal(server: TestServer, terminal: Terminal, intentId: string, card = APRO_CARD) {
  const taken = await device(server, terminal, 'POST', `/payment-intents/${intentId}/take`);
  assert.equal(taken.status, 200, taken.text);
  const token = await device(server, terminal, 'POST', `/payment-intents/${intentId}/card-tokens`, card);
  assert.equal(token.status, 201, token.text);
  const paid = await device(server, terminal, 'POST', `/payment-intents/${intentId}/payment`, { token: token.body.id });
  assert.equal(paid.status, 200, paid.text);
  return paid.body;
}
