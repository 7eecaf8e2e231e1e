// The packages as an integrator gets them: built (`npm run build:server`, `npm run build:sdk`,
// what `prepare` runs), packed (`npm pack`) and used under plain Node, with no TypeScript
// loader anywhere. The server package, unpacked into a folder's node_modules:
// `import { verifySignature } from 'pasarela'` checks a real signature, its declarations
// type-check a receiver, and the packed `pasarela` command answers --help and serves. Both
// tarballs, installed together by `npm install` in an empty folder (offline from npm's cache
// when it can): each imports, and the SDK README's complete sale runs against a real server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, ROOT, runNode, spawnNode, untilReady } from '../cli.ts';
import { http, openTestPlatform, startTestServer } from '../helpers.ts';
import { ensureDemo } from '../../src/modules/sandbox/demo.ts';

const exec = promisify(execFile);
const SDK = join(ROOT, 'packages', 'sdk');
let dir: string;
let app: string;
let installed: string;
let packed: string[];
let sdkPacked: string[];
/** The folder where `npm install` put both tarballs. */
let shop: string;

async function pack(cwd: string): Promise<{ filename: string; files: string[] }> {
  // --ignore-scripts: the builds above are `prepare`'s (and the SDK's `prepack`); the console's
  // build is already there (npm ci made it) and rebuilding it here would only cost time.
  const { stdout } = await exec('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd, maxBuffer: 64 << 20 });
  const [info] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  return { filename: join(dir, info!.filename), files: info!.files.map((f) => f.path) };
}

before(
  async () => {
    dir = mkdtempSync(join(tmpdir(), 'pasarela-pack-'));
    await exec('npm', ['run', 'build:server'], { cwd: ROOT });
    await exec('npm', ['run', 'build:sdk'], { cwd: ROOT });
    const server = await pack(ROOT);
    const sdk = await pack(SDK);
    packed = server.files;
    sdkPacked = sdk.files;
    app = join(dir, 'app');
    installed = join(app, 'node_modules', 'pasarela');
    mkdirSync(installed, { recursive: true });
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'receiver', private: true, type: 'module' }));
    await exec('tar', ['-xzf', server.filename, '-C', installed, '--strip-components=1']);

    shop = join(dir, 'shop');
    mkdirSync(shop);
    writeFileSync(join(shop, 'package.json'), JSON.stringify({ name: 'shop', private: true, type: 'module' }));
    // --ignore-scripts: nothing here needs the server's native database driver built.
    const flags = ['--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'];
    await exec('npm', ['install', ...flags, server.filename, sdk.filename], { cwd: shop, maxBuffer: 64 << 20, timeout: 240_000 });
    // Two builds, two packs and an install: minutes on a busy machine, bounded by the steps above.
  },
  { timeout: 600_000 },
);

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

