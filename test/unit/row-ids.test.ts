// Row ids: version 7 UUIDs whose order is the order this process made them (cursors and
// "newest first" lists rely on it), unique, drawn from a pool of random bytes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newRowId, rowIds } from '../../src/kernel/ids.ts';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('row ids are version 7 UUIDs that sort in the order they were made, across pool refills', () => {
  const ids = Array.from({ length: 5000 }, () => newRowId());
  for (const id of ids) assert.match(id, V7);
  for (let i = 1; i < ids.length; i++) assert.ok(ids[i - 1]! < ids[i]!, `${ids[i - 1]} then ${ids[i]}`);
  assert.equal(new Set(ids).size, ids.length);
});

test('row ids carry the time they were made, to the millisecond', () => {
  const before = Date.now();
  const id = newRowId();
  const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
  // Within one millisecond the counter may borrow the next millisecond (a wrap), never more.
  assert.ok(ms >= before && ms <= Date.now() + 1, `${ms} outside ${before}…${Date.now()}`);
});

test('the random part differs between ids made in the same millisecond', () => {
  const ids = Array.from({ length: 64 }, () => newRowId());
  const tails = new Set(ids.map((id) => id.slice(-12)));
  assert.ok(tails.size > 60, `only ${tails.size} distinct random tails of 64`);
});

test('a clock that stands still or goes back does not break the order: the counter carries on', () => {
  const times = [1_000, 1_000, 1_000, 990, 500, 1_000, 1_001, 1_001];
  let i = 0;
  const next = rowIds(() => times[i++]!);
  const ids = times.map(() => next());
  for (let k = 1; k < ids.length; k++) assert.ok(ids[k - 1]! < ids[k]!, `id ${k} (${ids[k]}) sorts before id ${k - 1} (${ids[k - 1]})`);
  const msOf = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);
  assert.deepEqual(ids.map(msOf), [1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_001, 1_001], 'ids made while the clock was behind keep the last millisecond');
});
