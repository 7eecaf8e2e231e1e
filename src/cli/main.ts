// `pasarela <command> [options]` (see messages.ts for each command's help). Arguments are
// parsed by node:util's parseArgs, strictly: an unknown option is a usage error, not ignored.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { cliLanguage, type Language } from '../platform/config.ts';
import { announcePublicUrl } from '../platform/public-url.ts';
import { hasCustomers } from '../modules/identity/index.ts';
import { buildServer } from '../http/server.ts';
import { ensureDemo } from '../modules/sandbox/index.ts';
import { verifyLedger } from '../modules/ledger/index.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { startWorkers, stopWorkers } from '../workers/index.ts';
import { openDeployment, openSandbox, openStoreOnly, type Parsed, type Ui } from './deployment.ts';
import { CliFailure, expectedFailure, listenFailure } from './failures.ts';
import { commandHelp, generalHelp, messages, type CommandName, type Messages } from './messages.ts';
import { listenCommand, triggerCommand } from './webhooks.ts';

interface Command {
  options: NonNullable<ParseArgsConfig['options']>;
  /** How many positional arguments it takes. */
  positionals?: number;
  run(args: Parsed, ui: Ui): Promise<number>;
}

const COMMANDS: Record<CommandName, Command> = {
  start: { options: {}, run: (_args, ui) => start(ui) },
  migrate: { options: {}, run: (_args, ui) => migrate(ui) },
  demo: { options: { json: { type: 'boolean' } }, run: (args, ui) => demo(args.values.json === true, ui) },
  'verify-ledger': { options: {}, run: (_args, ui) => verify(ui) },
  listen: {
    options: { 'forward-to': { type: 'string' }, url: { type: 'string' }, token: { type: 'string' }, secret: { type: 'string' }, events: { type: 'string' } },
    run: listenCommand,
  },
  trigger: { options: { app: { type: 'string' }, 'notification-url': { type: 'string' } }, positionals: 1, run: triggerCommand },
};

async function start(ui: Ui): Promise<number> {
  const ctx = await openDeployment(ui);
  if (ctx.config.environment === 'sandbox') {
    if (!(await hasCustomers(ctx.store.db))) await ensureDemo(ctx);
  }
  const app = await buildServer(ctx);
  try {
    await app.listen({ port: ctx.config.port, host: ctx.config.host });
  } catch (error) {
    await app.close();
    await ctx.store.close();
    throw listenFailure(error, ctx.config, ui.lang) ?? error;
  }
  // Workers start once the port is ours: a start that cannot listen leaves nothing running.
  const workers = startWorkers(ctx, app.log);
  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await stopWorkers(workers);
    await ctx.store.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  await announcePublicUrl(ctx);
  const url = ctx.config.publicUrl;
  const { t } = ui;
  process.stderr.write(
    `\n${t.listening(ctx.config.environment, ctx.store.dialect, url)}\n` +
      `  ${t.api.padEnd(10)}  ${url}/docs\n` +
      `  ${t.health.padEnd(10)}  ${url}/healthz\n` +
      (ctx.config.environment === 'sandbox' ? `  ${t.demoHint}\n\n` : '\n'),
  );
  return -1; // keeps running
}

