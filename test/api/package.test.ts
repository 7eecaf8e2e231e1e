// The package as an integrator gets it: built (`npm run build:server`, what `prepare` runs),
// packed (`npm pack`), unpacked into an empty folder's node_modules and used under plain Node,
// with no TypeScript loader anywhere: `import { verifySignature } from 'pasarela'` checks a
// real signature, its type declarations type-check a receiver, and the packed `pasarela`
// command answers --help and serves.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, ROOT, runNode, spawnNode, untilReady } from '../cli.ts';
import { http, openTestPlatform } from '../helpers.ts';

const exec = promisify(execFile);
let dir: string;
let app: string;
let installed: string;
let packed: string[];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pasarela-pack-'));
  await exec('npm', ['run', 'build:server'], { cwd: ROOT });
  // --ignore-scripts: the build above is `prepare`'s server half; the console's build is
  // already there (npm ci made it) and rebuilding it here would only cost time.
  const { stdout } = await exec('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, maxBuffer: 64 << 20 });
  const [info] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  packed = info!.files.map((f) => f.path);
  app = join(dir, 'app');
  installed = join(app, 'node_modules', 'pasarela');
  mkdirSync(installed, { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'receiver', private: true, type: 'module' }));
  await exec('tar', ['-xzf', join(dir, info!.filename), '-C', installed, '--strip-components=1']);
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the tarball holds the compiled code and its declarations, not the sources', () => {
  for (const file of ['dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'bin/pasarela.js', 'package.json', 'assets/js/pasarela.js'])
    assert.ok(packed.includes(file), file);
  assert.ok(!packed.some((f) => f.startsWith('src/') || f.startsWith('test/')), 'no sources or tests in the package');
  assert.ok(!packed.some((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')), 'no .ts file to load');
});

test("import { verifySignature } from 'pasarela' under plain Node", async () => {
  const script = `
    import { verifySignature, signatureHeader, checkSignature } from 'pasarela';
    const secret = 'whsec_package_test';
    const ts = Math.floor(Date.now() / 1000);
    const headers = { 'x-request-id': 'req-1', 'x-signature': signatureHeader(secret, { dataId: 'pay_1', requestId: 'req-1', ts }) };
    const query = new URLSearchParams('data.id=pay_1&type=payment');
    console.log(JSON.stringify({
      good: verifySignature(headers, query, secret),
      wrongSecret: verifySignature(headers, query, 'whsec_other'),
      tampered: checkSignature(headers, 'data.id=pay_2', secret),
      loaders: process.execArgv,
    }));`;
  const result = await runNode(['--input-type=module', '-e', script], {}, { cwd: app });
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), {
    good: true,
    wrongSecret: false,
    tampered: { ok: false, reason: 'signature_mismatch' },
    loaders: ['--input-type=module', '-e', script],
  });
});

test('the declarations type-check a receiver (and refuse a wrong call)', async () => {
  linkDependencies();
  writeFileSync(
    join(app, 'receiver.ts'),
    `import { verifySignature, type VerifyOptions } from 'pasarela';
const options: VerifyOptions = { toleranceSeconds: 60 };
export const ok: boolean = verifySignature({ 'x-signature': 'ts=1,v1=00' }, 'data.id=1', 'whsec', options);
// @ts-expect-error the secret is a string
verifySignature({}, '', 42);
`,
  );
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const args = [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--types', 'node', 'receiver.ts'];
  const result = await runNode(args, {}, { cwd: app });
  assert.equal(result.code, 0, result.stdout + result.stderr);
});

test('the packed `pasarela` command runs the compiled code: --help, then start', async () => {
  linkDependencies();
  const bin = join(installed, 'bin', 'pasarela.js');
  const help = await runNode([bin, '--help'], {}, { cwd: app });
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /start/);

  const platform = await openTestPlatform();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = spawnNode([bin, 'start'], { ...platform.env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url }, app);
  try {
    await untilReady(server, url);
    assert.deepEqual((await http(url, 'GET', '/readyz')).body, { status: 'ok', database: platform.backend });
    // The browser files are found beside dist/ (assets/), as they are beside src/.
    const script = await http(url, 'GET', '/js/pasarela.js');
    assert.equal(script.status, 200);
    assert.match(script.text, /window\.Pasarela = Pasarela/);
    assert.equal((await http(url, 'GET', '/examples/card-checkout')).status, 200);
    const { code } = await server.stop();
    assert.equal(code, 0, server.output());
  } finally {
    await server.stop();
    await platform.close();
  }
});

/**
 * The folder's other dependencies, as `npm install` would have put them: links to this
 * checkout's node_modules (no registry needed).
 */
function linkDependencies(): void {
  const modules = join(app, 'node_modules');
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (name === '.bin' || name.startsWith('.') || existsSync(join(modules, name))) continue;
    symlinkSync(join(ROOT, 'node_modules', name), join(modules, name), 'dir');
  }
}
