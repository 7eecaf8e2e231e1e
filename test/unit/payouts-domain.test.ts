// Venezuelan bank accounts and the pure rules of bulk payouts (refs, states, CSV formats).
import { test } from 'node:test';
import { formatDailyRef, refDay } from '../../src/kernel/refs.ts';
import assert from 'node:assert/strict';
import { bankByCode, checkBankAccount, parseBankAccount, VENEZUELAN_BANKS } from '../../src/modules/payouts/banks.ts';
import { ValidationError } from '../../src/kernel/errors.ts';
import { DAY_MS } from '../../src/kernel/instants.ts';
import {
  checkAccountName,
  checkReference,
  csvLine,
  itemTransition,
  parseBankAnswer,
  parseCsv,
  settleAfter,
  type PayoutItemState,
} from '../../src/modules/payouts/model.ts';
import { checkItemFields } from '../../src/http/wallet-api/payout-reader.ts';
import type { FieldError } from '../../src/kernel/errors.ts';

const BANK_NOT_FOUND = 'No se ha encontrado un banco para el numero de cuenta ingresado';

test('the bank table has the BCV codes, each four digits and unique', () => {
  const expected: Record<string, string> = {
    '0001': 'Banco Central de Venezuela',
    '0102': 'Banco de Venezuela',
    '0104': 'Venezolano de Crédito',
    '0105': 'Mercantil',
    '0108': 'Provincial',
    '0114': 'Bancaribe',
    '0115': 'Exterior',
    '0128': 'Caroní',
    '0134': 'Banesco',
    '0137': 'Sofitasa',
    '0138': 'Plaza',
    '0146': 'Bangente',
    '0151': 'BFC',
    '0156': '100% Banco',
    '0157': 'DelSur',
    '0163': 'Tesoro',
    '0166': 'Agrícola',
    '0168': 'Bancrecer',
    '0169': 'Mi Banco',
    '0171': 'Activo',
    '0172': 'Bancamiga',
    '0173': 'Internacional de Desarrollo',
    '0174': 'Banplus',
    '0175': 'Bicentenario',
    '0177': 'Banfanb',
    '0178': 'N58',
    '0191': 'BNC',
  };
  for (const [code, name] of Object.entries(expected)) assert.equal(bankByCode(code)?.name, name, code);
  const codes = VENEZUELAN_BANKS.map((b) => b.code);
  assert.equal(new Set(codes).size, codes.length);
  for (const bank of VENEZUELAN_BANKS) {
    assert.match(bank.code, /^\d{4}$/);
    assert.ok(bank.legalName.length >= bank.name.length);
  }
});

test('accounts: 20 digits with a known bank code; the documented example is accepted', () => {
  const accepted: [string, string][] = [
    ['01050000000000000000', '0105'], // the contract's documented example
    ['01020501830000123456', '0102'],
    ['01050054121054123456', '0105'],
    ['01080099410100012345', '0108'],
    ['01340032610321098765', '0134'],
    ['01910047142147001234', '0191'],
    ['0134 0032 61 0321098765', '0134'], // groups separated by spaces
    ['0102-0501-83-0000123456', '0102'], // or dashes
  ];
  for (const [input, code] of accepted) {
    const result = checkBankAccount(input);
    assert.ok(result.ok, input);
    assert.equal(result.account.bank.code, code);
    assert.match(result.account.number, /^\d{20}$/);
  }
  const refused: [unknown, string][] = [
    ['99990000000000000000', BANK_NOT_FOUND],
    ['01030000000000000000', BANK_NOT_FOUND], // not a bank code
    ['0105000000000000000', 'El número de cuenta debe tener 20 dígitos.'], // 19
    ['010500000000000000000', 'El número de cuenta debe tener 20 dígitos.'], // 21
    ['0105000000000000000A', 'El número de cuenta debe tener 20 dígitos.'],
    ['0105.0000.0000000000.00', 'El número de cuenta debe tener 20 dígitos.'],
    [1050000000000000000, 'El número de cuenta debe tener 20 dígitos.'], // a JSON number loses digits
    ['', 'Este valor no debería estar vacío.'],
    ['   ', 'Este valor no debería estar vacío.'],
    [undefined, 'Este valor no debería estar vacío.'],
  ];
  for (const [input, message] of refused) {
    const result = checkBankAccount(input);
    assert.equal(result.ok, false, String(input));
    if (!result.ok) assert.equal(result.message, message, String(input));
  }
  assert.throws(
    () => parseBankAccount('99990000000000000000', ['bankAccount']),
    (e: unknown) => e instanceof ValidationError && e.fieldErrors[0]!.path[0] === 'bankAccount' && e.fieldErrors[0]!.message === BANK_NOT_FOUND,
  );
});

