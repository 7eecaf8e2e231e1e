// The card number is kept only sealed: after tokens, payments, refunds and failed requests
// that carry it, no card number appears in the SQLite file (with its log), in any PostgreSQL
// table, or in the server's log (request logging on). Security codes are erased once a token
// is used or expires; an authorization that lapses is cancelled with its hold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, runCli, spawnCli, untilReady } from '../cli.ts';
import { http, openTestPlatform, PG_URL, startTestServer } from '../helpers.ts';
import { ensureDemo } from '../../src/modules/sandbox/demo.ts';
import { voidExpiredHolds, verifyLedger } from '../../src/modules/ledger/index.ts';
import { cardAuthorizationVoided, eraseExpiredCardCodes } from '../../src/modules/cards/index.ts';

const NUMBERS = ['4509953566233704', '5031755734530604', '371180303257522'];

test('no card number in the database or the log', async () => {
  const platform = await openTestPlatform();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = { ...platform.env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, LOG_LEVEL: 'debug' };
  const child = spawnCli(['start'], env);
  try {
    await untilReady(child, url);
    const demo = JSON.parse((await runCli(['demo', '--json'], env)).stdout);
    const { accessToken, publicKey } = demo.merchant.app;
    for (const [i, number] of NUMBERS.entries()) {
      const spaced = number.replace(/(\d{4})/g, '$1 ').trim();
      const card = {
        card_number: i === 0 ? spaced : number,
        expiration_month: 12,
        expiration_year: 2031,
        security_code: number.startsWith('37') ? '1234' : '123',
      };
      const token = await http(url, 'POST', `/v1/card_tokens?public_key=${publicKey}`, { json: { ...card, cardholder: { name: 'APRO' } } });
      assert.equal(token.status, 201, token.text);
      const paid = await http(url, 'POST', '/v1/payments', { token: accessToken, json: { transaction_amount: 25, token: token.body.id, installments: 1 } });
      assert.equal(paid.status, 201, paid.text);
      if (i === 0) assert.equal((await http(url, 'POST', `/v1/payments/${paid.body.id}/refunds`, { token: accessToken, json: { amount: 5 } })).status, 201);
      // Failures that carry the number: an invalid field beside it, a body that is not JSON, a
      // number in the query string.
      assert.equal(
        (await http(url, 'POST', `/v1/card_tokens?public_key=${publicKey}`, { json: { ...card, expiration_month: 13, cardholder: { name: 'APRO' } } })).status,
        400,
      );
      const broken = await fetch(`${url}/v1/card_tokens?public_key=${publicKey}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"card_number": "${number}", `,
      });
      assert.equal(broken.status, 400);
      assert.ok((await http(url, 'GET', `/v1/card_tokens/${number}?public_key=${publicKey}`)).status < 500);
    }
    assert.equal((await child.stop()).code, 0);
    const log = child.output();
    if (process.env.SHOWLOG) process.stderr.write(log);
    assert.match(log, /"url":"\/v1\/card_tokens/, 'the log has the requests');
    const database =
      platform.backend === 'sqlite'
        ? readdirSync(platform.env.DATA_DIR!)
            .filter((f) => f.endsWith('.db') || f.endsWith('.db-wal') || f.endsWith('.sqlite') || f.endsWith('-wal'))
            .map((f) => readFileSync(join(platform.env.DATA_DIR!, f)).toString('latin1'))
            .join('\n')
        : await dumpSchema(platform.env.DATABASE_SCHEMA!);
    assert.ok(database.length > 10_000, 'the database was read');
    for (const number of NUMBERS) {
      for (const form of [number, number.replace(/(\d{4})/g, '$1 ').trim()]) {
        assert.ok(!log.includes(form), `card number ${form} in the log`);
        assert.ok(!database.includes(form), `card number ${form} in the database`);
      }
    }
  } finally {
    await child.stop().catch(() => {});
    await platform.close();
  }
});

/** Every row of every table of the schema, as text. */
async function dumpSchema(schema: string): Promise<string> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>('select table_name from information_schema.tables where table_schema = $1', [schema]);
    const parts: string[] = [];
    for (const { table_name } of tables.rows) {
      const rows = await client.query(`select t::text as row from ${schema}."${table_name}" t`);
      parts.push(...rows.rows.map((r: { row: string }) => r.row));
    }
    return parts.join('\n');
  } finally {
    await client.end();
  }
}

