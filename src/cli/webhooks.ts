// `pasarela listen --forward-to <url>` and `pasarela trigger <event-type>`: local webhook
// development without a public URL.
import { loadConfig } from '../platform/config.ts';
import { ensureDemo, triggerSandboxEvent } from '../modules/sandbox/index.ts';
import { outboundAgent } from '../platform/ssrf.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { Refused } from '../kernel/refusals.ts';
import { spanishRefusal } from '../http/shared/refusals.ts';
import {
  findTriggerApp,
  isKnownEventPattern,
  newWebhookSecret,
  sendNotification,
  subscribes,
  webhookSettings,
  type Notification,
} from '../modules/webhooks/index.ts';
import { openSandbox, type Parsed, type Ui } from './deployment.ts';
import { CliFailure } from './failures.ts';

const text = (value: string | boolean | undefined) => (typeof value === 'string' ? value : undefined);

/** The demo app's token and the running deployment's URL (the one its last start announced). */
async function demoCredentials(ui: Ui): Promise<{ baseUrl: string; token: string }> {
  const ctx = await openSandbox(ui, 'listen');
  try {
    const demo = await ensureDemo(ctx);
    return { baseUrl: demo.baseUrl, token: demo.merchant.app.accessToken };
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

export async function listenCommand({ values }: Parsed, ui: Ui): Promise<number> {
  const { t } = ui;
  const forwardTo = text(values['forward-to']);
  if (!forwardTo) throw new CliFailure(t.badOption('listen', t.missingArgument('--forward-to <url>')), 2);
  if (!/^https?:\/\//.test(forwardTo)) throw new CliFailure(t.badOption('listen', t.listen.badTarget), 2);
  let baseUrl = text(values.url);
  let token = text(values.token);
  if (!token) {
    const demo = await demoCredentials(ui);
    token = demo.token;
    baseUrl ??= demo.baseUrl;
  }
  baseUrl = (baseUrl ?? loadConfig().publicUrl).replace(/\/+$/, '');
  const secret = text(values.secret) ?? newWebhookSecret();
  const types = text(values.events)
    ?.split(',')
    .map((type) => type.trim())
    .filter(Boolean);
  const unknown = types?.filter((type) => !isKnownEventPattern(type)) ?? [];
  if (unknown.length) throw new CliFailure(t.badOption('listen', t.listen.unknownEvents(unknown.join(', '))), 2);
  const { timeoutMs } = webhookSettings({ config: loadConfig() });
  const agent = outboundAgent({ guard: false, connections: 2 });
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  process.stdout.write(`${t.listen.forwarding(baseUrl, forwardTo)}\n${t.listen.secret(secret)}\n`);
  let lastEventId = '';
  let delay = 500;
  while (!stop.signal.aborted) {
    try {
      const response = await fetch(`${baseUrl}/webhooks/events/stream`, {
        headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
        signal: stop.signal,
      });
      if (response.status === 401 || response.status === 403) {
        process.stderr.write(`${t.listen.refused(response.status, await response.text())}\n`);
        return 1;
      }
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      process.stdout.write(`${t.listen.ready}\n`);
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
      process.stderr.write(`${t.listen.lost(error instanceof Error ? error.message : String(error))}\n`);
    }
    if (stop.signal.aborted) break;
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 10_000);
  }
  await agent.close().catch(() => {});
  return 0;
}

export async function triggerCommand({ values, positionals }: Parsed, ui: Ui): Promise<number> {
  const { t } = ui;
  const type = positionals[0];
  if (!type) throw new CliFailure(t.badOption('trigger', t.missingArgument(t.trigger.eventType)), 2);
  const ctx = await openSandbox(ui, 'trigger');
  try {
    const clientId = text(values.app);
    const app = await findTriggerApp(ctx, clientId ?? (await ensureDemo(ctx)).merchant.app.clientId);
    if (!app) throw new CliFailure(t.trigger.noApp(clientId ?? ''));
    const result = await triggerSandboxEvent(ctx, app, type, { notificationUrl: text(values['notification-url']) });
    const lines = [t.trigger.created(result.type, app.name, result.objectId)];
    lines.push(result.fetchPath ? t.trigger.fetch(result.fetchPath) : t.trigger.sampleEvent(result.eventId ?? ''));
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } catch (error) {
    // The platform's own refusals (an unknown type, an app without the permission, a buyer
    // out of test money) are the operator's to fix: their message, no stack.
    if (error instanceof Refused) throw new CliFailure(spanishRefusal(error.refusal).message);
    if (error instanceof ValidationError || error instanceof ForbiddenError || error instanceof NotFoundError) {
      throw new CliFailure(error.message);
    }
    throw error;
  } finally {
    await ctx.store.close();
  }
}
