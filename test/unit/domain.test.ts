// Pure domain rules: Venezuelan identity formats, PNG inspection and ledger posting rules.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';
import { InvariantError, ValidationError } from '../../src/kernel/errors.ts';
import {
  classifyPartyReference,
  isIdentification,
  isPhone,
  isPin,
  isUsername,
  normalizeIdentification,
  normalizePhone,
} from '../../src/modules/identity/model.ts';
import { assertBalanced, netByAccount, transferPostings } from '../../src/modules/ledger/model.ts';
import { inspectPng, solidPng } from '../../src/modules/apps/png.ts';

describe('identity', () => {
  test('phone: 58 followed by 10 digits', () => {
    for (const ok of ['584121234567', '584241234567', '+58 412-123-4567', '58 (412) 1234567']) assert.ok(isPhone(ok), ok);
    for (const bad of ['58412123456', '5841212345678', '04121234567', '574121234567', '58412123456a', '']) assert.ok(!isPhone(bad), bad);
    assert.equal(normalizePhone('+58 (412) 123-4567'), '584121234567');
  });

  test('identification: V, E, J, G or P followed by digits', () => {
    for (const ok of ['V19123456', 'E12345', 'J255500006', 'G2000012345', 'P123456', 'v-19.123.456', 'j 25550000 6']) assert.ok(isIdentification(ok), ok);
    for (const bad of ['X19123456', 'V1234', 'V12345678901', '19123456', 'VV19123456', 'V19123456A', '']) assert.ok(!isIdentification(bad), bad);
    assert.equal(normalizeIdentification('v-19.123.456'), 'V19123456');
  });

  test('usernames and PINs', () => {
    assert.ok(isUsername('pizzaexpress'));
    assert.ok(isUsername('Pepitos-House'));
    assert.ok(!isUsername('ab'));
    assert.ok(!isUsername('-abc'));
    assert.ok(!isUsername('a b c'));
    assert.ok(isPin('0000'));
    for (const bad of ['123', '12345', '12a4', ' 1234']) assert.ok(!isPin(bad), bad);
  });

  test('a payer reference is a phone, an identification or a username', () => {
    assert.deepEqual(classifyPartyReference('584120000010'), { kind: 'phone', value: '584120000010' });
    assert.deepEqual(classifyPartyReference('v19123456'), { kind: 'identification', value: 'V19123456' });
    assert.deepEqual(classifyPartyReference('PizzaExpress'), { kind: 'username', value: 'pizzaexpress' });
    assert.throws(
      () => classifyPartyReference('??', ['recipient']),
      (e) => e instanceof ValidationError && e.fieldErrors[0]!.path[0] === 'recipient',
    );
  });
});

describe('PNG inspection', () => {
  test('a real PNG is recognised with its size', () => {
    assert.deepEqual(inspectPng(solidPng(64, 32, [1, 2, 3])), { width: 64, height: 32 });
  });

  test('fake and damaged PNGs are refused', () => {
    const real = solidPng(8, 8, [9, 9, 9]);
    const signatureOnly = Buffer.concat([real.subarray(0, 8), Buffer.from('this is not really an image, just text after a PNG signature')]);
    const badCrc = Buffer.from(real);
    badCrc[29] = badCrc[29]! ^ 0xff; // last byte of the IHDR CRC
    const truncated = real.subarray(0, real.length - 12); // no IEND
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.alloc(60)]);
    const gif = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(60)]);
    // IHDR of zero width, with a correct CRC
    const zero = Buffer.from(real);
    zero.writeUInt32BE(0, 16);
    zero.writeUInt32BE(crc32(zero.subarray(12, 29)), 29);
    for (const [name, data] of Object.entries({ signatureOnly, badCrc, truncated, jpeg, gif, zero, empty: Buffer.alloc(0) })) {
      assert.equal(inspectPng(data), undefined, name);
    }
  });
});

describe('ledger posting rules', () => {
  test('an entry must balance per currency', () => {
    assertBalanced(transferPostings('a', 'b', 'VES', 100));
    assertBalanced([
      { accountId: 'a', currency: 'VES', amountMinor: -100 },
      { accountId: 'b', currency: 'VES', amountMinor: 100 },
      { accountId: 'a', currency: 'USD', amountMinor: 5 },
      { accountId: 'c', currency: 'USD', amountMinor: -5 },
    ]);
    assert.throws(() => assertBalanced([{ accountId: 'a', currency: 'VES', amountMinor: 0 }]), InvariantError);
    assert.throws(
      () =>
        assertBalanced([
          { accountId: 'a', currency: 'VES', amountMinor: -1 },
          { accountId: 'b', currency: 'VES', amountMinor: 2 },
        ]),
      InvariantError,
    );
    // balances in total but not per currency
    assert.throws(
      () =>
        assertBalanced([
          { accountId: 'a', currency: 'VES', amountMinor: -1 },
          { accountId: 'b', currency: 'USD', amountMinor: 1 },
        ]),
      InvariantError,
    );
    assert.throws(() => assertBalanced(transferPostings('a', 'b', 'VES', 0)), InvariantError);
    assert.throws(() => assertBalanced(transferPostings('a', 'b', 'VES', 1.5)), RangeError);
  });

  test('netByAccount nets per account and orders by account id (one lock order)', () => {
    const net = netByAccount([
      { accountId: 'z', currency: 'VES', amountMinor: -100 },
      { accountId: 'b', currency: 'VES', amountMinor: 70 },
      { accountId: 'z', currency: 'VES', amountMinor: 30 },
      { accountId: 'a', currency: 'VES', amountMinor: 0 + 0 },
      { accountId: 'm', currency: 'VES', amountMinor: 5 },
      { accountId: 'm', currency: 'VES', amountMinor: -5 },
    ]);
    assert.deepEqual(net, [
      { accountId: 'b', currency: 'VES', amountMinor: 70 },
      { accountId: 'z', currency: 'VES', amountMinor: -70 },
    ]);
  });
});
