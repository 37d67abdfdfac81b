/**
 * The engine-independent exp/log/powInt against the engine's own functions (an independent
 * implementation: within 1 ulp for exp/log) over the ranges the landscapes and optimizer use.
 */
import { describe, expect, it } from 'vitest';
import { exp, log, powInt } from './detmath';
import { makeRng } from './rng';

const ulpsApart = (a: number, b: number) =>
  Math.abs(a - b) / (Number.EPSILON * Math.max(Math.abs(b), Number.MIN_VALUE));

describe('exp', () => {
  it('is within 1 ulp of Math.exp over [−745, 709] and exact at the special points', () => {
    const rng = makeRng(7);
    let worst = 0;
    for (let i = 0; i < 200_000; i++) {
      const x = i % 2 ? (rng.uniform() - 0.5) * 60 : -745 + 1454 * rng.uniform();
      const want = Math.exp(x);
      if (want < 2.2250738585072014e-308) continue; // subnormals are checked below
      worst = Math.max(worst, ulpsApart(exp(x), want));
    }
    expect(worst).toBeLessThanOrEqual(1);
    expect(exp(0)).toBe(1);
    expect(ulpsApart(exp(1), Math.E)).toBeLessThanOrEqual(1);
    expect(exp(-Infinity)).toBe(0);
    expect(exp(Infinity)).toBe(Infinity);
    expect(exp(710)).toBe(Infinity);
    expect(exp(NaN)).toBeNaN();
    // a subnormal result: within one subnormal step (5e-324) of the engine's
    expect(Math.abs(exp(-740) - Math.exp(-740))).toBeLessThanOrEqual(5e-324);
    expect(exp(-740)).toBeGreaterThan(0);
  });
});

describe('log', () => {
  it('is within 1 ulp of Math.log from subnormals to 1e308 and exact at the special points', () => {
    const rng = makeRng(11);
    let worst = 0;
    for (let i = 0; i < 200_000; i++) {
      const x =
        i % 3 === 0
          ? rng.uniform()
          : i % 3 === 1
            ? 1 + (rng.uniform() - 0.5) * 1e-5
            : Math.exp(-740 + 1449 * rng.uniform());
      const want = Math.log(x);
      if (want === 0) continue;
      worst = Math.max(worst, ulpsApart(log(x), want));
    }
    expect(worst).toBeLessThanOrEqual(1);
    expect(log(1)).toBe(0);
    expect(log(Math.E)).toBe(1);
    expect(log(0)).toBe(-Infinity);
    expect(log(-1)).toBeNaN();
    expect(log(Infinity)).toBe(Infinity);
    expect(log(5e-324)).toBeCloseTo(-744.4400719213812, 10);
  });
});

describe('powInt', () => {
  // Each squaring doubles the relative error of the running power, so it grows like k·ε: harmless
  // for 1 − β^k, whose absolute error stays below 1e-12·β^k.
  it('matches Math.pow to k·ε relative for the bias corrections (β ∈ [0, 1], k up to 10⁴)', () => {
    for (const beta of [0, 0.5, 0.9, 0.99, 0.999, 0.9999, 1]) {
      for (const k of [0, 1, 2, 3, 7, 10, 100, 1000, 5000, 10_000]) {
        const want = Math.pow(beta, k);
        const got = powInt(beta, k);
        if (want === 0) expect(got).toBe(0);
        else
          expect(Math.abs(got - want) / want).toBeLessThanOrEqual(Math.max(2, k) * Number.EPSILON);
      }
    }
    expect(powInt(0.9, 1)).toBe(0.9);
    expect(powInt(0.9, 2)).toBe(0.9 * 0.9);
    expect(powInt(2, 10)).toBe(1024);
  });
});