test('item fields: every problem reported at once under its field; lowercase identification echoed as sent', () => {
  const ok = checkItemFields('DISPERSION', {
    reference: 'pago-001',
    nameAccount: '  Pedro   Pérez ',
    identificationNumber: 'j54637469',
    bankAccount: '01050000000000000000',
    amount: '150.75',
  });
  assert.equal(ok.identificationNumber, 'j54637469');
  assert.equal(ok.identification, 'J54637469');
  assert.equal(ok.nameAccount, 'Pedro Pérez');
  assert.equal(ok.amountMinor, 15075);
  assert.equal(ok.bankCode, '0105');
  assert.equal(
    checkItemFields('DISPERSION_INSTANT_INTERBANK', {
      reference: 'x',
      nameAccount: 'Ana',
      identificationNumber: 'V-12.345.678',
      bankAccount: '01340000000000000001',
      amount: 7.5,
    }).amountMinor,
    750,
  );

  try {
    checkItemFields('OTHER', { identificationNumber: 'X123', bankAccount: '99990000000000000000', amount: '1.234' });
    assert.fail('should throw');
  } catch (error) {
    assert.ok(error instanceof ValidationError);
    const byPath = new Map(error.fieldErrors.map((e: FieldError) => [e.path.join('.'), e.message]));
    assert.equal(byPath.get(''), 'El tipo debe ser DISPERSION o DISPERSION_INSTANT_INTERBANK.');
    assert.equal(byPath.get('reference'), 'Este valor no debería estar vacío.');
    assert.equal(byPath.get('nameAccount'), 'Este valor no debería estar vacío.');
    assert.match(byPath.get('identificationNumber')!, /V, E, J, G o P/);
    assert.equal(byPath.get('bankAccount'), BANK_NOT_FOUND);
    assert.equal(byPath.get('amount'), 'El monto admite como máximo 2 decimales.');
  }
  const identifications: [string, boolean][] = [
    ['V12345678', true],
    ['e84123456', true],
    ['G200099976', true],
    ['P1234567', true],
    ['X12345678', false],
    ['12345678', false],
    ['J', false],
    ['V1234', false],
  ];
  for (const [value, valid] of identifications) {
    const run = () =>
      checkItemFields('DISPERSION', { reference: 'r', nameAccount: 'Ana', identificationNumber: value, bankAccount: '01050000000000000000', amount: '1' });
    if (valid) assert.doesNotThrow(run, value);
    else assert.throws(run, ValidationError, value);
  }
  for (const amount of ['0', '-5', 'abc', '', '1e3']) {
    assert.throws(
      () =>
        checkItemFields('DISPERSION', { reference: 'r', nameAccount: 'Ana', identificationNumber: 'V12345678', bankAccount: '01050000000000000000', amount }),
      ValidationError,
      amount,
    );
  }
});

test('names and references refuse control characters and formula starts', () => {
  const errors: FieldError[] = [];
  assert.equal(checkAccountName("Inversiones O'Brien & Hijos, C.A.", errors, ['n']), "Inversiones O'Brien & Hijos, C.A.");
  assert.equal(checkAccountName('3M Venezuela', errors, ['n']), '3M Venezuela');
  assert.equal(errors.length, 0);
  checkAccountName('=HYPERLINK("http://x")', errors, ['n']);
  checkAccountName('a'.repeat(101), errors, ['n']);
  checkReference('@SUM(1)', errors, ['r']);
  checkReference('ok\u0000', errors, ['r']);
  assert.equal(errors.length, 4);
  assert.deepEqual(checkReference('#F-0001/2019', [], ['r']), '#F-0001/2019');
});

