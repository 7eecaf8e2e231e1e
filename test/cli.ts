// Running the `pasarela` command as a child process, the way an operator does, with a test
// platform's environment. The child runs the sources (src/cli/main.ts through tsx), not the
// compiled dist/ that bin/pasarela.js runs: `npm test` builds nothing, so a dist/ left from an
// earlier build could be stale and the tests would check old code. That bin/pasarela.js and
// the package's exports run the compiled code under plain Node is test/api/package.test.ts's job.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** `process.execPath` arguments before the command's own: `node <CLI> start` is `pasarela start`. */
export const CLI = ['--import', 'tsx', fileURLToPath(new URL('../src/cli/main.ts', import.meta.url))];

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  // The child sees only the platform's own settings on top of the basics (PATH, HOME…), so a
  // developer's DATABASE_URL or PORT cannot leak into it — nor their LANG: the command speaks
  // Spanish unless a test asks for English.
  const base: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'SystemRoot']) if (process.env[key] !== undefined) base[key] = process.env[key];
  return { ...base, ...env };
}

/** Run `pasarela <args>` to completion. */
export function runCli(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<CliResult> {
  return runNode([...CLI, ...args], env, { timeoutMs });
}

/** Run `node <argv>` to completion (plain Node: no loader unless `argv` names one). */
export function runNode(argv: string[], env: Record<string, string>, options: { cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  const { cwd = ROOT, timeoutMs = 60_000 } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`node ${argv.join(' ')} did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once('error', (error) => (clearTimeout(timer), reject(error)));
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export interface RunningCli {
  child: ChildProcess;
  /** Everything the process wrote so far (stdout and stderr, in arrival order). */
  output(): string;
  /** SIGTERM, then wait for the exit (SIGKILL after `timeoutMs`). */
  stop(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Start a long-running `pasarela <args>` (e.g. `start`). */
export function spawnCli(args: string[], env: Record<string, string>): RunningCli {
  return spawnNode([...CLI, ...args], env);
}

/** Start a long-running `node <argv>`. */
export function spawnNode(argv: string[], env: Record<string, string>, cwd = ROOT): RunningCli {
  const child = spawn(process.execPath, argv, { cwd, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => output,
    async stop(timeoutMs = 10_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Wait until a started `pasarela start` answers 200 on /readyz (throws with its output if it exits first). */
export async function untilReady(running: RunningCli, url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { exitCode } = running.child;
    if (exitCode !== null) throw new Error(`pasarela start exited early (${exitCode}):\n${running.output()}`);
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`pasarela start was not ready within ${timeoutMs} ms:\n${running.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A TCP port that was free a moment ago (for a child that cannot report its own). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
