// What the `pasarela` command says, Spanish first, English when the operator's locale is en
// (LANG / LC_ALL, read by platform/config.ts). Help texts and the one-line failures.
import type { Language } from '../platform/config.ts';

export interface CommandHelp {
  usage: string;
  summary: string;
  /** [option, meaning] pairs; `-h, --help` is added by the help printer. */
  options: [string, string][];
}

export type CommandName = 'start' | 'migrate' | 'demo' | 'verify-ledger' | 'listen' | 'trigger';

const es = {
  usage: 'Uso: pasarela <comando> [opciones]',
  commandsTitle: 'Comandos:',
  optionsTitle: 'Opciones:',
  helpOption: 'muestra esta ayuda',
  moreHelp: 'Ayuda de un comando: pasarela <comando> --help',
  unknownCommand: (name: string) => `Comando desconocido: ${name}`,
  badOption: (command: string, detail: string) => `pasarela ${command}: ${detail}. Vea: pasarela ${command} --help`,
  unknownOption: (option: string) => `opción desconocida ${option}`,
  missingValue: (option: string) => `la opción ${option} necesita un valor`,
  unexpectedArgument: (arg: string) => `argumento inesperado ${arg}`,
  missingArgument: (what: string) => `falta ${what}`,
  invalidConfig: (detail: string) => `Configuración inválida: ${detail}`,
  portBusy: (port: string, host: string) => `El puerto ${port} ya está en uso en ${host}. Detenga el otro proceso o elija otro puerto con PORT=…`,
  portDenied: (port: string) => `Sin permiso para escuchar en el puerto ${port}. Elija un puerto mayor que 1023 con PORT=…`,
  hostUnavailable: (host: string) => `La dirección ${host} no pertenece a esta máquina. Revise HOST.`,
  databaseUnreachable: (where: string, why: string) =>
    `No se pudo conectar con la base de datos ${where} (${why}). Revise DATABASE_URL y que PostgreSQL esté en marcha.`,
  sqliteUnavailable: (dir: string, why: string) => `No se pudo abrir la base de datos SQLite en ${dir} (${why}). Revise DATA_DIR y sus permisos.`,
  sandboxOnly: (command: string) => `pasarela ${command} solo existe en el ambiente de pruebas (PASARELA_ENV=sandbox).`,
  listening: (environment: string, dialect: string, url: string) => `Pasarela (${environment}, ${dialect}) escuchando en ${url}`,
  api: 'API',
  health: 'Salud',
  demoHint: 'Credenciales de demostración: npx pasarela demo   (o --json)',
  migrated: (names: string) => `Migraciones aplicadas: ${names}`,
  upToDate: 'La base de datos ya está al día.',
  ledgerDifferences: (n: number) => `${n} diferencias en el libro mayor.`,
  ledgerOk: 'El libro mayor cuadra: cada saldo coincide con sus asientos y cada monto reservado con sus reservas pendientes.',
  demo: {
    environment: 'Ambiente',
    operator: 'Operador',
    merchant: 'Comercio',
    account: 'cuenta',
    buyer: 'Comprador',
    terminal: 'Terminal POS',
    terminalCredential: 'credencial del terminal',
    phone: 'tel',
    getToken: 'Obtener un token:',
    terminalPage: 'página del terminal virtual',
  },
  listen: {
    forwarding: (base: string, target: string) => `Escuchando eventos de ${base} y reenviándolos a ${target}`,
    secret: (secret: string) => `Secreto de firma de esta sesión: ${secret}`,
    ready: 'Listo. Esperando eventos… (Ctrl+C para terminar)',
    refused: (status: number, body: string) => `El servidor rechazó el token (${status}): ${body}`,
    lost: (why: string) => `Conexión perdida (${why}); reintentando…`,
    badTarget: '--forward-to debe ser un URL http:// o https://',
    unknownEvents: (list: string) => `--events: ningún evento corresponde a ${list}`,
  },
  trigger: {
    created: (type: string, app: string, dataId: string) => `Evento ${type} creado para la aplicación "${app}": data.id=${dataId}`,
    fetch: (path: string) => `  consúltelo: GET ${path}`,
    sampleEvent: (eventId: string) => `  evento de muestra ${eventId}: la familia de este evento aún no tiene API para consultarlo`,
    noApp: (clientId: string) => `No existe la aplicación ${clientId}.`,
    eventType: 'el tipo de evento',
  },
  commands: {
    start: {
      usage: 'pasarela start',
      summary: 'migra la base de datos y sirve el API, las páginas y los trabajadores',
      options: [],
    },
    migrate: { usage: 'pasarela migrate', summary: 'aplica las migraciones y termina', options: [] },
    demo: {
      usage: 'pasarela demo [--json]',
      summary:
        'crea (si faltan) los datos de demostración del sandbox e imprime sus credenciales y el URL del servidor en marcha; una segunda vez no mueve dinero',
      options: [['--json', 'un documento JSON (un contrato estable) en vez de texto']],
    },
    'verify-ledger': {
      usage: 'pasarela verify-ledger',
      summary: 'recalcula cada saldo desde los asientos y cada monto reservado desde las reservas pendientes; sale con código 1 ante cualquier diferencia',
      options: [],
    },
    listen: {
      usage: 'pasarela listen --forward-to <url> [opciones]',
      summary: 'recibe los eventos de la aplicación demo (o la del token) y los reenvía firmados a <url>',
      options: [
        ['--forward-to <url>', 'a dónde reenviar cada notificación (obligatoria)'],
        ['--url <base>', 'el servidor (por defecto, el del despliegue en marcha)'],
        ['--token <access_token>', 'el token de la aplicación (por defecto, la aplicación demo)'],
        ['--secret <whsec_…>', 'el secreto con que se firman los reenvíos (por defecto, uno nuevo)'],
        ['--events <t1,t2>', 'solo estos tipos (admite patrones como payment.*)'],
      ],
    },
    trigger: {
      usage: 'pasarela trigger <tipo> [opciones]',
      summary: 'crea objetos reales del sandbox que producen ese evento (payment.created, payment_intent.executed, …); su data.id se consulta por el API',
      options: [
        ['--app <client_id>', 'la aplicación (por defecto, la aplicación demo)'],
        ['--notification-url <url>', 'notification_url del objeto de muestra (pagos con tarjeta, reembolsos)'],
      ],
    },
  } satisfies Record<CommandName, CommandHelp>,
};

