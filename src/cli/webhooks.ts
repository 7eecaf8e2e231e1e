// `pasarela listen --forward-to <url>` and `pasarela trigger <event-type>`: local webhook
// development without a public URL.
import { loadConfig } from '../platform/config.ts';
import { openPlatform } from '../platform/open.ts';
import { ensureDemo } from '../modules/sandbox/index.ts';
import { outboundAgent } from '../platform/ssrf.ts';
import { findTriggerApp, newWebhookSecret, sendNotification, subscribes, triggerEvent, webhookSettings, type Notification } from '../modules/webhooks/index.ts';

export const WEBHOOK_USAGE = `  listen --forward-to <url> [--url <base>] [--token <access_token>] [--secret <whsec_…>] [--events <t1,t2>]
                  recibe los eventos de la aplicación demo (o la del token) y los reenvía firmados a <url>
  trigger <tipo> [--app <client_id>] [--notification-url <url>]
                  crea un evento de prueba realista (payment.created, point_intent.updated, …)
`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0) return args[i + 1];
  const inline = args.find((a) => a.startsWith(`${name}=`));
  return inline?.slice(name.length + 1);
}

/** Arguments that are neither options nor the values of `withValue` options. */
function positionals(args: string[], withValue: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (withValue.includes(args[i]!)) i++;
    else if (!args[i]!.startsWith('--')) out.push(args[i]!);
  }
  return out;
}

async function demoCredentials(): Promise<{ baseUrl: string; token: string }> {
  const ctx = await openPlatform();
  try {
    const demo = await ensureDemo(ctx);
    return { baseUrl: ctx.config.publicUrl, token: demo.merchant.app.accessToken };
  } finally {
    await ctx.store.close();
  }
}

interface StreamMessage {
  id: string;
  event: { id: string; type: string; objectId: string };
  notification: Notification;
}

/** Parse a text/event-stream body into messages (only `notification` events). */
async function* readStream(body: ReadableStream<Uint8Array>): AsyncGenerator<StreamMessage> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let sep: number;
    while ((sep = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, sep);
      buffer = buffer.slice(sep + 2);
      let id = '';
      let kind = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') id = value;
        else if (field === 'event') kind = value;
        else if (field === 'data') data.push(value);
      }
      if (kind !== 'notification' || data.length === 0) continue;
      const parsed = JSON.parse(data.join('\n')) as Omit<StreamMessage, 'id'>;
      yield { id, ...parsed };
    }
  }
}

export async function listenCommand(args: string[]): Promise<number> {
  const forwardTo = option(args, '--forward-to');
  if (!forwardTo || !/^https?:\/\//.test(forwardTo)) {
    process.stderr.write('Uso: pasarela listen --forward-to http://localhost:4000/hook [--url <base>] [--token <access_token>] [--secret <secreto>]\n');
    return 2;
  }
  let baseUrl = option(args, '--url');
  let token = option(args, '--token');
  if (!token) {
    const demo = await demoCredentials();
    token = demo.token;
    baseUrl ??= demo.baseUrl;
  }
  baseUrl = (baseUrl ?? loadConfig().publicUrl).replace(/\/+$/, '');
  const secret = option(args, '--secret') ?? newWebhookSecret();
  const types = option(args, '--events')
    ?.split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const { timeoutMs } = webhookSettings({ config: loadConfig() });
  const agent = outboundAgent({ guard: false, connections: 2 });
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  process.stdout.write(`Escuchando eventos de ${baseUrl} y reenviándolos a ${forwardTo}\nSecreto de firma de esta sesión: ${secret}\n`);
  let lastEventId = '';
  let delay = 500;
  while (!stop.signal.aborted) {
    try {
      const response = await fetch(`${baseUrl}/webhooks/events/stream`, {
        headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
        signal: stop.signal,
      });
      if (response.status === 401 || response.status === 403) {
        process.stderr.write(`El servidor rechazó el token (${response.status}): ${await response.text()}\n`);
        return 1;
      }
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      process.stdout.write('Listo. Esperando eventos… (Ctrl+C para terminar)\n');
      delay = 500;
      for await (const message of readStream(response.body)) {
        lastEventId = message.id || lastEventId;
        if (types && !subscribes(types, message.event.type)) continue;
        const result = await sendNotification({
          target: forwardTo,
          notification: message.notification,
          secret,
          timeoutMs,
          agent,
          guard: false,
          signal: stop.signal,
        });
        if (result.aborted) break;
        const outcome = result.statusCode !== null ? `${result.statusCode}` : `error ${result.error}`;
        process.stdout.write(
          `${new Date().toISOString()}  ${message.event.type.padEnd(32)} ${message.event.objectId}  --> ${outcome} (${result.latencyMs} ms) [${message.event.id}]\n`,
        );
      }
    } catch (error) {
      if (stop.signal.aborted) break;
      process.stderr.write(`Conexión perdida (${error instanceof Error ? error.message : String(error)}); reintentando…\n`);
    }
    if (stop.signal.aborted) break;
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 10_000);
  }
  await agent.close().catch(() => {});
  return 0;
}

export async function triggerCommand(args: string[]): Promise<number> {
  const type = positionals(args, ['--app', '--notification-url'])[0];
  if (!type) {
    process.stderr.write('Uso: pasarela trigger <tipo-de-evento> [--app <client_id>] [--notification-url <url>]\n');
    return 2;
  }
  const ctx = await openPlatform();
  try {
    const clientId = option(args, '--app');
    const app = await findTriggerApp(ctx, clientId ?? (await ensureDemo(ctx)).merchant.app.clientId);
    if (!app) {
      process.stderr.write(`No existe la aplicación ${clientId}.\n`);
      return 1;
    }
    const result = await triggerEvent(ctx, app, type, { notificationUrl: option(args, '--notification-url') });
    process.stdout.write(`Evento ${result.eventId} (${result.type}) creado para la aplicación "${app.name}": data.id=${result.objectId}\n`);
    return 0;
  } catch (error) {
    if (error instanceof Error && error.constructor.name !== 'Error') {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await ctx.store.close();
  }
}