test('the SDK tarball holds its compiled code, declarations and README, nothing else', () => {
  assert.deepEqual(sdkPacked.filter((f) => !f.startsWith('dist/')).sort(), ['README.md', 'package.json']);
  for (const file of ['dist/index.js', 'dist/index.d.ts', 'dist/webhooks.js', 'dist/resources/payment-intents.js']) assert.ok(sdkPacked.includes(file), file);
  assert.ok(!sdkPacked.some((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')), 'no .ts file to load');
  const manifest = JSON.parse(readFileSync(join(SDK, 'package.json'), 'utf8')) as { version: string; dependencies?: object };
  assert.equal(manifest.dependencies, undefined, 'no runtime dependency (the server package least of all)');
});

test('npm install of both tarballs in an empty folder: each imports under plain Node, and they agree on signatures', async () => {
  for (const name of ['pasarela', '@pasarela/sdk']) assert.ok(existsSync(join(shop, 'node_modules', name, 'package.json')), `${name} installed`);
  const script = `
    import { signatureHeader } from 'pasarela';
    import { Pasarela, constructEvent, PasarelaSignatureVerificationError, VERSION } from '@pasarela/sdk';
    const secret = 'whsec_pack';
    const ts = Math.floor(Date.now() / 1000);
    const headers = { 'x-request-id': 'req-1', 'x-signature': signatureHeader(secret, { dataId: 'pay_1', requestId: 'req-1', ts }) };
    const body = JSON.stringify({ id: 'evt', action: 'payment.created', data: { id: 'pay_1' } });
    let refused;
    try { constructEvent(body, headers, 'whsec_other'); } catch (error) { refused = error instanceof PasarelaSignatureVerificationError && error.code; }
    console.log(JSON.stringify({
      event: constructEvent(body, headers, secret).action,
      refused,
      client: typeof new Pasarela({ clientId: 'a', clientSecret: 'b' }).paymentIntents.create,
      version: VERSION,
      loaders: process.execArgv,
    }));`;
  const result = await runNode(['--input-type=module', '-e', script], {}, { cwd: shop });
  assert.equal(result.code, 0, result.stderr);
  const { version } = JSON.parse(readFileSync(join(SDK, 'package.json'), 'utf8')) as { version: string };
  assert.deepEqual(JSON.parse(result.stdout), {
    event: 'payment.created',
    refused: 'signature_mismatch',
    client: 'function',
    version,
    loaders: ['--input-type=module', '-e', script],
  });
});

test("the SDK README's complete sale runs as written against a real server", async () => {
  const readme = readFileSync(join(SDK, 'README.md'), 'utf8');
  const sale = /## A complete sale\n+```js\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(sale, 'the README has the sale');
  assert.ok(sale.trimEnd().split('\n').length <= 15, 'in 15 lines or fewer');
  const server = await startTestServer();
  try {
    const demo = await ensureDemo(server.ctx);
    // Only the address differs: the test server listens on a port of its own.
    writeFileSync(join(shop, 'sale.mjs'), sale.replace('http://localhost:3000', server.url));
    const env = { CLIENT_ID: demo.merchant.app.clientId, CLIENT_SECRET: demo.merchant.app.clientSecret };
    const result = await runNode(['sale.mjs'], env, { cwd: shop });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^executed P\d+\n$/);
  } finally {
    await server.close();
  }
});

test('the SDK declarations type-check an integration (and refuse a wrong call)', async () => {
  writeFileSync(
    join(shop, 'integration.ts'),
    `import { Pasarela, PasarelaConflictError, type PaymentIntent, type WebhookEvent } from '@pasarela/sdk';
const pasarela = new Pasarela({ clientId: 'id', clientSecret: 'secret' });
export async function charge(payer: string): Promise<string> {
  const intent: PaymentIntent = await pasarela.paymentIntents.create({
    intent: 'sale',
    redirectUrls: { returnUrl: 'https://shop.example/ok', cancelUrl: 'https://shop.example/cancel' },
    transactions: [{ amount: { total: '20.00' }, description: 'Pedido', items: [{ name: 'x', price: 20 }] }],
  });
  for await (const summary of pasarela.paymentIntents.list()) if (summary.state === 'expired') break;
  try {
    return (await pasarela.paymentIntents.executeSale(intent.id, { payer })).lastResponse.requestId ?? '';
  } catch (error) {
    if (error instanceof PasarelaConflictError) return error.code ?? '';
    throw error;
  }
}
export const action = (event: WebhookEvent): string => event.action;
// @ts-expect-error a billing request needs its recipient
pasarela.paymentIntents.create({ intent: 'request', redirectUrls: { returnUrl: '', cancelUrl: '' }, transactions: [] });
// @ts-expect-error there is no such state
export const wrong = (i: PaymentIntent) => i.state === 'approved';
`,
  );
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const types = join(ROOT, 'node_modules', '@types');
  const args = [
    tsc,
    '--noEmit',
    '--strict',
    '--module',
    'nodenext',
    '--moduleResolution',
    'nodenext',
    '--typeRoots',
    types,
    '--types',
    'node',
    'integration.ts',
  ];
  const result = await runNode(args, {}, { cwd: shop });
  assert.equal(result.code, 0, result.stdout + result.stderr);
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
