// ReadCache (store/read-cache.ts: bearer tokens, fee rules) on its own clock: what it keeps, for
// how long, and that a read overlapping a write is not kept (the API tests cannot time a lookup
// against a write).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReadCache } from '../../src/store/read-cache.ts';

const token = { kind: 'access' } as never;

function counted(cache: ReadCache<unknown>) {
  let loads = 0;
  return {
    get: (load: () => Promise<unknown> = async () => token) =>
      cache.get('h', () => {
        loads++;
        return load() as never;
      }),
    loads: () => loads,
  };
}

test('a token read is answered from memory until the time is up', async () => {
  let now = 0;
  const c = counted(new ReadCache(1000, 10, () => now));
  await c.get();
  now = 999;
  await c.get();
  assert.equal(c.loads(), 1);
  now = 1000;
  await c.get();
  assert.equal(c.loads(), 2);
});

test('nothing found is not kept; 0 keeps nothing', async () => {
  const unknown = counted(new ReadCache(1000, 10, () => 0));
  await unknown.get(async () => undefined);
  await unknown.get(async () => undefined);
  assert.equal(unknown.loads(), 2);
  const off = counted(new ReadCache(0, 10, () => 0));
  await off.get();
  await off.get();
  assert.equal(off.loads(), 2);
});

test('a read that a write overlapped is not kept', async () => {
  const cache = new ReadCache(60_000, 10, () => 0);
  const c = counted(cache);
  let finish!: () => void;
  const overlapping = c.get(() => new Promise((resolve) => (finish = () => resolve(token))));
  cache.forget();
  finish();
  await overlapping;
  await c.get();
  assert.equal(c.loads(), 2, 'the token read before the write is read again');
});

test('past its bound the oldest read goes first', async () => {
  const cache = new ReadCache<string>(60_000, 2, () => 0);
  let loads = 0;
  const get = (key: string) => cache.get(key, async () => (loads++, key));
  await get('a');
  await get('b');
  await get('c');
  await get('b');
  await get('c');
  assert.equal(loads, 3, 'b and c kept');
  await get('a');
  assert.equal(loads, 4, 'a was dropped');
});
