// The layout rules, checked so they stay true: SQL lives in repositories and store/ only, the
// environment is read in one place, modules never reach into the HTTP side or into each
// other's files, and no source file grows past ~400 lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SRC = join(ROOT, 'src');
const CONSOLE_SRC = join(ROOT, 'console', 'src');
const SDK_SRC = join(ROOT, 'packages', 'sdk', 'src');
const MAX_LINES = 400;

function sources(dir = SRC): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

const rel = (path: string) => relative(ROOT, path).split(sep).join('/');

/** The code without comments (a comment may name what the code must not use). */
function code(path: string): string {
  return readFileSync(path, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
}

function imports(path: string): string[] {
  return importsIn(code(path), path);
}

function importsIn(text: string, path: string): string[] {
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => resolve(dirname(path), m[1]!));
}

/** What a file loads when it runs: `import type` is erased by the build and loads nothing. */
function runtimeImports(path: string): string[] {
  return importsIn(code(path).replace(/^\s*import type [^;]*;/gm, ''), path);
}

const isRepository = (path: string) => /(^|[-/])repo\.ts$/.test(rel(path)) || rel(path).startsWith('src/store/');

test('SQL is written only in repository files and store/', () => {
  const sql = /\b(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(|\bsql(<[^`]*>)?`|\.schema\./;
  const offenders = sources()
    .filter((path) => !isRepository(path) && sql.test(code(path)))
    .map(rel);
  assert.deepEqual(offenders, []);
});

test('the environment is read only by platform/config.ts', () => {
  const offenders = sources()
    .filter((path) => rel(path) !== 'src/platform/config.ts' && /process\.env\b/.test(code(path)))
    .map(rel);
  assert.deepEqual(offenders, []);
});

test('kernel, platform, store and modules never import the HTTP side, the CLI or the workers', () => {
  const inner = ['src/kernel/', 'src/platform/', 'src/store/', 'src/modules/'];
  const outer = ['src/http/', 'src/cli/', 'src/workers/'];
  const offenders = sources()
    .filter((path) => inner.some((p) => rel(path).startsWith(p)))
    .flatMap((path) =>
      imports(path)
        .filter((target) => outer.some((p) => rel(target).startsWith(p)))
        .map((target) => `${rel(path)} → ${rel(target)}`),
    );
  assert.deepEqual(offenders, []);
});

test('the kernel depends on nothing else', () => {
  const offenders = sources()
    .filter((path) => rel(path).startsWith('src/kernel/'))
    .flatMap((path) =>
      imports(path)
        .filter((target) => !rel(target).startsWith('src/kernel/'))
        .map((target) => `${rel(path)} → ${rel(target)}`),
    );
  assert.deepEqual(offenders, []);
});

test('code outside a module uses it only through its index.ts', () => {
  const moduleOf = (path: string) => /^src\/modules\/([^/]+)\//.exec(rel(path))?.[1];
  // The package entry (src/index.ts) exports the signature check alone, so a receiver that
  // verifies notifications does not load the database drivers the webhooks index brings.
  const offenders = sources().flatMap((path) =>
    imports(path)
      .filter((target) => !(rel(path) === 'src/index.ts' && rel(target) === 'src/modules/webhooks/signature.ts'))
      .filter((target) => {
        const owner = moduleOf(target);
        // A module's events.ts is a declaration the catalogue joins; everything else goes through index.ts.
        return owner !== undefined && owner !== moduleOf(path) && !/\/(index|events)\.ts$/.test(rel(target));
      })
      .map((target) => `${rel(path)} → ${rel(target)}`),
  );
  assert.deepEqual(offenders, []);
});

test(`no source file (server, web console or SDK) is longer than ${MAX_LINES} lines`, () => {
  const offenders = [...sources(), ...sources(CONSOLE_SRC), ...sources(SDK_SRC)]
    .map((path) => ({ path: rel(path), lines: readFileSync(path, 'utf8').split('\n').length }))
    .filter((f) => f.lines > MAX_LINES)
    .map((f) => `${f.path} (${f.lines})`);
  assert.deepEqual(offenders, []);
});

test('the web console reaches into src/ only for pure rules: no I/O, no packages, nothing stateful', () => {
  // The browser and the server check forms with the same rules (src/modules/*/rules.ts); what
  // they pull in must run in a browser: kernel files and a module's rules.ts or model.ts. The
  // event catalogue is data too (each module's events.ts, joined by events/catalogue.ts): the
  // webhook form offers the server's own list of event types.
  const pure = (path: string) =>
    /^src\/kernel\/|^src\/modules\/[^/]+\/(rules|model|events)\.ts$|^src\/modules\/events\/(catalogue|declare)\.ts$/.test(rel(path));
  const seen = new Set<string>();
  const queue = sources(CONSOLE_SRC).flatMap((path) => runtimeImports(path).filter((target) => rel(target).startsWith('src/')));
  const offenders: string[] = [];
  while (queue.length) {
    const path = queue.pop()!;
    if (seen.has(path)) continue;
    seen.add(path);
    if (!pure(path)) offenders.push(`${rel(path)} is not a rules, model or kernel file`);
    const packages = [...code(path).matchAll(/(?:from|import)\s*\(?\s*'([^.'][^']*)'/g)].map((m) => m[1]!);
    if (packages.length) offenders.push(`${rel(path)} imports ${packages.join(', ')}`);
    queue.push(...runtimeImports(path));
  }
  assert.deepEqual(offenders, []);
  assert.ok(seen.size > 0, 'the console uses the shared rules');
});

test('the SDK stands alone: it imports nothing outside its folder and no package but Node’s own', () => {
  // Integrators install it without the server; its only runtime is Node 20 (fetch, node:crypto).
  const offenders = sources(SDK_SRC).flatMap((path) => [
    ...imports(path)
      .filter((target) => !rel(target).startsWith('packages/sdk/src/'))
      .map((target) => `${rel(path)} → ${rel(target)}`),
    ...[...code(path).matchAll(/(?:from|import)\s*\(?\s*'([^.'][^']*)'/g)]
      .map((m) => m[1]!)
      .filter((name) => !name.startsWith('node:'))
      .map((name) => `${rel(path)} imports ${name}`),
  ]);
  assert.deepEqual(offenders, []);
  assert.ok(sources(SDK_SRC).length > 5, 'the SDK sources are where this test looks');
});
