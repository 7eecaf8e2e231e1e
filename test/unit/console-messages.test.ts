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
import { pathToFileURL } from 'node:url';
import { RULE_TABLES as TABLES } from '../../console/src/lib/rule-tables.ts';

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

test('the console knows every rule table: each *_MESSAGES the server exports is in its RULE_TABLES', async () => {
  const found: { name: string; table: unknown }[] = [];
  for (const file of sources('src')) {
    if (!/^export const [A-Z_]+_MESSAGES\b/m.test(readFileSync(file, 'utf8'))) continue;
    const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    for (const [name, table] of Object.entries(module)) if (name.endsWith('_MESSAGES')) found.push({ name: `${file}: ${name}`, table });
  }
  assert.ok(found.length >= 8, `rule tables found: ${found.map((f) => f.name).join(', ')}`);
  const known = new Set<unknown>(Object.values(TABLES));
  assert.deepEqual(
    found.filter((f) => !known.has(f.table)).map((f) => f.name),
    [],
    'rule tables the console does not know',
  );
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
