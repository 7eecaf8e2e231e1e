// `pasarela start | migrate | demo [--json] | verify-ledger | listen | trigger | help`
import { ConfigError } from '../platform/config.ts';
import { openConfiguredStore, openPlatform } from '../platform/open.ts';
import { hasCustomers } from '../modules/identity/index.ts';
import { buildServer } from '../http/server.ts';
import { ensureDemo } from '../modules/sandbox/index.ts';
import { verifyLedger } from '../modules/ledger/index.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { startWorkers, stopWorkers } from '../workers/index.ts';
import { listenCommand, triggerCommand, WEBHOOK_USAGE } from './webhooks.ts';

const USAGE =
  `Uso: pasarela <comando>

  start           migra la base de datos y sirve el API, las páginas y los trabajadores
  migrate         aplica las migraciones y termina
  demo [--json]   crea (si faltan) los datos de demostración del sandbox e imprime sus credenciales
  verify-ledger   recalcula cada saldo desde los asientos y cada monto reservado desde las reservas
                  pendientes; sale con código 1 ante cualquier diferencia
` + WEBHOOK_USAGE;

async function start(): Promise<void> {
  const ctx = await openPlatform();
  if (ctx.config.environment === 'sandbox') {
    if (!(await hasCustomers(ctx.store.db))) await ensureDemo(ctx);
  }
  const app = await buildServer(ctx);
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
  await app.listen({ port: ctx.config.port, host: ctx.config.host });
  const url = ctx.config.publicUrl;
  process.stderr.write(
    `\nPasarela (${ctx.config.environment}, ${ctx.store.dialect}) escuchando en ${url}\n` +
      `  API:        ${url}/docs\n` +
      `  Salud:      ${url}/healthz\n` +
      (ctx.config.environment === 'sandbox' ? `  Credenciales de demostración: npx pasarela demo   (o --json)\n\n` : '\n'),
  );
}

async function demo(json: boolean): Promise<void> {
  const ctx = await openPlatform();
  try {
    const doc = await ensureDemo(ctx);
    // The credentials printed must survive a power loss like any other answer.
    await ctx.store.settle();
    if (json) {
      process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
      return;
    }
    const lines = [
      `Ambiente: ${doc.environment}   URL: ${doc.baseUrl}`,
      `Operador: ${doc.operator.username} / ${doc.operator.password}`,
      `Comercio: ${doc.merchant.username} / ${doc.merchant.password}   cuenta ${doc.merchant.accountId}`,
      `  client_id:     ${doc.merchant.app.clientId}`,
      `  client_secret: ${doc.merchant.app.clientSecret}`,
      `  public_key:    ${doc.merchant.app.publicKey}`,
      `  access_token:  ${doc.merchant.app.accessToken}`,
      ...doc.buyers.map((b) => `Comprador: ${b.username} / ${b.password}   PIN ${b.pin}   tel ${b.phone}   ${b.identification}`),
      '',
      'Obtener un token:',
      `  curl -F grant_type=urn:client_apps -F client_id=${doc.merchant.app.clientId} -F client_secret=${doc.merchant.app.clientSecret} ${doc.baseUrl}/oauth/v2/token`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    await ctx.store.close();
  }
}

async function migrate(): Promise<void> {
  const store = await openConfiguredStore();
  try {
    const applied = await migrateToLatest(store);
    process.stdout.write(applied.length ? `Migraciones aplicadas: ${applied.join(', ')}\n` : 'La base de datos ya está al día.\n');
  } finally {
    await store.close();
  }
}

async function verify(): Promise<number> {
  const store = await openConfiguredStore();
  try {
    const problems = await verifyLedger(store);
    for (const p of problems) process.stdout.write(`${p.kind} ${p.id}: ${p.detail}\n`);
    process.stdout.write(
      problems.length
        ? `${problems.length} diferencias en el libro mayor.\n`
        : 'El libro mayor cuadra: cada saldo coincide con sus asientos y cada monto reservado con sus reservas pendientes.\n',
    );
    return problems.length ? 1 : 0;
  } finally {
    await store.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'start':
        await start();
        return -1; // keeps running
      case 'migrate':
        await migrate();
        return 0;
      case 'demo':
        await demo(rest.includes('--json'));
        return 0;
      case 'verify-ledger':
        return await verify();
      case 'listen':
        return await listenCommand(rest);
      case 'trigger':
        return await triggerCommand(rest);
      case undefined:
      case 'help':
      case '--help':
        process.stdout.write(USAGE);
        return 0;
      default:
        process.stderr.write(`Comando desconocido: ${command}\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuración inválida: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

/** Run `main` as a process: exit with its code (unless it keeps serving); an unexpected error prints its stack. */
export async function run(argv: string[]): Promise<void> {
  const code = await main(argv).catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    return 1;
  });
  if (code >= 0) process.exit(code);
}

// `tsx src/cli/main.ts …` (npm run dev, the tests): the sources run directly.
if (process.argv[1] && /src[\\/]cli[\\/]main\.ts$/.test(process.argv[1])) void run(process.argv.slice(2));
