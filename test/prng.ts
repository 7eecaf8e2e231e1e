// A seeded PRNG for randomized tests (mulberry32). The seed comes from TEST_SEED or is drawn
// at random, and is printed so a failing run can be replayed: `TEST_SEED=<seed> npm test -- …`.
import { randomInt } from 'node:crypto';

export interface SeededRandom {
  seed: number;
  /** Uniform in [0, 1). */
  random(): number;
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
}

export function seededRandom(label = 'random'): SeededRandom {
  const seed = process.env.TEST_SEED ? Number(process.env.TEST_SEED) >>> 0 : randomInt(2 ** 31);
  process.stderr.write(`${label}: seed ${seed} (replay with TEST_SEED=${seed})\n`);
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  return { seed, random, int, pick: (items) => items[int(0, items.length - 1)]! };
}