test('refs: MP + yymmdd in Caracas + five-digit daily sequence', () => {
  // 2019-12-28 02:00 UTC is still the 27th in Caracas (UTC−4).
  assert.equal(refDay(Date.UTC(2019, 11, 28, 2, 0)), '191227');
  assert.equal(refDay(Date.UTC(2019, 11, 28, 12, 0)), '191228');
  assert.equal(formatDailyRef('MP', '191228', 1, 5), 'MP19122800001');
  assert.equal(formatDailyRef('MP', '191228', 123456, 5), 'MP191228123456');
  assert.throws(() => formatDailyRef('MP', '19122', 1, 5));
  assert.throws(() => formatDailyRef('MP', '191228', 0, 5));
});

test('settlement time: instant at once, DISPERSION 24 h after submission', () => {
  assert.equal(settleAfter('DISPERSION_INSTANT_INTERBANK', 1000), 1000);
  assert.equal(settleAfter('DISPERSION', 1000), 1000 + DAY_MS);
});

test('item state machine', () => {
  const cases: [PayoutItemState, 'submit' | 'pay' | 'fail', string][] = [
    ['APPROVED', 'submit', 'PROCESSING'],
    ['PROCESSING', 'submit', 'refused'],
    ['PROCESSING', 'pay', 'PAID'],
    ['PROCESSING', 'fail', 'FAILED'],
    ['PAID', 'pay', 'unchanged'],
    ['PAID', 'fail', 'FAILED'], // a bank return
    ['FAILED', 'fail', 'unchanged'],
    ['FAILED', 'pay', 'refused'],
    ['APPROVED', 'pay', 'refused'],
    ['APPROVED', 'fail', 'refused'],
  ];
  for (const [from, transition, expected] of cases) {
    const outcome = itemTransition(from, transition);
    assert.equal(outcome.kind === 'apply' ? outcome.to : outcome.kind, expected, `${from} ${transition}`);
  }
});

test('CSV: quoting, formula neutralizing, parsing with quotes, CRLF and semicolons', () => {
  assert.equal(csvLine(['MP1', 'Pérez, Ana', 'say "hi"', '=1+1', '-5']), `MP1,"Pérez, Ana","say ""hi""",'=1+1,'-5`);
  assert.deepEqual(
    parseCsv('ref,status\r\nMP19122800001,PAID\r\n"MP19122800002","FAILED","Cuenta ""cerrada"", sin fondos"\r\n\r\n').map((r) => r.fields),
    [
      ['ref', 'status'],
      ['MP19122800001', 'PAID'],
      ['MP19122800002', 'FAILED', 'Cuenta "cerrada", sin fondos'],
    ],
  );
  assert.deepEqual(
    parseCsv('ref;status;reason\nMP19122800001;FAILED;a, b\n').map((r) => r.fields),
    [
      ['ref', 'status', 'reason'],
      ['MP19122800001', 'FAILED', 'a, b'],
    ],
  );
  assert.deepEqual(
    parseCsv('a,"multi\nline"\nb,c').map((r) => [r.line, r.fields.length]),
    [
      [1, 2],
      [3, 2],
    ],
  );
  assert.throws(() => parseCsv('a,"open\n'), ValidationError);

  const answer = parseBankAnswer('\uFEFFref,status,reason\nmp19122800001,paid\nMP19122800002,FAILED,Cuenta cerrada\nXX1,PAID\nMP19122800003,MAYBE\n');
  assert.deepEqual(answer.rows, [
    { line: 2, ref: 'MP19122800001', status: 'PAID', reason: null },
    { line: 3, ref: 'MP19122800002', status: 'FAILED', reason: 'Cuenta cerrada' },
  ]);
  assert.deepEqual(
    answer.problems.map((p) => [p.line, p.ref]),
    [
      [4, 'XX1'],
      [5, 'MP19122800003'],
    ],
  );
});
