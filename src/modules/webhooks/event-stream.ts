// An application's events: the recent ones (console, `GET /webhooks/events`) and the event
// stream that `pasarela listen` reads. The stream is read in commit order (stream_seq, given
// after commit), never by created_at: an event whose transaction committed late, or a burst
// of any size with one timestamp, is neither skipped nor read twice.
import { MINUTE_MS } from './model.ts';
import { inTransaction } from '../../store/db.ts';
import { getOwnedApp } from '../apps/index.ts';
import type { Ctx } from '../../platform/context.ts';
import {
  appEventPosition,
  appEventsAfter,
  assignStreamPositions,
  firstAppPositionSince,
  hasUnsequencedEvents,
  lastStreamPosition,
  lockUnsequencedEvents,
  recentAppEvents,
  type AppRef,
} from './repo.ts';
import { iso } from '../../kernel/instants.ts';

/** An unknown Last-Event-ID resumes from the app's events of this long ago. */
export const STREAM_RESUME_WINDOW_MS = 10 * MINUTE_MS;
/** How often open streams look for new events. */
export const STREAM_POLL_MS = 250;

export interface EventView {
  id: string;
  type: string;
  objectType: string;
  objectId: string;
  createdAt: string;
  payload: unknown;
}

export function eventView(row: { id: string; type: string; object_type: string; object_id: string; payload: string; created_at: number }): EventView {
  let payload: unknown = {};
  try {
    payload = JSON.parse(row.payload);
  } catch {
    payload = {};
  }
  return { id: row.id, type: row.type, objectType: row.object_type, objectId: row.object_id, createdAt: iso(row.created_at), payload };
}

/** The app's latest events, newest first (by the app's bearer token). */
export async function recentEvents(ctx: Ctx, app: AppRef, limit: number): Promise<EventView[]> {
  return (await recentAppEvents(ctx.store.db, app, limit)).map(eventView);
}

/** The app's latest events, newest first, optionally of one type (console). */
export async function listEvents(ctx: Ctx, ownerUserId: string, appId: string, options: { limit?: number; type?: string } = {}): Promise<EventView[]> {
  const app = await getOwnedApp(ctx.store.db, ownerUserId, appId);
  return (await recentAppEvents(ctx.store.db, app, Math.min(Math.max(options.limit ?? 50, 1), 200), options.type)).map(eventView);
}

/**
 * Sequence committed events that have no stream position yet, oldest first. The dispatcher
 * does it at fan-out; the streams do it too (through the sequencer below), so they never wait
 * for (or depend on) a dispatcher. PostgreSQL skips events another transaction holds (a
 * fan-out in progress sequences those itself). Returns how many it sequenced.
 */
export async function sequenceEvents(ctx: Ctx, limit = 1000): Promise<number> {
  const { store } = ctx;
  if (!(await hasUnsequencedEvents(store.db))) return 0;
  return inTransaction(store, async (tx) => {
    const ids = await lockUnsequencedEvents(tx, store.dialect, limit);
    await assignStreamPositions(tx, ids);
    return ids.length;
  });
}

/**
 * Where a stream starts: strictly after the event named by Last-Event-ID (one of the app's
 * events); with none, after everything committed so far. An unknown Last-Event-ID (another
 * deployment's, a database restored from a backup, garbage) replays the app's events of the
 * last STREAM_RESUME_WINDOW_MS rather than silently starting from now: a receiver may get an
 * event twice (it must tolerate that anyway), but does not lose what happened while it was
 * away. Returns the stream position to send after.
 */
export async function eventStreamStart(ctx: Ctx, app: AppRef, lastEventId: string | undefined): Promise<number> {
  const db = ctx.store.db;
  if (lastEventId) {
    const last = await appEventPosition(db, app, lastEventId);
    if (last !== undefined) return last;
    const first = await firstAppPositionSince(db, app, (await ctx.clock.now()) - STREAM_RESUME_WINDOW_MS);
    if (first !== undefined) return first - 1;
  }
  return lastStreamPosition(db);
}

/** The app's events after stream position `after`, in stream order. */
export function streamEventsAfter(ctx: Ctx, app: AppRef, after: number, limit: number) {
  return appEventsAfter(ctx.store.db, app, after, limit);
}

/** Called after each sequencing round, with its error if it failed. */
export type StreamTick = (error?: unknown) => void;

/**
 * One sequencer per process (per platform context), however many streams are open: every
 * STREAM_POLL_MS it sequences new events once, then tells each open stream to read its own.
 * It runs only while a stream is subscribed.
 */
class StreamSequencer {
  private readonly streams = new Set<StreamTick>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(private readonly ctx: Ctx) {}

  subscribe(stream: StreamTick): () => void {
    this.streams.add(stream);
    this.schedule();
    return () => {
      this.streams.delete(stream);
      if (this.streams.size === 0 && this.timer) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
    };
  }

  private schedule(): void {
    if (this.running || this.timer || this.streams.size === 0) return;
    this.timer = setTimeout(() => void this.round(), STREAM_POLL_MS);
  }

  private async round(): Promise<void> {
    this.timer = undefined;
    this.running = true;
    let failure: unknown;
    try {
      await sequenceEvents(this.ctx);
    } catch (error) {
      failure = error;
    } finally {
      this.running = false;
    }
    for (const stream of [...this.streams]) stream(failure);
    this.schedule();
  }
}

const sequencers = new WeakMap<Ctx, StreamSequencer>();

/** Be called after each round of the process's stream sequencer; returns the unsubscribe. */
export function onStreamTick(ctx: Ctx, stream: StreamTick): () => void {
  let sequencer = sequencers.get(ctx);
  if (!sequencer) sequencers.set(ctx, (sequencer = new StreamSequencer(ctx)));
  return sequencer.subscribe(stream);
}
