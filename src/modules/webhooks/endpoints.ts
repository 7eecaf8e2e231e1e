// An application's webhook endpoints (console): create with a signing secret shown once,
// list, change, delete, rotate the secret. Also what the POS integrator webhook (src/modules/
// point) needs from the same table: its URL checked the same way, stored, marked verified.
import { runCommand } from '../commands/index.ts';
import { randomUUID } from 'node:crypto';
import { NotFoundError, ValidationError, type FieldError } from '../../kernel/errors.ts';
import { COMMON_MESSAGES } from '../../kernel/messages.ts';
import { refuse } from '../../kernel/refusals.ts';
import { isEventTypePattern, isKnownEventPattern, newWebhookSecret } from './model.ts';
import { MAX_DESCRIPTION, MAX_EVENT_TYPES, WEBHOOK_MESSAGES } from './rules.ts';
import { type Db, type Tx } from '../../store/db.ts';
import { getOwnedApp, type AppRow } from '../apps/index.ts';
import type { Ctx } from '../../platform/context.ts';
import { checkTargetUrl } from '../../platform/ssrf.ts';
import {
  countAppEndpoints,
  deleteEndpointRow,
  findAppEndpoint,
  findIntegratorEndpoint,
  insertEndpoint,
  listAppEndpoints,
  markEndpointVerified,
  updateEndpointRow,
  type EndpointRow,
} from './repo.ts';
import { iso, isoOrNull } from '../../kernel/instants.ts';

export const MAX_ENDPOINTS_PER_APP = 16;

export function endpointView(row: EndpointRow) {
  return {
    id: row.id,
    appId: row.app_id,
    url: row.url,
    description: row.description,
    eventTypes: JSON.parse(row.event_types) as string[],
    enabled: row.enabled === 1,
    flagged: row.flagged_at !== null,
    flaggedAt: isoOrNull(row.flagged_at),
    flagReason: row.flag_reason,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

function checkEventTypes(value: unknown, errors: FieldError[]): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_EVENT_TYPES) {
    errors.push({ path: ['eventTypes'], message: WEBHOOK_MESSAGES.eventTypes.es, code: 'webhooks.eventTypes' });
    return undefined;
  }
  const out: string[] = [];
  value.forEach((t, i) => {
    if (typeof t !== 'string' || !isEventTypePattern(t))
      errors.push({ path: ['eventTypes', String(i)], message: WEBHOOK_MESSAGES.eventType.es, code: 'webhooks.eventType' });
    else if (!isKnownEventPattern(t))
      errors.push({
        path: ['eventTypes', String(i)],
        message: `Tipo de evento desconocido: "${t}" no corresponde a ningún evento.`,
        code: 'webhooks.eventUnknown',
      });
    else if (!out.includes(t)) out.push(t);
  });
  return out;
}

/** Where a webhook may point (see checkTargetUrl); a problem is added to `errors` under `path`. */
export async function checkWebhookUrl(ctx: Ctx, value: unknown, path: string, errors: FieldError[]): Promise<string | undefined> {
  if (value === undefined) return undefined;
  const url = typeof value === 'string' ? value.trim() : '';
  const problem = url ? await checkTargetUrl(url, ctx.config.environment === 'production') : { message: WEBHOOK_MESSAGES.url.es, code: 'webhooks.url' };
  if (problem) {
    errors.push({ path: [path], ...problem });
    return undefined;
  }
  return url;
}

export interface EndpointInput {
  url?: unknown;
  eventTypes?: unknown;
  description?: unknown;
  enabled?: unknown;
}

function checkDescription(value: unknown, errors: FieldError[]): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > MAX_DESCRIPTION) {
    errors.push({ path: ['description'], message: WEBHOOK_MESSAGES.description.es, code: 'webhooks.description' });
    return undefined;
  }
  return value.trim();
}

/** A new endpoint and its signing secret, which is shown only in this answer. */
export async function createEndpoint(
  ctx: Ctx,
  ownerUserId: string,
  appId: string,
  input: EndpointInput,
): Promise<{ endpoint: ReturnType<typeof endpointView>; secret: string }> {
  const app = await getOwnedApp(ctx.store.db, ownerUserId, appId);
  const errors: FieldError[] = [];
  const url = await checkWebhookUrl(ctx, input.url ?? '', 'url', errors);
  const eventTypes = checkEventTypes(input.eventTypes ?? ['*'], errors);
  const description = checkDescription(input.description, errors) ?? '';
  if (errors.length) throw new ValidationError(errors);
  const secret = newWebhookSecret();
  const now = await ctx.clock.now();
  const row: EndpointRow = {
    id: randomUUID(),
    kind: 'app',
    app_id: app.id,
    owner_user_id: app.owner_user_id,
    url: url!,
    description,
    event_types: JSON.stringify(eventTypes),
    secret_enc: ctx.keys.seal(secret),
    enabled: 1,
    verified: 1,
    flagged_at: null,
    flag_reason: null,
    created_at: now,
    updated_at: now,
    deleted_at: null,
  };
  await runCommand(ctx, undefined, async ({ tx }) => {
    if ((await countAppEndpoints(tx, app.id)) >= MAX_ENDPOINTS_PER_APP) refuse({ code: 'too_many_endpoints', maxEndpoints: MAX_ENDPOINTS_PER_APP });
    await insertEndpoint(tx, row);
  });
  return { endpoint: endpointView(row), secret };
}

