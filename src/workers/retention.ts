// The retention worker: prunes what has outlived its use — expired OAuth tokens (and token
// families left empty), expired console sessions, sign-in failure counters whose window has
// passed and sources not signed in from for 30 days, idempotency keys past their 24 h, and
// finished webhook deliveries with their attempts older than RETENTION_DAYS. Each statement
// deletes at most `batchSize` rows, and the worker yields to the event loop between
// statements, so a large backlog never holds the database (SQLite's single writer) or the
// process for long: requests run between batches.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Ctx } from '../platform/context.ts';
import { pruneEmptyTokenFamilies, pruneExpiredCodes, pruneExpiredTokens } from '../modules/apps/index.ts';
import { pruneIdempotencyKeys } from '../modules/commands/index.ts';
import { eraseExpiredCardCodes, pruneCardTokenQuotas } from '../modules/cards/index.ts';
import { pruneExpiredPasswordResets, pruneExpiredSessions, pruneSignInFailures, pruneSignInSources } from '../modules/identity/index.ts';
import { pruneFinishedAttempts, pruneFinishedDeliveries } from '../modules/webhooks/index.ts';
import { startWorker, type Worker } from './runner.ts';

export const RETENTION_BATCH_SIZE = 500;
/** Batches per kind and tick; a tick that hit it is followed by another at once. */
const MAX_BATCHES_PER_TICK = 20;
const RETENTION_INTERVAL_MS = 10 * 60 * 1000;

export interface RetentionOptions {
  /** Rows per statement (default 500). */
  batchSize?: number;
  /** Age after which finished webhook deliveries go (default: RETENTION_DAYS). */
  horizonMs?: number;
}

type Pruner = [name: string, batch: (limit: number) => Promise<number>];

function pruners(ctx: Ctx, horizonMs: number): Pruner[] {
  return [
    ['oauth_tokens', (limit) => pruneExpiredTokens(ctx, limit)],
    ['oauth_token_families', (limit) => pruneEmptyTokenFamilies(ctx, limit)],
    ['oauth_codes', (limit) => pruneExpiredCodes(ctx, limit)],
    ['sessions', (limit) => pruneExpiredSessions(ctx, limit)],
    ['password_resets', (limit) => pruneExpiredPasswordResets(ctx, limit)],
    ['sign_in_failures', (limit) => pruneSignInFailures(ctx, limit)],
    ['sign_in_sources', (limit) => pruneSignInSources(ctx, limit)],
    ['idempotency_keys', (limit) => pruneIdempotencyKeys(ctx, limit)],
    // Not deleted: a used or expired token is what its payment names. Its card number and security code go.
    ['card_token_codes', (limit) => eraseExpiredCardCodes(ctx, limit)],
    ['card_token_quotas', (limit) => pruneCardTokenQuotas(ctx, limit)],
    // Attempts before their deliveries (a delivery goes once it has none left).
    ['webhook_attempts', (limit) => pruneFinishedAttempts(ctx, horizonMs, limit)],
    ['webhook_deliveries', (limit) => pruneFinishedDeliveries(ctx, horizonMs, limit)],
  ];
}

export interface RetentionPass {
  /** Rows deleted per table. */
  deleted: Record<string, number>;
  /** Some table still had a full batch left when its share of the pass ended. */
  more: boolean;
}

/** One pass: each table pruned in bounded batches, yielding between them. */
export async function pruneExpired(ctx: Ctx, options: RetentionOptions = {}): Promise<RetentionPass> {
  const batchSize = options.batchSize ?? RETENTION_BATCH_SIZE;
  const horizonMs = options.horizonMs ?? ctx.config.retentionDays * 24 * 3600 * 1000;
  const deleted: Record<string, number> = {};
  let more = false;
  for (const [name, batch] of pruners(ctx, horizonMs)) {
    deleted[name] = 0;
    for (let round = 0; ; round++) {
      const count = await batch(batchSize);
      deleted[name] += count;
      await yieldToEventLoop();
      if (count < batchSize) break;
      if (round + 1 >= MAX_BATCHES_PER_TICK) {
        more = true;
        break;
      }
    }
  }
  return { deleted, more };
}

export function startRetentionWorker(ctx: Ctx, options: { onError?: (error: unknown) => void } = {}): Worker {
  return startWorker({
    name: 'retention',
    intervalMs: RETENTION_INTERVAL_MS,
    // A positive count runs the next tick at once: only while a backlog is left.
    tick: async () => {
      const pass = await pruneExpired(ctx);
      return pass.more ? Object.values(pass.deleted).reduce((sum, n) => sum + n, 0) : 0;
    },
    onError: options.onError,
  });
}
