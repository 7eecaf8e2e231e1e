// Every message the console API can answer with names its code beside the Spanish text, so the
// web console can say it in English: a field error or form-level message carries `code`, a 401,
// 403 or 404 is raised with its code. The check reads the server's sources (TypeScript's own
// parser): a message added without a code, anywhere the console API reaches, fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

// What the console API runs: its routes, the shared HTTP layer, the kernel and the modules it
// calls. Not here: the card family's modules (cards; ledger holds are theirs), payments (the
// wallet API's payment lookups) and the other families' routes, which answer their own clients.
const SCOPE = [
  'src/kernel',
  'src/platform/ssrf.ts',
  'src/http/shared',
  'src/http/console-api',
  ...['apps', 'identity', 'wallets', 'wallet-intents', 'webhooks', 'payouts', 'fees', 'point', 'sandbox', 'commands', 'events'].map((m) => `src/modules/${m}`),
];
// Documentation examples, not answers.
const NOT_ANSWERS = /(^|\/)(docs|[a-z-]+-docs|docs-schemas)\.ts$/;
// A refusal on a field is answered as a field error whose code is the refusal's (pasarela-refusal).
const REFUSAL_FIELD = '{ path: [...(error.refusal.field ?? [])], message: answer.message }';

function files(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => files(join(path, name)));
}

const CODED_ERRORS = new Set(['NotFoundError', 'ForbiddenError', 'UnauthorizedError']);

function isText(node: ts.Expression): boolean {
  return (
    ts.isStringLiteral(node) ||
    ts.isNoSubstitutionTemplateLiteral(node) ||
    ts.isTemplateExpression(node) ||
    (ts.isPropertyAccessExpression(node) && node.name.text === 'es')
  );
}

/** Each place in `text` (the file `path`) where a message is raised or listed without its code. */
function uncoded(path: string, text = readFileSync(path, 'utf8')): string[] {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const where = (node: ts.Node) => `${path}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${node.getText().slice(0, 120)}`;
  const visit = (node: ts.Node) => {
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression)) {
      const name = node.expression.text;
      const args = node.arguments ?? [];
      // Without arguments the class's common message and code; with a message, its code beside it.
      if (CODED_ERRORS.has(name) && args.length === 1) found.push(where(node));
      if (name === 'ValidationError' && args.length === 1 && isText(args[0]!)) found.push(where(node));
    }
    if (ts.isObjectLiteralExpression(node)) {
      const names = node.properties.map((p) => (p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined));
      const spread = node.properties.some((p) => ts.isSpreadAssignment(p));
      // A field error ({path, message}) and a line's problem ({line, message}) name their rule.
      const fieldError = names.includes('message') && (names.includes('path') || names.includes('line'));
      if (fieldError && !names.includes('code') && !spread && node.getText() !== REFUSAL_FIELD) found.push(where(node));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

test('no message the console API answers goes without its code', () => {
  const checked = SCOPE.flatMap(files).filter((path) => path.endsWith('.ts') && !NOT_ANSWERS.test(path));
  assert.ok(checked.length > 100, `the sources were found (${checked.length})`);
  assert.deepEqual(
    checked.flatMap((path) => uncoded(path)),
    [],
  );
});

test('the check finds an uncoded message (it can fail)', () => {
  const sample = [
    "throw new NotFoundError('Lote no encontrado.');",
    'throw new ValidationError(`El archivo tiene más de ${n} líneas.`);',
    "errors.push({ path: ['q'], message: 'La búsqueda admite hasta 100 caracteres.' });",
    "problems.push({ line: 3, ref, message: 'El estado debe ser PAID o FAILED.' });",
    "throw new NotFoundError(PAYOUT_MESSAGES.batchNotFound.es, 'payouts.batchNotFound');",
    "throw new ValidationError(PAYOUT_MESSAGES.fileEmpty.es, 'payouts.fileEmpty');",
    "errors.push({ path: ['q'], message: 'x', code: 'identity.searchTooLong' });",
    'throw new ForbiddenError();',
  ].join('\n');
  assert.equal(uncoded('sample.ts', sample).length, 4);
});