test('card numbers and security codes are erased from tokens at use and at expiry (a saved card keeps its own); a lapsed authorization is cancelled with its hold', async () => {
  const server = await startTestServer();
  try {
    const demo = await ensureDemo(server.ctx);
    const { accessToken, publicKey } = demo.merchant.app;
    const card = { card_number: '5031755734530604', expiration_month: 12, expiration_year: 2031, security_code: '123', cardholder: { name: 'APRO' } };
    const tokenRow = (id: string) =>
      server.ctx.store.db.selectFrom('card_tokens').select(['status', 'number_sealed', 'security_code_sealed']).where('id', '=', id).executeTakeFirstOrThrow();
    const used = (await http(server.url, 'POST', `/v1/card_tokens?public_key=${publicKey}`, { json: card })).body.id;
    const idle = (await http(server.url, 'POST', `/v1/card_tokens?public_key=${publicKey}`, { json: card })).body.id;
    const saved = (await http(server.url, 'POST', `/v1/card_tokens?public_key=${publicKey}`, { json: card })).body.id;
    assert.notEqual((await tokenRow(used)).security_code_sealed, null);
    assert.notEqual((await tokenRow(used)).number_sealed, null);
    const held = await http(server.url, 'POST', '/v1/payments', { token: accessToken, json: { transaction_amount: 30, token: used, capture: false } });
    assert.equal(held.body.status, 'authorized');
    assert.deepEqual(await tokenRow(used), { status: 'used', number_sealed: null, security_code_sealed: null });

    // Saving a card uses its token up: the token's number is erased, the card keeps its own and pays.
    const customer = await http(server.url, 'POST', '/v1/customers', { token: accessToken, json: { email: 'vault@example.com' } });
    const savedCard = await http(server.url, 'POST', `/v1/customers/${customer.body.id}/cards`, { token: accessToken, json: { token: saved } });
    assert.equal(savedCard.status, 201, savedCard.text);
    assert.deepEqual(await tokenRow(saved), { status: 'used', number_sealed: null, security_code_sealed: null });
    const cardRow = await server.ctx.store.db
      .selectFrom('customer_cards')
      .select('number_sealed')
      .where('id', '=', savedCard.body.id)
      .executeTakeFirstOrThrow();
    assert.notEqual(cardRow.number_sealed, null);
    const fresh = await http(server.url, 'POST', '/v1/card_tokens', { token: accessToken, json: { card_id: savedCard.body.id, security_code: '123' } });
    assert.equal(fresh.status, 201, fresh.text);
    const paidSaved = await http(server.url, 'POST', '/v1/payments', { token: accessToken, json: { transaction_amount: 12, token: fresh.body.id } });
    assert.deepEqual([paidSaved.status, paidSaved.body.status], [201, 'approved']);
    assert.deepEqual(await tokenRow(fresh.body.id), { status: 'used', number_sealed: null, security_code_sealed: null });

    await server.ctx.clock.advance(8 * 24 * 3600);
    assert.equal(await eraseExpiredCardCodes(server.ctx, 100), 1);
    assert.deepEqual(await tokenRow(idle), { status: 'expired', number_sealed: null, security_code_sealed: null });
    assert.equal((await http(server.url, 'POST', '/v1/payments', { token: accessToken, json: { transaction_amount: 30, token: idle } })).status, 400);

    assert.equal(await voidExpiredHolds(server.ctx, { onVoided: cardAuthorizationVoided }), 1);
    const lapsed = await http(server.url, 'GET', `/v1/payments/${held.body.id}`, { token: accessToken });
    assert.deepEqual([lapsed.body.status, lapsed.body.status_detail], ['cancelled', 'expired']);
    const capture = await http(server.url, 'PUT', `/v1/payments/${held.body.id}`, { token: accessToken, json: { capture: true } });
    assert.equal(capture.status, 400);
    assert.equal(capture.body.cause[0].code, 126);
    assert.deepEqual(await verifyLedger(server.ctx.store), []);
  } finally {
    await server.close();
  }
});
