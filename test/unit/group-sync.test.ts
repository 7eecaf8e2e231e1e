// Group commit: settle() returns only after a sync that started after the caller's commit, and
// callers that arrive while a sync runs share the next one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupSync } from '../../src/store/group-sync.ts';

function deferredFlushes() {
  const pending: { resolve: () => void; reject: (e: Error) => void }[] = [];
  const flush = () => new Promise<void>((resolve, reject) => pending.push({ resolve, reject }));
  return { pending, flush };
}

const tick = () => new Promise((r) => setImmediate(r));

test('nothing written: settle resolves without a sync', async () => {
  const { pending, flush } = deferredFlushes();
  await new GroupSync(flush).settle();
  assert.equal(pending.length, 0);
});

test('a commit made while a sync runs waits for the next sync, shared by all who came meanwhile', async () => {
  const { pending, flush } = deferredFlushes();
  const group = new GroupSync(flush);
  group.wrote();
  let firstDone = false;
  const first = group.settle().then(() => (firstDone = true));
  await tick();
  assert.equal(pending.length, 1);
  // Three more commits while the first sync runs.
  const later: Promise<void>[] = [];
  let laterDone = 0;
  for (let i = 0; i < 3; i++) {
    group.wrote();
    later.push(group.settle().then(() => void laterDone++));
  }
  pending[0]!.resolve();
  await first;
  assert.ok(firstDone);
  await tick();
  assert.equal(laterDone, 0, 'the first sync may have started before their commits');
  assert.equal(pending.length, 2, 'one more sync for the three of them');
  pending[1]!.resolve();
  await Promise.all(later);
  assert.equal(laterDone, 3);
  assert.equal(pending.length, 2);
});

test('a failed sync is final: its caller and every later one fail, without another sync', async () => {
  const { pending, flush } = deferredFlushes();
  const failures: Error[] = [];
  const group = new GroupSync(flush, (error) => failures.push(error));
  group.wrote();
  const failing = group.settle();
  group.wrote();
  const waiting = group.settle();
  await tick();
  pending[0]!.reject(new Error('EIO'));
  await assert.rejects(failing, /EIO/);
  await assert.rejects(waiting, /EIO/);
  group.wrote();
  await assert.rejects(group.settle(), /EIO/);
  assert.equal(pending.length, 1, 'a later sync could succeed without the lost pages');
  assert.equal(failures.length, 1);
});
