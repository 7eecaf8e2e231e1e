// Money: exact parsing of decimal strings and JSON numbers into minor units, formatting back,
// and the integer helpers (sums, percentages) that fees build on.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationError } from '../../src/kernel/errors.ts';
import {
  amountAsJsonNumber,
  formatAmount,
  MAX_AMOUNT_MINOR,
  parseAmount,
  parseCurrency,
  percentOf,
  shareOf,
  sumMinor,
  type Currency,
} from '../../src/kernel/money.ts';
import { feeFor } from '../../src/modules/fees/model.ts';
import { seededRandom } from '../prng.ts';

function validationMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ValidationError, `expected a ValidationError, got ${String(error)}`);
    return error.fieldErrors.map((e) => e.message).join(' | ');
  }
  assert.fail('expected a ValidationError');
}

describe('parseAmount', () => {
  const exact: [unknown, Currency, number][] = [
    ['17.50', 'VES', 1750],
    [7.5, 'VES', 750],
    ['7.500', 'VES', 750],
    ['7.5000000', 'USD', 750],
    ['7', 'VES', 700],
    [7, 'VES', 700],
    ['0.01', 'VES', 1],
    [0.01, 'VES', 1],
    ['007.50', 'VES', 750],
    ['  12.3  ', 'VES', 1230],
    [18.8, 'VES', 1880],
    [1234567.89, 'VES', 123456789],
    ['1000000000000.00', 'VES', MAX_AMOUNT_MINOR],
  ];
  for (const [input, currency, minor] of exact) {
    test(`${JSON.stringify(input)} ${currency} → ${minor}`, () => {
      assert.equal(parseAmount(input, currency), minor);
    });
  }

  test('more decimals than the currency allows is a ValidationError, never rounded', () => {
    for (const input of ['7.505', '0.001', '17.501', 7.505, 0.1 + 0.2, '1.0000001']) {
      assert.match(
        validationMessage(() => parseAmount(input, 'VES')),
        /como máximo 2 decimales/,
        String(input),
      );
    }
  });

  test('negative amounts are refused', () => {
    for (const input of ['-1', '-0.01', -5, '-17.50']) {
      assert.match(
        validationMessage(() => parseAmount(input, 'VES')),
        /mayor que cero/,
        String(input),
      );
    }
  });

  test('zero is refused unless allowed', () => {
    for (const input of ['0', '0.00', 0, '000']) {
      assert.match(
        validationMessage(() => parseAmount(input, 'VES')),
        /mayor que cero/,
        String(input),
      );
      assert.equal(parseAmount(input, 'VES', { allowZero: true }), 0);
    }
  });

  test('garbage is refused', () => {
    const garbage: unknown[] = [
      'abc',
      '1,5',
      '1.',
      '.5',
      '1e3',
      '1E2',
      '+5',
      '0x10',
      '١٢',
      '12abc',
      '1 000',
      '∞',
      'NaN',
      NaN,
      Infinity,
      -Infinity,
      1e21,
      1e-7,
      {},
      [],
      [5],
      true,
      false,
      Symbol.iterator,
    ];
    for (const input of garbage) {
      assert.match(
        validationMessage(() => parseAmount(input, 'VES')),
        /no es válido/,
        String(input),
      );
    }
  });

  test('empty values say the field should not be empty', () => {
    for (const input of [undefined, null, '']) {
      assert.match(
        validationMessage(() => parseAmount(input, 'VES')),
        /no debería estar vacío/,
      );
    }
  });

  test('huge amounts are refused', () => {
    for (const input of ['1000000000000.01', '9999999999999', '10000000000000000', '123456789012345678901234567890', 1e15, Number.MAX_SAFE_INTEGER]) {
      assert.match(
        validationMessage(() => parseAmount(input, 'VES')),
        /excede el máximo/,
        String(input),
      );
    }
  });

  test('the error carries the field path it was given', () => {
    try {
      parseAmount('1.234', 'VES', { path: ['transactions', '0', 'amount', 'total'] });
      assert.fail('expected an error');
    } catch (error) {
      assert.ok(error instanceof ValidationError);
      assert.deepEqual(error.fieldErrors[0]!.path, ['transactions', '0', 'amount', 'total']);
    }
  });
});

