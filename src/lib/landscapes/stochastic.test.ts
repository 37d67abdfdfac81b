/**
 * Stochastic mode: the per-sample losses average to the landscape, the minibatch objective is
 * the mean over its batch, the schedule is a pure function of (seed, N, b), and the gradient
 * noise has variance σ²/b (times the finite-population factor (N − b)/(N − 1)).
 */
import { describe, expect, it } from 'vitest';
import { recipe } from '../optim/config';
import { runVec } from '../optim/run';
import type { Vec } from '../math/vec';
import { LANDSCAPES } from './index';
import { wells } from './wells';
import {
  gradientNoiseVariance,
  makeBatchSchedule,
  makeObjective,
  makeStochastic,
  noiseSchedule,
  validateStochastic,
  type StochasticSettings,
} from './stochastic';

const settings: StochasticSettings = { sigma: 0.7, batch: 8, samples: 100, seed: 3 };
const points: Vec[] = [
  [-0.45, 0.3],
  [0.8, 0],
  [1.3, -0.7],
  [-1.1, 1.2],
];

describe('per-sample losses', () => {
  it.each(LANDSCAPES.map((l) => ({ id: l.id, l })))(
    '$id: mean of f_i is f and mean of ∇f_i is ∇f',
    ({ l }) => {
      const p = makeStochastic(l, settings);
      for (const x of points) {
        let f = 0,
          gx = 0,
          gy = 0;
        for (let i = 0; i < settings.samples; i++) {
          f += p.sampleLoss(i, x);
          const g = p.sampleGrad(i, x);
          gx += g[0];
          gy += g[1];
        }
        const n = settings.samples,
          g = l.grad(x);
        expect(Math.abs(f / n - l.f(x))).toBeLessThan(1e-12 * (1 + Math.abs(l.f(x))));
        expect(Math.abs(gx / n - g[0])).toBeLessThan(1e-12 * (1 + Math.abs(g[0])));
        expect(Math.abs(gy / n - g[1])).toBeLessThan(1e-12 * (1 + Math.abs(g[1])));
        // and the samples really differ from the landscape
        expect(Math.abs(p.sampleGrad(0, x)[0] - g[0])).toBeGreaterThan(1e-6);
      }
    },
  );

  it('has centred noise directions with unit variance per coordinate', () => {
    const { z } = makeBatchSchedule(settings);
    expect(z.length).toBe(2 * settings.samples);
    for (let c = 0; c < 2; c++) {
      let sum = 0,
        ss = 0;
      for (let i = 0; i < settings.samples; i++) {
        sum += z[2 * i + c];
        ss += z[2 * i + c] ** 2;
      }
      expect(Math.abs(sum)).toBeLessThan(1e-12);
      expect(ss / settings.samples).toBeCloseTo(1, 12);
    }
  });

  it('the minibatch objective is the mean of f_i and ∇f_i over B_t', () => {
    const p = makeStochastic(wells, settings);
    for (const t of [0, 1, 11, 12, 57]) {
      const batch = p.batchAt(t);
      for (const x of points) {
        const { loss, grad } = p.objectiveAt(t)(x);
        let f = 0,
          gx = 0,
          gy = 0;
        for (const i of batch) {
          f += p.sampleLoss(i, x);
          const g = p.sampleGrad(i, x);
          gx += g[0];
          gy += g[1];
        }
        const b = batch.length;
        expect(Math.abs(loss - f / b)).toBeLessThan(1e-12);
        expect(Math.abs(grad[0] - gx / b)).toBeLessThan(1e-12);
        expect(Math.abs(grad[1] - gy / b)).toBeLessThan(1e-12);
      }
    }
  });
});

describe('the batch schedule', () => {
  const batches = (s: StochasticSettings, n: number) => {
    const sched = makeBatchSchedule(s);
    return Array.from({ length: n }, (_, t) => [...sched.batchAt(t)]);
  };

  it('is the same for the same (seed, N, b), whatever order it is asked in', () => {
    const a = batches(settings, 40);
    expect(batches(settings, 40)).toEqual(a);
    const sched = makeBatchSchedule(settings);
    expect([...sched.batchAt(37)]).toEqual(a[37]);
    expect([...sched.batchAt(2)]).toEqual(a[2]);
  });

  it('changes with the seed', () => {
    expect(batches({ ...settings, seed: 4 }, 40)).not.toEqual(batches(settings, 40));
    expect([...makeBatchSchedule({ ...settings, seed: 4 }).z]).not.toEqual([
      ...makeBatchSchedule(settings).z,
    ]);
  });

  it('draws each epoch without replacement: ⌊N/b⌋ disjoint batches of size b', () => {
    const s = { ...settings, samples: 30, batch: 7 };
    const sched = makeBatchSchedule(s);
    expect(sched.batchesPerEpoch).toBe(4);
    for (let epoch = 0; epoch < 3; epoch++) {
      const seen = new Set<number>();
      for (let j = 0; j < 4; j++) {
        const b = sched.batchAt(epoch * 4 + j);
        expect(b.length).toBe(7);
        for (const i of b) {
          expect(i >= 0 && i < 30).toBe(true);
          seen.add(i);
        }
      }
      expect(seen.size).toBe(28);
    }
    // successive epochs are shuffled differently
    expect([...sched.batchAt(0)]).not.toEqual([...sched.batchAt(4)]);
  });

  it('gives every optimizer of a race the same minibatch at step t', () => {
    const a = makeObjective(wells, settings),
      b = makeObjective(wells, settings);
    for (const t of [0, 5, 99]) expect(a(t)([0.1, 0.2])).toEqual(b(t)([0.1, 0.2]));
    expect(a(0)([0.1, 0.2])).not.toEqual(a(1)([0.1, 0.2]));
  });

  it('noiseSchedule is ∇f_B − ∇f by definition: the mean per-sample gradient of B_t less the landscape’s', () => {
    const problem = makeStochastic(wells, settings);
    const noise = noiseSchedule(settings, 30);
    const x = [0.3, -0.4];
    const g = wells.grad(x);
    for (let t = 0; t < 30; t++) {
      const batch = problem.batchAt(t);
      for (let c = 0; c < 2; c++) {
        let mean = 0;
        for (const i of batch) mean += problem.sampleGrad(i, x)[c] / batch.length;
        expect(Math.abs(noise[2 * t + c] - (mean - g[c])), `step ${t}`).toBeLessThan(1e-14);
      }
    }
    expect(new Set(noise).size).toBeGreaterThan(50);
  });
});

