/**
 * The explorer's pieces against independent computations: closed-form eigenvalues and gradients,
 * Theorem 3.6's terms evaluated by hand for one set of numbers, an SGD run on the quadratic whose
 * (1/T)Σ‖∇f(x_t)‖² has a closed form, and Corollary 3.7's predicted slope of −1/2.
 */
import { describe, expect, it } from 'vitest';
import { getLandscape } from '../landscapes';
import { makeBatchSchedule } from '../landscapes/stochastic';
import { recipe } from '../optim/config';
import { theorem36 } from './bound';
import {
  boundingBox,
  gradientBound,
  lowestValue,
  sampleVariance,
  smoothness,
  spectralNorm2,
} from './constants';
import { explore, logLogSlope } from './explore';

const quadratic = getLandscape('quadratic')!;
const saddle = getLandscape('saddle')!;

describe('constants', () => {
  it('spectral norm of symmetric 2 × 2 matrices', () => {
    // [[5.5, 4.5], [4.5, 5.5]] has eigenvalues 10 and 1; diag(1, −3) has 1 and −3
    expect(spectralNorm2([5.5, 4.5, 5.5])).toBeCloseTo(10, 12);
    expect(spectralNorm2([1, 0, -3])).toBeCloseTo(3, 12);
    expect(spectralNorm2([0, 2, 0])).toBeCloseTo(2, 12);
  });

  it('L of the quadratic is its largest eigenvalue, of the saddle |3y² − 1| at the box edge', () => {
    expect(smoothness(quadratic, quadratic.domain, 11)).toBeCloseTo(10, 5);
    // saddle: ∇²f = diag(1, 3y² − 1); on |y| ≤ 1.6 the largest |eigenvalue| is 3·1.6² − 1 = 6.68
    expect(smoothness(saddle, saddle.domain, 21)).toBeCloseTo(6.68, 5);
  });

  it('G is the largest |coordinate| of a noisy gradient over the box', () => {
    const box = boundingBox([
      [0, 0],
      [1, 1],
    ]);
    // ∇f(1, 1) = (10, 10); no noise
    expect(gradientBound(quadratic, box, 0, [], 5)).toBeCloseTo(10, 12);
    // samples z = (1, −2), (−1, 2), σ = 0.5: at (1, 1) the y-coordinate reaches 10 + 0.5·2 = 11
    expect(gradientBound(quadratic, box, 0.5, [1, -2, -1, 2], 5)).toBeCloseTo(11, 12);
  });

  it('σ² is the mean of ‖σ z_i‖² over the samples', () => {
    const sigma = 0.7;
    const { z } = makeBatchSchedule({ sigma, batch: 4, samples: 64, seed: 3 });
    let sum = 0;
    for (let i = 0; i < z.length; i++) sum += (sigma * z[i]) ** 2;
    expect(sampleVariance(sigma)).toBeCloseTo(sum / 64, 10);
  });

  it('f* is the lowest declared minimum', () => {
    expect(lowestValue(quadratic)).toBe(0);
    expect(lowestValue(saddle)).toBeCloseTo(-0.25, 12);
  });

  it('boundingBox pads and refuses to be empty', () => {
    expect(boundingBox([[1, 2]], 0.5)).toEqual([
      [0.5, 1.5],
      [1.5, 2.5],
    ]);
    expect(() => boundingBox([[NaN, 0]])).toThrow(/no finite point/);
  });
});

describe('Theorem 3.6 terms', () => {
  // evaluated by hand for G 2, L 3, σ² 0.5, b 4, f(x₀) − f* 1.5, γ 0.01, ε 0.1, ρ 0.05, β1 0.9, T 100, d 2
  const inputs = {
    G: 2,
    L: 3,
    sigma2: 0.5,
    batch: 4,
    gap: 1.5,
    lr: 0.01,
    eps: 0.1,
    rho: 0.05,
    beta1: 0.9,
    steps: 100,
    dim: 2,
  };
  const byHand = {
    descent: 6, // 2·2·1.5/(0.01·100)
    noise: 6, // (8·2·0.01·3/0.1)·0.5/(4·0.1) = 4.8·1.25
    phiRho: 20.25, // 45·2·9·0.0025/0.1
    phiInit: 30.4, // 2·8/(0.1·100) · 2·(10 − 0.5)
    phiRhoNoise: 0.36, // 4.8·(3·0.0025/0.1)
    phiMomentum: 81.396, // 2·(4 + 81)·0.01·3·8/100 · 2·(100 − 0.25)
    phiDrift: 6998.4, // 6·1e-4·9·0.81/0.01 · 2·8/0.001
  };

  it('each term and the total', () => {
    const r = theorem36(inputs);
    for (const t of r.terms) expect(t.value, t.id).toBeCloseTo(byHand[t.id], 9);
    expect(r.total).toBeCloseTo(7142.806, 8);
  });

  it('the step-size condition γ ≤ ε/(16L)', () => {
    const r = theorem36(inputs);
    expect(r.lrMax).toBeCloseTo(0.1 / 48, 15);
    expect(r.conditionHolds).toBe(false);
    expect(theorem36({ ...inputs, lr: 0.002 }).conditionHolds).toBe(true);
  });

  it('raises G to ε (Assumption 3.4)', () => {
    expect(theorem36({ ...inputs, G: 0.05 }).G).toBe(0.1);
  });
});

