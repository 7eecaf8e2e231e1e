// The Point (POS) integrator webhook of an application: the integrator sets its URL, then
// asks for a signed check; only a 2xx answer to the check verifies it, and only a verified
// webhook receives the app's point_intent notifications (signed with the app's notification
// secret). Stored as the app's `integrator` webhook endpoint (src/modules/webhooks).
import { ValidationError, type FieldError } from '../../kernel/errors.ts';
import type { AppRow } from '../apps/index.ts';
import type { Ctx } from '../../platform/context.ts';
import { outboundAgent } from '../../platform/ssrf.ts';
import { POINT_MESSAGES } from './rules.ts';
import {
  POINT_TOPIC,
  appNotificationSecret,
  checkWebhookUrl,
  integratorEndpoint,
  markIntegratorVerified,
  saveIntegratorUrl,
  sendNotification,
  webhookSettings,
} from '../webhooks/index.ts';
import { iso } from '../../kernel/instants.ts';

/** The check must not keep the integrator's request waiting longer than this. */
const CHECK_TIMEOUT_MS = 10_000;

/** PATCH /point/integration-api/integrators: set the URL; nothing is sent until it is checked. */
export async function setIntegratorWebhook(ctx: Ctx, app: AppRow, webhook: unknown): Promise<void> {
  const errors: FieldError[] = [];
  const url = await checkWebhookUrl(ctx, webhook ?? '', 'webhook', errors);
  if (errors.length) throw new ValidationError(errors);
  await saveIntegratorUrl(ctx, app, url!);
}

/**
 * POST /point/integration-api/integrators/check: send one signed check notification; only a
 * 2xx answer marks the webhook verified (before that it receives nothing).
 */
export async function checkIntegratorWebhook(ctx: Ctx, app: AppRow): Promise<{ statusCode: number | null; latencyMs: number }> {
  const endpoint = await integratorEndpoint(ctx, app.id);
  if (!endpoint) throw new ValidationError([{ path: ['webhook'], message: POINT_MESSAGES.integratorWebhookFirst.es, code: 'point.integratorWebhookFirst' }]);
  const settings = webhookSettings(ctx);
  const agent = outboundAgent({ guard: settings.guardPrivateTargets, connections: 1 });
  try {
    const now = await ctx.clock.now();
    const result = await sendNotification({
      target: endpoint.url,
      notification: {
        dataId: app.client_id,
        topic: POINT_TOPIC,
        body: { type: POINT_TOPIC, action: 'integrator.check', date_created: iso(now), data: { id: app.client_id } },
      },
      secret: await appNotificationSecret(ctx, app.id),
      timeoutMs: Math.min(settings.timeoutMs, CHECK_TIMEOUT_MS),
      agent,
      guard: settings.guardPrivateTargets,
    });
    if (!result.succeeded) {
      throw new ValidationError([
        {
          path: ['webhook'],
          message: `El webhook no respondió correctamente (${result.statusCode ?? result.error}); responda 200 a la verificación y vuelva a intentarlo.`,
          code: 'point.integratorWebhookCheck',
        },
      ]);
    }
    await markIntegratorVerified(ctx, endpoint);
    return { statusCode: result.statusCode, latencyMs: result.latencyMs };
  } finally {
    await agent.close();
  }
}

/** GET /point/integration-api/integrators: the webhook, whether it is verified and whether it is flagged. */
export async function integratorWebhookView(ctx: Ctx, appId: string): Promise<{ webhook: string | null; verified: boolean; flagged: boolean }> {
  const row = await integratorEndpoint(ctx, appId);
  return row ? { webhook: row.url, verified: row.verified === 1, flagged: row.flagged_at !== null } : { webhook: null, verified: false, flagged: false };
}