async function demo(json: boolean, ui: Ui): Promise<number> {
  const ctx = await openSandbox(ui, 'demo');
  try {
    const doc = await ensureDemo(ctx);
    // The credentials printed must survive a power loss like any other answer.
    await ctx.store.settle();
    if (json) {
      process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
      return 0;
    }
    const d = ui.t.demo;
    const lines = [
      `${d.environment}: ${doc.environment}   URL: ${doc.baseUrl}`,
      `${d.operator}: ${doc.operator.username} / ${doc.operator.password}`,
      `${d.merchant}: ${doc.merchant.username} / ${doc.merchant.password}   ${d.account} ${doc.merchant.accountId}`,
      `  client_id:     ${doc.merchant.app.clientId}`,
      `  client_secret: ${doc.merchant.app.clientSecret}`,
      `  public_key:    ${doc.merchant.app.publicKey}`,
      `  access_token:  ${doc.merchant.app.accessToken}`,
      ...doc.buyers.map((b) => `${d.buyer}: ${b.username} / ${b.password}   PIN ${b.pin}   ${d.phone} ${b.phone}   ${b.identification}`),
      ...doc.devices.flatMap((t) => [
        `${d.terminal}: ${t.id} (${t.operatingMode})   ${d.terminalCredential}: ${t.credential}`,
        `  ${d.terminalPage}: ${t.virtualTerminalUrl}`,
      ]),
      '',
      d.getToken,
      `  curl -F grant_type=urn:client_apps -F client_id=${doc.merchant.app.clientId} -F client_secret=${doc.merchant.app.clientSecret} ${doc.baseUrl}/oauth/v2/token`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  } finally {
    await ctx.store.close();
  }
}

async function migrate(ui: Ui): Promise<number> {
  const store = await openStoreOnly(ui);
  try {
    const applied = await migrateToLatest(store);
    process.stdout.write(applied.length ? `${ui.t.migrated(applied.join(', '))}\n` : `${ui.t.upToDate}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

async function verify(ui: Ui): Promise<number> {
  const store = await openStoreOnly(ui);
  try {
    const problems = await verifyLedger(store);
    for (const p of problems) process.stdout.write(`${p.kind} ${p.id}: ${p.detail}\n`);
    process.stdout.write(`${problems.length ? ui.t.ledgerDifferences(problems.length) : ui.t.ledgerOk}\n`);
    return problems.length ? 1 : 0;
  } finally {
    await store.close();
  }
}

/** parseArgs' refusal (an unknown option, a missing value, one argument too many) in words. */
function usageError(t: Messages, command: CommandName, error: unknown): CliFailure {
  const { code, message } = error as { code?: string; message: string };
  const option = /'([^']+)'/.exec(message)?.[1]?.split(' ')[0] ?? '';
  const detail =
    code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
      ? t.unknownOption(option)
      : code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'
        ? t.missingValue(option)
        : code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL'
          ? t.unexpectedArgument(option)
          : message;
  return new CliFailure(t.badOption(command, detail), 2);
}

function isCommand(name: string | undefined): name is CommandName {
  return name !== undefined && Object.hasOwn(COMMANDS, name);
}

/** Run one command; the exit code, or -1 for a command that keeps running (start, listen). */
export async function main(argv: string[], lang: Language = cliLanguage()): Promise<number> {
  const ui: Ui = { lang, t: messages(lang) };
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    process.stdout.write(isCommand(topic) ? commandHelp(ui.t, topic) : generalHelp(ui.t));
    return 0;
  }
  if (!isCommand(name)) {
    process.stderr.write(`${ui.t.unknownCommand(name)}\n\n${generalHelp(ui.t)}`);
    return 2;
  }
  const command = COMMANDS[name];
  try {
    let parsed: Parsed;
    try {
      const options = { ...command.options, help: { type: 'boolean', short: 'h' } } as const;
      parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
    } catch (error) {
      throw usageError(ui.t, name, error);
    }
    if (parsed.values.help) {
      process.stdout.write(commandHelp(ui.t, name));
      return 0;
    }
    const extra = parsed.positionals[command.positionals ?? 0];
    if (extra !== undefined) throw new CliFailure(ui.t.badOption(name, ui.t.unexpectedArgument(extra)), 2);
    return await command.run(parsed, ui);
  } catch (error) {
    const failure = expectedFailure(error, lang);
    if (!failure) throw error;
    process.stderr.write(`${failure.message}\n`);
    return failure.exitCode;
  }
}

/** Run `main` as a process: exit with its code (unless it keeps running); a bug prints its stack. */
export async function run(argv: string[]): Promise<void> {
  const code = await main(argv).catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    return 1;
  });
  if (code >= 0) process.exit(code);
}

// `tsx src/cli/main.ts …` (npm run dev, the tests): the sources run directly.
if (process.argv[1] && /src[\\/]cli[\\/]main\.ts$/.test(process.argv[1])) void run(process.argv.slice(2));
