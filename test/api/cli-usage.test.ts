// `pasarela` helps: --help for the command and each subcommand (exit 0), the operator's
// language (LANG en → English, unset or es → Spanish), usage errors as one line (exit 2), and
// the failures an operator causes — a busy port, production without a master key or with the
// wrong one, a database that does not answer, demo in production — as one clear line and a
// non-zero exit, never a stack trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliResult } from '../cli.ts';

const COMMANDS = ['start', 'migrate', 'demo', 'verify-ledger', 'listen', 'trigger'];

/** One line on stderr, nothing that looks like a stack frame. */
function oneLine(result: CliResult): string {
  assert.doesNotMatch(result.stderr, /^\s+at /m, `a stack trace:\n${result.stderr}`);
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${result.stderr}`);
  return lines[0]!;
}

function withDataDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'pasarela-cli-'));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

test('--help and <command> --help answer 0 with the usage, in Spanish by default and in English for LANG=en', async () => {
  const [es, en, bare, helpWord] = await Promise.all([
    runCli(['--help'], {}),
    runCli(['--help'], { LANG: 'en_US.UTF-8' }),
    runCli([], { LANG: 'es_VE.UTF-8' }),
    runCli(['help', 'demo'], {}),
  ]);
  for (const result of [es, en, bare]) {
    assert.equal(result.code, 0, result.stderr);
    for (const name of COMMANDS) assert.match(result.stdout, new RegExp(`^  ${name} `, 'm'), name);
  }
  assert.match(es.stdout, /^Uso: pasarela <comando>/);
  assert.match(bare.stdout, /^Uso: pasarela <comando>/);
  assert.match(en.stdout, /^Usage: pasarela <command>/);
  assert.equal(helpWord.code, 0);
  assert.match(helpWord.stdout, /^Uso: pasarela demo \[--json\]/);

  const each = await Promise.all(COMMANDS.map((name) => runCli([name, '--help'], {})));
  each.forEach((result, i) => {
    assert.equal(result.code, 0, `${COMMANDS[i]}: ${result.stderr}`);
    assert.match(result.stdout, new RegExp(`^Uso: pasarela ${COMMANDS[i]}`), result.stdout);
    assert.match(result.stdout, /-h, --help/);
  });
  const listen = await runCli(['listen', '-h'], { LANG: 'en_GB.UTF-8' });
  assert.equal(listen.code, 0);
  for (const option of ['--forward-to', '--url', '--token', '--secret', '--events']) assert.match(listen.stdout, new RegExp(option));
  assert.match(listen.stdout, /^Usage: pasarela listen/);
});

test('usage errors: one line naming the problem, exit 2', async () => {
  const [unknownOption, missingValue, extra, missingType, unknownCommand] = await Promise.all([
    runCli(['demo', '--jsn'], {}),
    runCli(['listen', '--forward-to'], { LANG: 'en_US.UTF-8' }),
    runCli(['migrate', 'now'], {}),
    runCli(['trigger'], {}),
    runCli(['serve'], {}),
  ]);
  assert.equal(unknownOption.code, 2);
  assert.match(oneLine(unknownOption), /opción desconocida --jsn.*pasarela demo --help/);
  assert.equal(missingValue.code, 2);
  assert.match(oneLine(missingValue), /option --forward-to needs a value/);
  assert.equal(extra.code, 2);
  assert.match(oneLine(extra), /argumento inesperado now/);
  assert.equal(missingType.code, 2);
  assert.match(oneLine(missingType), /falta el tipo de evento/);
  assert.equal(unknownCommand.code, 2);
  assert.match(unknownCommand.stderr, /^Comando desconocido: serve/);
});

test('a busy port: one line, exit 1', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as { port: number }).port;
  try {
    await withDataDir(async (dir) => {
      const env = { DATA_DIR: dir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
      const [es, en] = [await runCli(['start'], env), await runCli(['start'], { ...env, LANG: 'en_US.UTF-8' })];
      assert.equal(es.code, 1);
      assert.equal(oneLine(es), `El puerto ${port} ya está en uso en 127.0.0.1. Detenga el otro proceso o elija otro puerto con PORT=…`);
      assert.equal(en.code, 1);
      assert.equal(oneLine(en), `Port ${port} is already in use on 127.0.0.1. Stop the other process or choose another port with PORT=…`);
    });
  } finally {
    blocker.close();
  }
});

test('production without a master key, demo / trigger in production, a wrong master key: one line each', async () => {
  await withDataDir(async (dir) => {
    const noKey = await runCli(['start'], { DATA_DIR: dir, PASARELA_ENV: 'production' });
    assert.equal(noKey.code, 2);
    assert.match(oneLine(noKey), /^Configuración inválida: PASARELA_MASTER_KEY es obligatoria en producción/);
    const noKeyEn = await runCli(['migrate'], { DATA_DIR: dir, PASARELA_ENV: 'production', LANG: 'en_US.UTF-8' });
    assert.match(oneLine(noKeyEn), /^Invalid configuration: PASARELA_MASTER_KEY is required in production/);

    const key = randomBytes(32).toString('base64');
    const production = { DATA_DIR: dir, PASARELA_ENV: 'production', PASARELA_MASTER_KEY: key };
    const demo = await runCli(['demo'], production);
    assert.equal(demo.code, 1);
    assert.equal(oneLine(demo), 'pasarela demo solo existe en el ambiente de pruebas (PASARELA_ENV=sandbox).');
    const trigger = await runCli(['trigger', 'payment.created'], { ...production, LANG: 'en_US.UTF-8' });
    assert.equal(trigger.code, 1);
    assert.equal(oneLine(trigger), 'pasarela trigger exists only in the sandbox environment (PASARELA_ENV=sandbox).');
  });
  // a sandbox made with its generated key, then opened with another
  await withDataDir(async (dir) => {
    const made = await runCli(['demo', '--json'], { DATA_DIR: dir });
    assert.equal(made.code, 0, made.stderr);
    const wrongKey = await runCli(['demo'], { DATA_DIR: dir, PASARELA_MASTER_KEY: randomBytes(32).toString('base64') });
    assert.equal(wrongKey.code, 2);
    assert.match(oneLine(wrongKey), /PASARELA_MASTER_KEY no abre los secretos guardados en esta base de datos/);
  });
});

test('a database that does not answer: one line without the password, exit 1', async () => {
  // Port 1 on loopback: nothing listens there, the connection is refused at once.
  const url = 'postgres://postgres:s3cret-pw@127.0.0.1:1/pasarela';
  const [start, migrate, verify] = await Promise.all([
    runCli(['start'], { DATABASE_URL: url }),
    runCli(['migrate'], { DATABASE_URL: url, LANG: 'en_US.UTF-8' }),
    runCli(['verify-ledger'], { DATABASE_URL: url }),
  ]);
  for (const result of [start, migrate, verify]) {
    assert.equal(result.code, 1, result.stderr);
    const line = oneLine(result);
    assert.ok(!line.includes('s3cret-pw'), line);
    assert.match(line, /127\.0\.0\.1:1\/pasarela \(ECONNREFUSED\)/);
  }
  assert.match(start.stderr, /^No se pudo conectar con la base de datos/);
  assert.match(migrate.stderr, /^Could not connect to the database/);
});