export type Messages = typeof es;

const en: Messages = {
  usage: 'Usage: pasarela <command> [options]',
  commandsTitle: 'Commands:',
  optionsTitle: 'Options:',
  helpOption: 'show this help',
  moreHelp: 'Help on a command: pasarela <command> --help',
  unknownCommand: (name) => `Unknown command: ${name}`,
  badOption: (command, detail) => `pasarela ${command}: ${detail}. See: pasarela ${command} --help`,
  unknownOption: (option) => `unknown option ${option}`,
  missingValue: (option) => `option ${option} needs a value`,
  unexpectedArgument: (arg) => `unexpected argument ${arg}`,
  missingArgument: (what) => `missing ${what}`,
  invalidConfig: (detail) => `Invalid configuration: ${detail}`,
  portBusy: (port, host) => `Port ${port} is already in use on ${host}. Stop the other process or choose another port with PORT=…`,
  portDenied: (port) => `No permission to listen on port ${port}. Choose a port above 1023 with PORT=…`,
  hostUnavailable: (host) => `The address ${host} does not belong to this machine. Check HOST.`,
  databaseUnreachable: (where, why) => `Could not connect to the database ${where} (${why}). Check DATABASE_URL and that PostgreSQL is running.`,
  sqliteUnavailable: (dir, why) => `Could not open the SQLite database in ${dir} (${why}). Check DATA_DIR and its permissions.`,
  sandboxOnly: (command) => `pasarela ${command} exists only in the sandbox environment (PASARELA_ENV=sandbox).`,
  listening: (environment, dialect, url) => `Pasarela (${environment}, ${dialect}) listening on ${url}`,
  api: 'API',
  health: 'Health',
  demoHint: 'Demo credentials: npx pasarela demo   (or --json)',
  migrated: (names) => `Migrations applied: ${names}`,
  upToDate: 'The database is up to date.',
  ledgerDifferences: (n) => `${n} differences in the ledger.`,
  ledgerOk: 'The ledger balances: every balance matches its entries and every held amount its pending holds.',
  demo: {
    environment: 'Environment',
    operator: 'Operator',
    merchant: 'Merchant',
    account: 'account',
    buyer: 'Buyer',
    terminal: 'POS terminal',
    terminalCredential: 'terminal credential',
    phone: 'phone',
    getToken: 'Get a token:',
    terminalPage: 'virtual terminal page',
  },
  listen: {
    forwarding: (base, target) => `Listening to events from ${base} and forwarding them to ${target}`,
    secret: (secret) => `Signing secret of this session: ${secret}`,
    ready: 'Ready. Waiting for events… (Ctrl+C to stop)',
    refused: (status, body) => `The server refused the token (${status}): ${body}`,
    lost: (why) => `Connection lost (${why}); retrying…`,
    badTarget: '--forward-to must be an http:// or https:// URL',
    unknownEvents: (list) => `--events: no event matches ${list}`,
  },
  trigger: {
    created: (type, app, dataId) => `Event ${type} created for the application "${app}": data.id=${dataId}`,
    fetch: (path) => `  fetch it: GET ${path}`,
    sampleEvent: (eventId) => `  sample event ${eventId}: this event’s family has no API to fetch it yet`,
    noApp: (clientId) => `There is no application ${clientId}.`,
    eventType: 'the event type',
  },
  commands: {
    start: { usage: 'pasarela start', summary: 'migrates the database and serves the API, the pages and the workers', options: [] },
    migrate: { usage: 'pasarela migrate', summary: 'applies the migrations and exits', options: [] },
    demo: {
      usage: 'pasarela demo [--json]',
      summary: 'creates the sandbox demo data (when missing) and prints its credentials and the running server’s URL; a second run moves no money',
      options: [['--json', 'one JSON document (a stable contract) instead of text']],
    },
    'verify-ledger': {
      usage: 'pasarela verify-ledger',
      summary: 'recomputes every balance from the entries and every held amount from the pending holds; exits 1 on any difference',
      options: [],
    },
    listen: {
      usage: 'pasarela listen --forward-to <url> [options]',
      summary: 'receives the demo application’s events (or the token’s application’s) and forwards them, signed, to <url>',
      options: [
        ['--forward-to <url>', 'where to forward each notification (required)'],
        ['--url <base>', 'the server (default: the running deployment’s)'],
        ['--token <access_token>', 'the application’s token (default: the demo application)'],
        ['--secret <whsec_…>', 'the secret the forwards are signed with (default: a new one)'],
        ['--events <t1,t2>', 'only these types (patterns such as payment.* allowed)'],
      ],
    },
    trigger: {
      usage: 'pasarela trigger <type> [options]',
      summary: 'creates real sandbox objects that produce that event (payment.created, payment_intent.executed, …); its data.id can be fetched through the API',
      options: [
        ['--app <client_id>', 'the application (default: the demo application)'],
        ['--notification-url <url>', 'the sample object’s notification_url (card payments, refunds)'],
      ],
    },
  },
};

export function messages(lang: Language): Messages {
  return lang === 'en' ? en : es;
}

function optionLines(options: [string, string][], helpText: string): string[] {
  const all: [string, string][] = [...options, ['-h, --help', helpText]];
  const width = Math.max(...all.map(([o]) => o.length)) + 2;
  return all.map(([o, meaning]) => `  ${o.padEnd(width)}${meaning}`);
}

/** `pasarela --help`. */
export function generalHelp(t: Messages): string {
  const names = Object.keys(t.commands) as CommandName[];
  const width = Math.max(...names.map((n) => n.length)) + 2;
  return [
    t.usage,
    '',
    t.commandsTitle,
    ...names.map((n) => `  ${n.padEnd(width)}${t.commands[n].summary}`),
    '',
    t.optionsTitle,
    ...optionLines([], t.helpOption),
    '',
    t.moreHelp,
    '',
  ].join('\n');
}

/** `pasarela <command> --help`. */
export function commandHelp(t: Messages, name: CommandName): string {
  const help = t.commands[name];
  return [`${t.usage.split(':')[0]}: ${help.usage}`, '', help.summary, '', t.optionsTitle, ...optionLines(help.options, t.helpOption), ''].join('\n');
}
