// The app's notification secret: it signs what is not sent to one of the app's own endpoints
// (a payment's notification_url, the POS integrator webhook). Created on first use, rotated
// from the console, shown only in the answer that rotates it.
import { getOwnedApp } from '../apps/index.ts';
import type { Ctx } from '../../platform/context.ts';
import { newWebhookSecret } from './model.ts';
import { findAppSecret, insertAppSecretIfMissing, replaceAppSecret } from './repo.ts';
import { isoOrNull } from '../../kernel/instants.ts';

/** The app's notification secret, created on first use (two first uses at once agree on one). */
export async function appNotificationSecret(ctx: Ctx, appId: string): Promise<string> {
  const row = await findAppSecret(ctx.store.db, appId);
  if (row) return ctx.keys.open(row.secret_enc);
  await insertAppSecretIfMissing(ctx.store.db, { app_id: appId, secret_enc: ctx.keys.seal(newWebhookSecret()), created_at: await ctx.clock.now() });
  const stored = await findAppSecret(ctx.store.db, appId);
  return ctx.keys.open(stored!.secret_enc);
}

export async function notificationSecretStatus(ctx: Ctx, ownerUserId: string, appId: string) {
  await getOwnedApp(ctx.store.db, ownerUserId, appId);
  const row = await findAppSecret(ctx.store.db, appId);
  return { exists: !!row, createdAt: isoOrNull(row?.created_at) };
}

/** A new notification secret for the app (shown only in this answer); the old one stops signing at once. */
export async function rotateNotificationSecret(ctx: Ctx, ownerUserId: string, appId: string): Promise<{ secret: string }> {
  await getOwnedApp(ctx.store.db, ownerUserId, appId);
  const secret = newWebhookSecret();
  await replaceAppSecret(ctx.store.db, { app_id: appId, secret_enc: ctx.keys.seal(secret), created_at: await ctx.clock.now() });
  return { secret };
}
