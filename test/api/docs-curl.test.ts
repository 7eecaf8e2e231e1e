// The README's and the docs' shell examples run as pasted. A real `pasarela start` serves a
// fresh sandbox (demo data made by the start itself); each Markdown file's runnable blocks
// (test/docs-blocks.ts says which) are joined, in order, into one bash script run with
// `set -euo pipefail` from the project's folder, as a reader pastes them into one terminal
// beside the server. The only things the test gives the script are the deployment's
// environment (where `pasarela demo` finds the data, as `./data` is for a reader) and the
// addresses the docs read with a default: `BASE=${BASE:-http://localhost:3000}` and
// `HOOK_PORT=${HOOK_PORT:-4000}` (the webhook guide's receiver), so the server and the receiver
// can take free ports. `npx pasarela` runs the compiled package (dist/); here a shell function
// runs the sources instead, as every CLI test does (test/cli.ts says why).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { freePort, ROOT, spawnCli, untilReady, type RunningCli } from '../cli.ts';
import { anchorsOfFile, commandLines, documentationFiles, relativeLinks, shellBlocks } from '../docs-blocks.ts';
import { openTestPlatform, type TestPlatform } from '../helpers.ts';

const FILE_TIMEOUT_MS = 240_000;
const GUIDES = ['first-payment', 'billing-requests', 'payouts', 'webhooks', 'going-live'];

const files = documentationFiles();

test('the docs: the reference and every guide exist, are linked from the README, and hold runnable examples', () => {
  assert.ok(existsSync(join(ROOT, 'docs/wallet-api.md')));
  const readmeLinks = new Set(relativeLinks('README.md').map((link) => link.href.split('#')[0]));
  assert.ok(readmeLinks.has('docs/README.md') && readmeLinks.has('docs/wallet-api.md'), 'README links the docs and the reference');
  for (const guide of GUIDES) {
    const file = `docs/guides/${guide}.md`;
    assert.ok(readmeLinks.has(file), `README links ${file}`);
    assert.ok(
      shellBlocks(file).some((block) => block.runs),
      `${file} has examples that run`,
    );
  }
});

test('relative links resolve to files of the repository and to headings that exist', () => {
  const broken: string[] = [];
  for (const file of files) {
    for (const { where, href } of relativeLinks(file)) {
      const [path = '', fragment] = href.split('#');
      const target = path === '' ? file : relative(ROOT, resolve(ROOT, dirname(file), decodeURI(path)));
      if (target.startsWith('..') || !existsSync(join(ROOT, target))) broken.push(`${where}: ${href} (no ${target} in the repository)`);
      else if (fragment && target.endsWith('.md') && !anchorsOfFile(target).has(fragment)) broken.push(`${where}: ${href} (no such heading in ${target})`);
    }
  }
  assert.deepEqual(broken, []);
});

test('runnable blocks fail on an HTTP error and need nothing but curl, node and the shell', () => {
  const problems: string[] = [];
  for (const file of files) {
    for (const block of shellBlocks(file).filter((b) => b.runs)) {
      for (const line of commandLines(block.code)) {
        // -f / --fail makes curl (and so the script) fail on a 4xx or 5xx. A curl that shows an
        // error on purpose prints its status (%{http_code}); a readiness probe is a loop's test.
        const checked =
          /(^|\s)(-[a-zA-Z]*f[a-zA-Z]*|--fail(-with-body)?)(\s|$)/.test(line) || line.includes('%{http_code}') || /^\s*(until|while)\s/.test(line);
        if (/(^|[\s;|&(`])curl\s/.test(line) && !checked) problems.push(`${block.where}: curl without -f: ${line.trim()}`);
        // CI machines have no jq: the docs extract JSON fields with node (their `field` helper).
        if (/(^|[\s;|&(`])jq\s/.test(line)) problems.push(`${block.where}: jq is not on every machine: ${line.trim()}`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

let platform: TestPlatform;
let server: RunningCli;
let base: string;

before(async () => {
  platform = await openTestPlatform();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawnCli(['start'], { ...platform.env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: base });
  await untilReady(server, base);
});

after(async () => {
  await server?.stop();
  await platform?.close();
});

interface ScriptRun {
  code: number | null;
  output: string;
}

async function runScript(script: string, env: Record<string, string>): Promise<ScriptRun> {
  const dir = mkdtempSync(join(tmpdir(), 'pasarela-docs-'));
  const path = join(dir, 'blocks.sh');
  writeFileSync(path, script);
  // Its own process group, so a block's background process (the webhook receiver) ends with it.
  const child = spawn('bash', [path], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), FILE_TIMEOUT_MS);
  const code = await new Promise<number | null>((done) => child.once('close', (exitCode) => done(exitCode)));
  clearTimeout(timer);
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // the group is gone already
  }
  rmSync(dir, { recursive: true, force: true });
  return { code, output };
}

const PRELUDE = [
  'set -euo pipefail',
  'npx() { if [ "${1:-}" = pasarela ]; then shift; node --import tsx src/cli/main.ts "$@"; else command npx "$@"; fi; }',
].join('\n');

for (const file of files) {
  const blocks = shellBlocks(file).filter((block) => block.runs);
  if (blocks.length === 0) continue;
  test(`${file}: its ${blocks.length} shell blocks run as pasted, in order`, async () => {
    const marker = (where: string) => `>>> block ${where}`;
    // Markers on lines of their own (an answer printed by curl has no final newline).
    const script = [PRELUDE, ...blocks.map((block) => `printf '\\n%s\\n' '${marker(block.where)}'\n${block.code}`), `printf '\\n>>> all blocks ran\\n'`].join(
      '\n',
    );
    const hookPort = await freePort();
    const env: Record<string, string> = { BASE: base, HOOK_PORT: String(hookPort), ...platform.env };
    for (const key of ['PATH', 'HOME', 'TMPDIR']) if (process.env[key] !== undefined) env[key] = process.env[key]!;
    const { code, output } = await runScript(script, env);
    const failed = [...output.matchAll(/^>>> block (\S+)$/gm)].pop()?.[1] ?? '(before the first block)';
    assert.ok(code === 0 && output.includes('>>> all blocks ran'), `the block at ${failed} failed (exit ${code}):\n${output.slice(-6000)}`);
  });
}
