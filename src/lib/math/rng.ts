/**
 * A small seeded pseudo-random generator, passed in explicitly (never Math.random), so that a
 * seed in a link reproduces every random choice of a run.
 *
 *   state₀ = hash(seed)                 (32-bit integer mix, so nearby seeds give unrelated streams)
 *   u_k = mulberry32(state_k) / 2³²  ∈ [0, 1)       (Tommy Ettinger's mulberry32, period 2³²)
 *   z = u·√(−2 ln s / s), z' = v·√(−2 ln s / s) ~ N(0, 1)  (Marsaglia's polar method: (u, v) uniform
 *                                                       in the unit disc, s = u² + v²; z' is kept for
 *                                                       the next call. It needs only ln and √, and ln
 *                                                       is math/detmath's, so every engine draws the
 *                                                       same normals)
 *   shuffle: Fisher–Yates, j = ⌊u·(i+1)⌋ for i = n−1 … 1
 *
 * mulberry32 is fast and passes gjrand/PractRand to several GB; it is for simulations and
 * teaching, not cryptography.
 */

import { log } from './detmath';

/** A stream of uniform and normal numbers; its state advances with every call. */
export interface Rng {
  /** uniform in [0, 1) */
  uniform(): number;
  /** standard normal N(0, 1) */
  normal(): number;
  /** uniform integer in [0, n) */
  int(n: number): number;
}

/** Mixes integers into one 32-bit seed (murmur3's finaliser per word), so derived streams differ. */
export function mixSeed(...words: number[]): number {
  let h = 0x9e3779b9;
  for (const w of words) {
    h = Math.imul(h ^ (w | 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** A mulberry32 stream for `seed` (any finite number; its integer part is used). */
export function makeRng(seed: number): Rng {
  let a = mixSeed(Math.trunc(seed));
  let spare = NaN;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    uniform,
    normal() {
      if (!Number.isNaN(spare)) {
        const z = spare;
        spare = NaN;
        return z;
      }
      // Marsaglia's polar method: (u, v) uniform in the unit disc, s = u² + v², z = u·√(−2 ln s / s)
      let u: number;
      let v: number;
      let s: number;
      do {
        u = 2 * uniform() - 1;
        v = 2 * uniform() - 1;
        s = u * u + v * v;
      } while (s >= 1 || s === 0);
      const m = Math.sqrt((-2 * log(s)) / s);
      spare = v * m;
      return u * m;
    },
    int: (n) => Math.floor(uniform() * n),
  };
}

/** Shuffles `items` (an array or a typed array) in place (Fisher–Yates) and returns it. */
export function shuffle<A extends { length: number; [i: number]: unknown }>(rng: Rng, items: A): A {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = items[i];
    items[i] = items[j];
    items[j] = tmp;
  }
  return items;
}

/** A uniformly random permutation of 0 … n−1. */
export function permutation(rng: Rng, n: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = p[i];
    p[i] = p[j];
    p[j] = tmp;
  }
  return p;
}

/** k distinct indices from 0 … n−1 (sampling without replacement), in the order drawn. */
export function sampleWithoutReplacement(rng: Rng, n: number, k: number): Int32Array {
  if (!(k >= 0 && k <= n)) throw new RangeError(`cannot draw ${k} of ${n} without replacement`);
  // A partial Fisher–Yates: only the first k positions are settled.
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    const tmp = p[i];
    p[i] = p[j];
    p[j] = tmp;
  }
  return p.slice(0, k);
}