describe('explore', () => {
  const noiseless = { sigma: 0, batch: 8, samples: 256, seed: 1 };

  it('matches the closed form of SGD on the quadratic', () => {
    // x₀ = (−2, 1) = −(1/√2)·u₁ − (3/√2)·u₂ along the eigenvectors u₁ = (1, 1)/√2 (λ 10) and
    // u₂ = (1, −1)/√2 (λ 1); with γ = 0.05, ‖∇f(x_t)‖² = 50·0.5^{2t} + 4.5·0.95^{2t}
    const T = 60;
    let closed = 0;
    for (let t = 0; t < T; t++) closed += 50 * 0.25 ** t + 4.5 * 0.9025 ** t;
    const r = explore(quadratic, {
      config: recipe('sgd', 'paper', { lr: 0.05 }),
      x0: [-2, 1],
      steps: T,
      stochastic: noiseless,
      seeds: 3,
      speedupBatches: [],
      speedupHorizons: [],
    });
    expect(r.measured.mean).toBeCloseTo(closed / T, 10);
    expect(r.measured.sd).toBe(0);
    expect(r.measured.diverged).toBe(0);
    expect(r.constants.L).toBeCloseTo(10, 5);
    expect(r.constants.f0).toBe(4.75);
    expect(r.constants.sigma2).toBe(0);
    // ∇f = Hx is linear: its largest |coordinate| over the region's box is at a corner
    const [[x0, x1], [y0, y1]] = r.constants.box;
    // the box holds x₀ and x₁ = x₀ − 0.05·∇f(x₀) = (−1.675, 1.225), the path rising above x₀
    expect(x0).toBe(-2);
    expect(y1).toBeGreaterThanOrEqual(1.225);
    const corners = [x0, x1].flatMap((x) => [y0, y1].map((y) => [x, y]));
    const G = Math.max(
      ...corners.map(([x, y]) =>
        Math.max(Math.abs(5.5 * x + 4.5 * y), Math.abs(4.5 * x + 5.5 * y)),
      ),
    );
    expect(r.constants.G).toBeCloseTo(G, 9);
  });

  it('counts diverged seeds and leaves them out', () => {
    const r = explore(quadratic, {
      config: recipe('sgd', 'paper', { lr: 0.5 }),
      x0: [-2, 1],
      steps: 400,
      stochastic: noiseless,
      seeds: 2,
      speedupBatches: [],
      speedupHorizons: [],
    });
    expect(r.measured.diverged).toBe(2);
    expect(r.measured.perSeed).toEqual([]);
  });

  it('shows the slope −1/2 of Corollary 3.7 on the noisy quadratic', () => {
    const progress: number[] = [];
    const r = explore(
      quadratic,
      {
        config: recipe('adasam', 'paper', { lr: 0.05, rho: 0.05 }),
        x0: [-2, 1],
        steps: 200,
        stochastic: { sigma: 0.5, batch: 8, samples: 256, seed: 1 },
        seeds: 4,
        speedupBatches: [4, 16],
        speedupHorizons: [100, 400],
      },
      (done, total) => progress.push(done / total),
    );
    expect(r.speedup.points).toHaveLength(4);
    const p = r.speedup.points.find((q) => q.batch === 16 && q.steps === 100)!;
    // γ = 0.05·√((16/100)/(8/200)) = 0.1, ρ = 0.05·√(1600/1600) = 0.05
    expect(p.lr).toBeCloseTo(0.1, 12);
    expect(p.rho).toBeCloseTo(0.05, 12);
    expect(r.speedup.slope).toBeGreaterThan(-0.65);
    expect(r.speedup.slope).toBeLessThan(-0.35);
    expect(progress).toHaveLength(4 + 4 * 4);
    expect(progress.at(-1)).toBe(1);
    // the usual ε = 1e-8 leaves the theorem a condition no practical γ meets
    expect(r.theorem.conditionHolds).toBe(false);
    expect(r.theorem.total).toBeGreaterThan(1e20);
  });
});

describe('validateExplore', () => {
  it('refuses requests outside the limits with the field named', () => {
    const base = {
      config: recipe('sgd', 'paper', { lr: 0.05 }),
      x0: [-2, 1] as [number, number],
      steps: 10,
      stochastic: { sigma: 0.5, batch: 8, samples: 32, seed: 1 },
      seeds: 2,
      speedupBatches: [],
      speedupHorizons: [],
    };
    expect(() => explore(quadratic, { ...base, seeds: 0 })).toThrow(/^seeds must be an integer/);
    expect(() => explore(quadratic, { ...base, steps: 1e6 })).toThrow(/^steps/);
    expect(() => explore(quadratic, { ...base, speedupBatches: [64] })).toThrow(/batch size/);
    expect(() => explore(quadratic, { ...base, x0: [NaN, 0] })).toThrow(/x₀/);
  });
});

describe('logLogSlope', () => {
  it('recovers a power law and ignores points it cannot take the log of', () => {
    const pts = [1, 10, 100, 1000].map((x) => ({ x, y: 3 * x ** -0.5 }));
    expect(logLogSlope(pts)).toBeCloseTo(-0.5, 12);
    expect(logLogSlope([...pts, { x: 5, y: NaN }, { x: 0, y: 1 }])).toBeCloseTo(-0.5, 12);
    expect(logLogSlope([{ x: 1, y: 1 }])).toBeNull();
  });
});