describe('parseCurrency', () => {
  test('defaults to VES, accepts known codes in any case, refuses others', () => {
    assert.equal(parseCurrency(undefined), 'VES');
    assert.equal(parseCurrency(''), 'VES');
    assert.equal(parseCurrency('usd'), 'USD');
    assert.equal(parseCurrency(' VES '), 'VES');
    for (const bad of ['EUR', 'VE', 42, {}, 'toString', '__proto__']) {
      assert.match(
        validationMessage(() => parseCurrency(bad, ['currency'])),
        /moneda no es válida/,
        String(bad),
      );
    }
  });
});

describe('formatAmount', () => {
  test('exact decimal strings', () => {
    assert.equal(formatAmount(1750, 'VES'), '17.50');
    assert.equal(formatAmount(5, 'VES'), '0.05');
    assert.equal(formatAmount(0, 'VES'), '0.00');
    assert.equal(formatAmount(-1750, 'VES'), '-17.50');
    assert.equal(formatAmount(-5, 'USD'), '-0.05');
    assert.equal(formatAmount(MAX_AMOUNT_MINOR, 'VES'), '1000000000000.00');
    assert.equal(amountAsJsonNumber(1880, 'VES'), 18.8);
    assert.equal(amountAsJsonNumber(2000, 'VES'), 20);
  });

  test('refuses non-integers', () => {
    assert.throws(() => formatAmount(1.5, 'VES'), RangeError);
    assert.throws(() => formatAmount(Number.MAX_SAFE_INTEGER + 2, 'VES'), RangeError);
  });

  test('round-trips through parseAmount (seeded random amounts)', () => {
    const { random, seed } = seededRandom();
    for (let i = 0; i < 5000; i++) {
      // mix of small, medium and huge magnitudes
      const magnitude = 10 ** Math.floor(random() * 15);
      const minor = 1 + Math.floor(random() * magnitude);
      for (const currency of ['VES', 'USD'] as const) {
        const text = formatAmount(minor, currency);
        assert.equal(parseAmount(text, currency), minor, `seed ${seed}: ${minor} → ${text}`);
        assert.equal(parseAmount(amountAsJsonNumber(minor, currency), currency), minor, `seed ${seed}: number form of ${minor}`);
      }
    }
  });
});

describe('integer helpers', () => {
  test('sumMinor refuses overflow and non-integers', () => {
    assert.equal(sumMinor([1, 2, 3]), 6);
    assert.throws(() => sumMinor([Number.MAX_SAFE_INTEGER, 1]), RangeError);
    assert.throws(() => sumMinor([1.5]), RangeError);
  });

  test('percentOf rounds half up on the minor unit', () => {
    assert.equal(percentOf(1000, 250), 25); // 2.5 % of 10.00
    assert.equal(percentOf(1, 5000), 1); // 0.5 → 1
    assert.equal(percentOf(1, 4999), 0); // 0.4999 → 0
    assert.equal(percentOf(199, 250), 5); // 4.975 → 5
    assert.equal(percentOf(0, 9999), 0);
    assert.equal(feeFor(10000, { percentBasisPoints: 300, fixedMinor: 25 }), 325);
  });

  test('percentOf is exact for the largest amounts (no float drift past 2^53)', () => {
    const { random, seed } = seededRandom();
    for (let i = 0; i < 20000; i++) {
      const minor = 1 + Math.floor(random() * MAX_AMOUNT_MINOR);
      const basisPoints = Math.floor(random() * 10001);
      const expected = Number((BigInt(minor) * BigInt(basisPoints) + 5000n) / 10000n);
      assert.equal(percentOf(minor, basisPoints), expected, `seed ${seed}: ${minor} × ${basisPoints} bp`);
    }
    assert.equal(percentOf(23468670832211, 8763), 20565596250266);
  });

  test('shareOf: running shares sum to the whole, and no step exceeds its part', () => {
    const { random, seed } = seededRandom();
    for (let run = 0; run < 500; run++) {
      const whole = 1 + Math.floor(random() * (run % 2 ? 1000 : MAX_AMOUNT_MINOR));
      const minor = Math.floor(random() * (whole + 1));
      let done = 0;
      let given = 0;
      while (done < whole) {
        const part = Math.min(whole - done, 1 + Math.floor(random() * whole * 0.3));
        done += part;
        const step = shareOf(minor, done, whole) - given;
        assert.ok(step >= 0 && step <= part, `seed ${seed}: step ${step} of part ${part} (${minor}/${whole})`);
        given += step;
      }
      assert.equal(given, minor, `seed ${seed}`);
    }
    assert.equal(shareOf(53, 99, 100), 52);
    assert.throws(() => shareOf(1, 2, 1), RangeError);
  });
});
