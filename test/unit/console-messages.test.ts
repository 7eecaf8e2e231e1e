// The web console says every refusal of the closed list, and every coded rule message, in both
// of its languages: a refusal code added to src/kernel/refusals.ts without a console translation,
// or a field error whose code names no rule text, fails here (and the refusal tables' types fail
// compilation too).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { refusalsEn } from '../../console/src/locales/refusals-en.ts';
import { refusalsEs } from '../../console/src/locales/refusals-es.ts';
import { IDENTITY_MESSAGES } from '../../src/modules/identity/rules.ts';
import { APP_MESSAGES } from '../../src/modules/apps/rules.ts';
import { WALLET_MESSAGES } from '../../src/modules/wallets/rules.ts';
import { WEBHOOK_MESSAGES } from '../../src/modules/webhooks/rules.ts';
import { PAYOUT_MESSAGES } from '../../src/modules/payouts/rules.ts';
import { FEE_MESSAGES } from '../../src/modules/fees/rules.ts';
import { POINT_MESSAGES } from '../../src/modules/point/rules.ts';
import { COMMON_MESSAGES } from '../../src/kernel/messages.ts';

/** Every code of the closed list, read from its source (the type is gone at run time). */
function refusalCodes(): string[] {
  const source = readFileSync('src/kernel/refusals.ts', 'utf8');
  const union = source.slice(source.indexOf('type RefusalCase ='), source.indexOf('export type RefusalCode'));
  return [...union.matchAll(/\{ code: '([a-z_]+)'/g)].map((m) => m[1]!);
}

test('every refusal code of the closed list has a console text in Spanish and in English, and nothing else does', () => {
  const codes = refusalCodes();
  assert.ok(codes.length > 40, `the closed list was read (${codes.length} codes)`);
  assert.ok(codes.includes('password_wrong') && codes.includes('idempotency_key_reused'));
  for (const [lang, table] of [
    ['es', refusalsEs],
    ['en', refusalsEn],
  ] as const) {
    const texts = table as Record<string, string>;
    const missing = codes.filter((c) => !Object.hasOwn(texts, c) || !texts[c]!.trim());
    assert.deepEqual(missing, [], `refusal codes without a console text in ${lang}`);
    assert.deepEqual(
      Object.keys(texts).filter((c) => !codes.includes(c)),
      [],
      `console texts in ${lang} for codes the closed list does not have`,
    );
  }
  const untranslated = codes.filter((c) => (refusalsEs as Record<string, string>)[c] === (refusalsEn as Record<string, string>)[c]);
  assert.deepEqual(untranslated, [], 'an English text that is still the Spanish one');
});

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The rule tables, by the name that starts their codes: the console's RULE_TABLES (checked below). */
const TABLES: Record<string, Record<string, { es: string; en: string }>> = {
  common: COMMON_MESSAGES,
  identity: IDENTITY_MESSAGES,
  apps: APP_MESSAGES,
  wallets: WALLET_MESSAGES,
  webhooks: WEBHOOK_MESSAGES,
  payouts: PAYOUT_MESSAGES,
  fees: FEE_MESSAGES,
  point: POINT_MESSAGES,
};

test('the console knows every rule table: its RULE_TABLES are these', () => {
  const source = readFileSync('console/src/lib/messages.ts', 'utf8');
  const block = source.slice(source.indexOf('RULE_TABLES'), source.indexOf('};', source.indexOf('RULE_TABLES')));
  const names = [...block.matchAll(/^\s+([a-z]+): [A-Z_]+,$/gm)].map((m) => m[1]!);
  assert.deepEqual(names.sort(), Object.keys(TABLES).sort());
});

test('every rule code the server sends names a rule text with Spanish and English', () => {
  // Codes are written whole ('payouts.fileEmpty'), beside the Spanish text or as an error's second argument.
  const pattern = new RegExp(`'(${Object.keys(TABLES).join('|')})\\.(\\w+)'`, 'g');
  const used = new Set<string>();
  for (const file of sources('src')) {
    for (const m of readFileSync(file, 'utf8').matchAll(pattern)) used.add(`${m[1]}.${m[2]}`);
  }
  const literal = [...used];
  assert.ok(literal.length >= 80, `rule codes found: ${literal.join(', ')}`);
  for (const code of literal) {
    const [table, key] = code.split('.') as [string, string];
    assert.ok(Object.hasOwn(TABLES[table]!, key), `${code} names no rule text`);
  }
  for (const [name, table] of Object.entries(TABLES)) {
    for (const [key, said] of Object.entries(table)) {
      assert.ok(said.es.trim() && said.en.trim(), `${name}.${key} has both languages`);
      assert.notEqual(said.es, said.en, `${name}.${key}: the English is still the Spanish`);
    }
  }
});
