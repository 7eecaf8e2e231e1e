// Server-side GET to a billing intent's return_url after the payer paid in the wallet
// (mPandco 1.5: "se llama los enlaces asignados en la intención de pago de tipo request").
// The pending call row is written in the payment's transaction; it is then claimed (a lease,
// so a crashed process's claim expires), called once, and its answer recorded.
import type { Dispatcher } from 'undici';
import { inTransaction } from '../../store/db.ts';
import type { Ctx } from '../../platform/context.ts';
import { callOutbound } from '../../platform/outbound.ts';
import { outboundAgent } from '../../platform/ssrf.ts';
import { findPendingReturnCallIds, leaseReturnCall, recordReturnCall } from './repo.ts';

export const RETURN_CALL_TIMEOUT_MS = 10_000;
const BODY_LIMIT = 2048;
const LEASE_MS = 60_000;

// In production the agent refuses private, loopback and link-local targets at connect time.
const agents = new Map<boolean, Dispatcher>();
function agentFor(ctx: Ctx): Dispatcher {
  const guard = ctx.config.environment === 'production';
  let agent = agents.get(guard);
  if (!agent) agents.set(guard, (agent = outboundAgent({ guard, connections: 4 })));
  return agent;
}

async function claim(ctx: Ctx, callId: string): Promise<{ uri: string; claimedUntil: number } | undefined> {
  const now = await ctx.clock.now();
  const claimedUntil = now + LEASE_MS;
  return inTransaction(ctx.store, async (tx) => {
    const updated = await leaseReturnCall(tx, callId, now, claimedUntil);
    return updated && { uri: updated.uri, claimedUntil };
  });
}

export async function performReturnCall(ctx: Ctx, callId: string): Promise<boolean> {
  const claimed = await claim(ctx, callId);
  if (!claimed) return false;
  let statusCode: number | null = null;
  let body: string | null = null;
  let error: string | null = null;
  try {
    await ctx.store.settle();
    const answer = await callOutbound(claimed.uri, {
      method: 'GET',
      headers: { 'user-agent': 'Pasarela/0.1 (+return-url)' },
      agent: agentFor(ctx),
      guard: ctx.config.environment === 'production',
      bodyLimit: BODY_LIMIT,
      headersTimeout: RETURN_CALL_TIMEOUT_MS,
      bodyTimeout: RETURN_CALL_TIMEOUT_MS,
    });
    statusCode = answer.statusCode;
    if ('bodyError' in answer) throw answer.bodyError;
    body = answer.body;
  } catch (e) {
    error = e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 300) : String(e);
  }
  const now = await ctx.clock.now();
  // Only the holder of the lease records the call (a slow answer may have outlived it).
  return recordReturnCall(ctx.store.db, callId, claimed.claimedUntil, { status_code: statusCode, body, error, called_at: now });
}

/** Worker tick: calls whose first attempt was lost (crash between commit and call). */
export async function performPendingReturnCalls(ctx: Ctx, limit = 20): Promise<number> {
  const now = await ctx.clock.now();
  const due = await findPendingReturnCallIds(ctx.store.db, now, limit);
  let done = 0;
  for (const id of due) if (await performReturnCall(ctx, id)) done++;
  return done;
}