/** One of the app's endpoints, if this owner holds it (404 otherwise). */
export async function ownedEndpoint(db: Db | Tx, ownerUserId: string, appId: string, endpointId: string): Promise<EndpointRow> {
  const row = await findAppEndpoint(db, ownerUserId, appId, endpointId);
  if (!row) throw new NotFoundError(WEBHOOK_MESSAGES.notFound.es, 'webhooks.notFound');
  return row;
}

export async function listEndpoints(ctx: Ctx, ownerUserId: string, appId: string) {
  await getOwnedApp(ctx.store.db, ownerUserId, appId);
  return (await listAppEndpoints(ctx.store.db, appId)).map(endpointView);
}

export async function getEndpoint(ctx: Ctx, ownerUserId: string, appId: string, endpointId: string) {
  return endpointView(await ownedEndpoint(ctx.store.db, ownerUserId, appId, endpointId));
}

/** Change URL, types, description or enabled; enabling (again) clears the failure flag. */
export async function updateEndpoint(ctx: Ctx, ownerUserId: string, appId: string, endpointId: string, input: EndpointInput) {
  const errors: FieldError[] = [];
  const url = await checkWebhookUrl(ctx, input.url, 'url', errors);
  const eventTypes = checkEventTypes(input.eventTypes, errors);
  const description = checkDescription(input.description, errors);
  if (input.enabled !== undefined && typeof input.enabled !== 'boolean')
    errors.push({ path: ['enabled'], message: COMMON_MESSAGES.boolean.es, code: 'common.boolean' });
  if (errors.length) throw new ValidationError(errors);
  const now = await ctx.clock.now();
  return runCommand(ctx, undefined, async ({ tx }) => {
    await ownedEndpoint(tx, ownerUserId, appId, endpointId);
    await updateEndpointRow(tx, endpointId, {
      updated_at: now,
      ...(url !== undefined ? { url } : {}),
      ...(eventTypes !== undefined ? { event_types: JSON.stringify(eventTypes) } : {}),
      ...(description !== undefined ? { description } : {}),
      ...(input.enabled === true ? { enabled: 1, flagged_at: null, flag_reason: null } : {}),
      ...(input.enabled === false ? { enabled: 0 } : {}),
    });
    return endpointView(await ownedEndpoint(tx, ownerUserId, appId, endpointId));
  });
}

/** Remove an endpoint; what it still had pending is marked failed. */
export async function deleteEndpoint(ctx: Ctx, ownerUserId: string, appId: string, endpointId: string): Promise<void> {
  const now = await ctx.clock.now();
  await runCommand(ctx, undefined, async ({ tx }) => {
    await ownedEndpoint(tx, ownerUserId, appId, endpointId);
    await deleteEndpointRow(tx, endpointId, now);
  });
}

/** A new signing secret, shown only in this answer; the old one stops signing at once. */
export async function rotateEndpointSecret(ctx: Ctx, ownerUserId: string, appId: string, endpointId: string): Promise<{ secret: string }> {
  const secret = newWebhookSecret();
  const now = await ctx.clock.now();
  await runCommand(ctx, undefined, async ({ tx }) => {
    await ownedEndpoint(tx, ownerUserId, appId, endpointId);
    await updateEndpointRow(tx, endpointId, { secret_enc: ctx.keys.seal(secret), updated_at: now });
  });
  return { secret };
}

// --- The POS integrator webhook's row (its use cases are in src/modules/point) ------------

export function integratorEndpoint(ctx: Ctx, appId: string): Promise<EndpointRow | undefined> {
  return findIntegratorEndpoint(ctx.store.db, appId);
}

/**
 * Point the app's integrator webhook at `url`. A new or changed URL is unverified (it
 * receives nothing until checked again); the same URL changes nothing.
 */
export async function saveIntegratorUrl(ctx: Ctx, app: Pick<AppRow, 'id' | 'owner_user_id'>, url: string): Promise<void> {
  const now = await ctx.clock.now();
  await runCommand(ctx, undefined, async ({ tx }) => {
    const current = await findIntegratorEndpoint(tx, app.id);
    if (current) {
      if (current.url !== url) await updateEndpointRow(tx, current.id, { url, verified: 0, flagged_at: null, flag_reason: null, updated_at: now });
      return;
    }
    await insertEndpoint(tx, {
      id: randomUUID(),
      kind: 'integrator',
      app_id: app.id,
      owner_user_id: app.owner_user_id,
      url,
      description: 'Point integrator webhook',
      event_types: JSON.stringify(['point_intent.*']),
      secret_enc: null,
      enabled: 1,
      verified: 0,
      flagged_at: null,
      flag_reason: null,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    });
  });
}

/** The integrator webhook answered its check: verified, unless its URL changed meanwhile. */
export async function markIntegratorVerified(ctx: Ctx, endpoint: Pick<EndpointRow, 'id' | 'url'>): Promise<void> {
  await markEndpointVerified(ctx.store.db, endpoint.id, endpoint.url, await ctx.clock.now());
}