describe('gradient noise', () => {
  /** Empirical per-coordinate variance of σ·z̄_{B_t} over `steps` steps. */
  function empiricalVariance(s: StochasticSettings, steps: number): number {
    const noise = noiseSchedule(s, steps);
    let sum = 0,
      ss = 0;
    for (const n of noise) {
      sum += n;
      ss += n * n;
    }
    const mean = sum / noise.length;
    return ss / noise.length - mean * mean;
  }

  it.each([1, 4, 16, 64])('has variance σ²/b·(N−b)/(N−1) for b = %i', (batch) => {
    const s = { sigma: 0.5, batch, samples: 1024, seed: 8 };
    // 2·4000 draws: relative standard error of a variance ≈ √(2/8000) ≈ 1.6%
    const emp = empiricalVariance(s, 4000);
    const expected = (0.25 / batch) * ((1024 - batch) / 1023);
    expect(gradientNoiseVariance(s)).toBeCloseTo(expected, 15);
    expect(Math.abs(emp / expected - 1)).toBeLessThan(0.12);
  });

  it('scales like σ² and like 1/b', () => {
    const base = { sigma: 0.5, batch: 2, samples: 2048, seed: 1 };
    const v = empiricalVariance(base, 4000);
    expect(empiricalVariance({ ...base, sigma: 1 }, 4000) / v).toBeCloseTo(4, 6);
    const ratio = v / empiricalVariance({ ...base, batch: 32 }, 4000);
    expect(ratio).toBeGreaterThan(16 * 0.8);
    expect(ratio).toBeLessThan(16 * 1.25);
  });

  it('vanishes for a full batch and for σ = 0', () => {
    expect(empiricalVariance({ sigma: 0.5, batch: 64, samples: 64, seed: 1 }, 100)).toBe(0);
    expect(empiricalVariance({ sigma: 0, batch: 4, samples: 64, seed: 1 }, 100)).toBe(0);
    expect(gradientNoiseVariance({ sigma: 0.5, batch: 64, samples: 64, seed: 1 })).toBe(0);
  });
});

describe('makeObjective', () => {
  it('is the landscape itself without settings, with σ = 0, or with b = N', () => {
    for (const s of [null, { ...settings, sigma: 0 }, { ...settings, batch: settings.samples }]) {
      const obj = makeObjective(wells, s);
      for (const t of [0, 7])
        for (const x of points)
          expect(obj(t)(x)).toEqual({ loss: wells.f(x), grad: wells.grad(x) });
    }
  });

  it('drives runVec reproducibly, and the noise changes the path', () => {
    const c = recipe('adasam', 'paper', { lr: 0.05, rho: 0.15 });
    const a = runVec(c, wells.x0, 50, makeObjective(wells, settings));
    const b = runVec(c, wells.x0, 50, makeObjective(wells, settings));
    const exact = runVec(c, wells.x0, 50, makeObjective(wells, null));
    expect(a.status).toBe('ok');
    expect(a.xs).toEqual(b.xs);
    expect(a.xs[50]).not.toEqual(exact.xs[50]);
  });

  it('rejects settings that cannot be sampled', () => {
    expect(() => validateStochastic({ ...settings, batch: 0 })).toThrow(RangeError);
    expect(() => validateStochastic({ ...settings, batch: settings.samples + 1 })).toThrow(
      RangeError,
    );
    expect(() => validateStochastic({ ...settings, sigma: -1 })).toThrow(RangeError);
    expect(() => validateStochastic({ ...settings, seed: 1.5 })).toThrow(RangeError);
    expect(() => makeObjective(wells, { ...settings, samples: 0, batch: 0 })).toThrow(RangeError);
  });
});
