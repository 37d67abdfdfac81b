/**
 * The seeded generator: reproducible, in range, and with the moments of U[0,1) and N(0,1)
 * (loose tolerances: several standard errors of the sample sizes used).
 */
import { describe, expect, it } from 'vitest';
import { makeRng, mixSeed, permutation, sampleWithoutReplacement, shuffle } from './rng';

const draw = (seed: number, n: number, f: 'uniform' | 'normal') => {
  const rng = makeRng(seed);
  return Array.from({ length: n }, () => rng[f]());
};

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: number[]) => {
  const mu = mean(xs);
  return xs.reduce((a, b) => a + (b - mu) ** 2, 0) / xs.length;
};

describe('makeRng', () => {
  it('is deterministic: the same seed gives the same stream', () => {
    expect(draw(42, 100, 'uniform')).toEqual(draw(42, 100, 'uniform'));
    expect(draw(42, 100, 'normal')).toEqual(draw(42, 100, 'normal'));
  });

  it('gives unrelated streams for neighbouring seeds', () => {
    const a = draw(1, 1000, 'uniform');
    const b = draw(2, 1000, 'uniform');
    expect(a).not.toEqual(b);
    // correlation of two independent U[0,1) samples: standard error 1/√1000 ≈ 0.032
    const ma = mean(a),
      mb = mean(b);
    const cov = mean(a.map((x, i) => (x - ma) * (b[i] - mb)));
    expect(Math.abs(cov / Math.sqrt(variance(a) * variance(b)))).toBeLessThan(0.15);
  });

  it('draws uniforms in [0, 1) with mean 1/2 and variance 1/12', () => {
    const u = draw(7, 100_000, 'uniform');
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    // standard errors: mean 0.29/√n ≈ 9e-4, variance ≈ 2.7e-4
    expect(mean(u)).toBeCloseTo(0.5, 2);
    expect(Math.abs(variance(u) - 1 / 12)).toBeLessThan(2e-3);
    // every tenth of [0,1) gets about 10% (χ² with 9 degrees of freedom, generous bound)
    const counts = new Array(10).fill(0);
    for (const x of u) counts[Math.floor(x * 10)]++;
    const chi2 = counts.reduce((a, c) => a + (c - 10_000) ** 2 / 10_000, 0);
    expect(chi2).toBeLessThan(40);
  });

  it('draws normals with mean 0, variance 1 and no skew', () => {
    const z = draw(11, 100_000, 'normal');
    expect(z.every(Number.isFinite)).toBe(true);
    expect(Math.abs(mean(z))).toBeLessThan(0.02);
    expect(Math.abs(variance(z) - 1)).toBeLessThan(0.03);
    expect(Math.abs(mean(z.map((x) => x ** 3)))).toBeLessThan(0.06);
    // P(|z| < 1) = 0.6827 for N(0,1)
    expect(mean(z.map((x) => (Math.abs(x) < 1 ? 1 : 0)))).toBeCloseTo(0.6827, 2);
  });

  it('draws integers in [0, n)', () => {
    const rng = makeRng(3);
    const xs = Array.from({ length: 10_000 }, () => rng.int(6));
    expect(xs.every((x) => Number.isInteger(x) && x >= 0 && x < 6)).toBe(true);
    expect(new Set(xs).size).toBe(6);
  });
});

describe('mixSeed', () => {
  it('is a function of all its words and their order', () => {
    expect(mixSeed(1, 2)).toBe(mixSeed(1, 2));
    expect(mixSeed(1, 2)).not.toBe(mixSeed(2, 1));
    expect(mixSeed(1, 2)).not.toBe(mixSeed(1, 3));
    expect(Number.isInteger(mixSeed(5)) && mixSeed(5) >= 0 && mixSeed(5) < 2 ** 32).toBe(true);
  });
});

describe('shuffles and samples', () => {
  it('permutation contains every index once and is reproducible', () => {
    const p = permutation(makeRng(9), 50);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(permutation(makeRng(9), 50)).toEqual(p);
    expect(permutation(makeRng(10), 50)).not.toEqual(p);
  });

  it('permutation puts each item in each position about equally often', () => {
    const rng = makeRng(12);
    const n = 4,
      trials = 40_000;
    const counts = Array.from({ length: n }, () => new Array(n).fill(0));
    for (let t = 0; t < trials; t++)
      permutation(rng, n).forEach((item, pos) => counts[item][pos]++);
    for (const row of counts)
      for (const c of row) expect(Math.abs(c / trials - 1 / n)).toBeLessThan(0.015);
  });

  it('shuffle permutes in place', () => {
    const items = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const out = shuffle(makeRng(4), items);
    expect(out).toBe(items);
    expect([...out].sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
  });

  it('sampleWithoutReplacement draws k distinct indices, each equally likely', () => {
    const rng = makeRng(21);
    const hits = new Array(10).fill(0);
    for (let t = 0; t < 20_000; t++) {
      const s = sampleWithoutReplacement(rng, 10, 3);
      expect(new Set(s).size).toBe(3);
      for (const i of s) hits[i]++;
    }
    // each index is in a 3-of-10 sample with probability 0.3
    for (const h of hits) expect(Math.abs(h / 20_000 - 0.3)).toBeLessThan(0.02);
    expect(() => sampleWithoutReplacement(rng, 3, 4)).toThrow(RangeError);
  });
});
