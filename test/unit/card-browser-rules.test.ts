// What /js/pasarela.js is told about cards agrees with the server: the brand patterns pick the
// brand the server's BIN rules pick for any card number, every data-entry code has a field,
// and every text exists in Spanish and English.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brandOf, CARD_PROBLEMS } from '../../src/modules/cards/model.ts';
import { browserCardRules, CARD_FIELDS, FIELD_OF_PROBLEM, FIELD_TEXT, OUTCOME_TEXT } from '../../src/http/card-browser/rules.ts';
import { exampleText } from '../../src/http/card-browser/example-text.ts';

const rules = browserCardRules();
const patterns = rules.brands.map((b) => ({ id: b.id, regex: new RegExp(b.pattern) }));
/** The brand as the browser script finds it: the first pattern that matches, in the served order. */
const browserBrand = (digits: string) => patterns.find((p) => p.regex.test(digits))?.id;

test('the brand patterns served to the browser pick the brand the server picks, for every BIN', () => {
  // The rules look at the first six digits at most: every six-digit prefix, as a 16-digit
  // number, covers them all.
  const disagreements: string[] = [];
  for (let bin = 0; bin < 1_000_000; bin++) {
    const digits = `${String(bin).padStart(6, '0')}0000000000`;
    if (browserBrand(digits) !== brandOf(digits)?.id) disagreements.push(`${digits}: ${browserBrand(digits)} ≠ ${brandOf(digits)?.id}`);
  }
  assert.deepEqual(disagreements.slice(0, 10), []);
  // and the public test cards, as typed
  for (const number of ['4509953566233704', '5031755734530604', '371180303257522', '4002760000000000', '2221000000000009'])
    assert.equal(browserBrand(number), brandOf(number)?.id, number);
});

test('every data-entry code has its field and its message in both languages', () => {
  assert.deepEqual(Object.keys(FIELD_OF_PROBLEM).sort(), Object.keys(CARD_PROBLEMS).sort());
  for (const field of Object.values(FIELD_OF_PROBLEM)) assert.ok(CARD_FIELDS.includes(field), field);
  assert.deepEqual(rules.problems, CARD_PROBLEMS, 'the browser gets the server’s own texts');
  for (const [code, text] of Object.entries(CARD_PROBLEMS)) assert.ok(text.es && text.en, code);
});

test('the fields, the outcomes and the example page speak Spanish and English alike', () => {
  assert.deepEqual(Object.keys(FIELD_TEXT.en), Object.keys(FIELD_TEXT.es));
  assert.deepEqual(Object.keys(exampleText('en')), Object.keys(exampleText('es')));
  for (const [detail, text] of Object.entries(OUTCOME_TEXT)) assert.ok(text.es && text.en && text.es !== text.en, detail);
});
