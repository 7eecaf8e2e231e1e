// The webhook dispatcher as a background worker (see src/modules/webhooks/dispatch.ts).
import type { Ctx } from '../platform/context.ts';
import { Dispatcher, type WebhookSettings } from '../modules/webhooks/index.ts';
import { startWorker, type Worker } from './runner.ts';

export interface WebhookWorker extends Worker {
  dispatcher: Dispatcher;
}

export function startWebhookWorker(
  ctx: Ctx,
  options: {
    onError?: (error: unknown) => void;
    settings?: Partial<WebhookSettings>;
    /** Tick again as soon as an attempt ends (default true). */ wake?: boolean;
  } = {},
): WebhookWorker {
  const dispatcher = new Dispatcher(ctx, options.settings);
  dispatcher.onError = options.onError;
  let stopped = false;
  // An attempt that finishes frees a slot: look for more work now rather than at the next poll.
  let wakeQueued = false;
  const wake = () => {
    if (stopped || wakeQueued || options.wake === false) return;
    wakeQueued = true;
    setImmediate(() => {
      wakeQueued = false;
      if (!stopped) void worker.runOnce();
    });
  };
  const worker = startWorker({
    name: 'webhooks',
    intervalMs: dispatcher.settings.pollMs,
    tick: () => dispatcher.tick(wake),
    onError: options.onError,
  });
  return {
    name: worker.name,
    dispatcher,
    /** One tick, then wait for the attempts it started (tests drive the worker this way). */
    async runOnce() {
      const found = await worker.runOnce();
      await dispatcher.idle();
      return found;
    },
    async stop() {
      stopped = true;
      await worker.stop();
      await dispatcher.close();
    },
  };
}
