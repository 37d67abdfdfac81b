/**
 * The race model, and the story DEFAULT_RACE tells: on wells, SGD, AMSGrad and SAM (ρ = 0.05)
 * settle in the sharp well and AdaSAM in the flat one (spec §8.1 reports the same split for
 * these families from the nearby start (−0.45, 0.3) after 50 steps).
 */
import { describe, expect, it } from 'vitest';
import { recipe } from '../optim/config';
import { F64_TOL, firstMismatch, loadGolden, type GoldenRun } from '../testing/golden';
import { classifyEnd } from './basin';
import { getLandscape } from './index';
import { DEFAULT_RACE, raceConfigs, runRace } from './race';
import { makeStochastic, type StochasticSettings } from './stochastic';
import { wells } from './wells';

const kindAt = (x: ArrayLike<number>) => {
  const k = classifyEnd(wells, x);
  return k < 0 ? 'none' : wells.minima[k].kind;
};

describe('DEFAULT_RACE', () => {
  it('is plain data for wells with SGD, AMSGrad, SAM and AdaSAM from one start', () => {
    expect(JSON.parse(JSON.stringify(DEFAULT_RACE))).toEqual(DEFAULT_RACE);
    expect(getLandscape(DEFAULT_RACE.landscape)).toBe(wells);
    expect(DEFAULT_RACE.runs.map((r) => r.family)).toEqual(['sgd', 'amsgrad', 'sam', 'adasam']);
    expect(DEFAULT_RACE.steps).toBeGreaterThanOrEqual(100);
    expect(DEFAULT_RACE.steps).toBeLessThanOrEqual(200);
  });

  const runs = () =>
    runRace(wells, DEFAULT_RACE.x0, DEFAULT_RACE.steps, raceConfigs(DEFAULT_RACE), null);

  it('ends SGD, AMSGrad and SAM in the sharp well and AdaSAM in the flat well', () => {
    const ends = runs().map((r) => {
      expect(r.status).toBe('ok');
      return kindAt(r.xs[r.xs.length - 1]);
    });
    expect(ends).toEqual(['sharp', 'sharp', 'sharp', 'flat']);
  });

  it('keeps AdaSAM in the flat well for the whole second half, close to its bottom at the end', () => {
    const adasam = runs()[3];
    for (const x of adasam.xs.slice(DEFAULT_RACE.steps / 2)) expect(kindAt(x)).toBe('flat');
    const end = adasam.xs[adasam.xs.length - 1];
    expect(Math.hypot(end[0] - 0.8, end[1])).toBeLessThan(0.1);
  });

  it('keeps AMSGrad and SGD in the sharp well for the whole second half', () => {
    const [sgd, amsgrad] = runs();
    for (const r of [sgd, amsgrad])
      for (const x of r.xs.slice(DEFAULT_RACE.steps / 2)) expect(kindAt(x)).toBe('sharp');
  });

  it('is robust: the same split from every start within ±0.02 of x₀', () => {
    const configs = raceConfigs(DEFAULT_RACE);
    for (const dx of [-0.02, 0, 0.02]) {
      for (const dy of [-0.02, 0, 0.02]) {
        const x0 = [DEFAULT_RACE.x0[0] + dx, DEFAULT_RACE.x0[1] + dy];
        const ends = runRace(wells, x0, DEFAULT_RACE.steps, configs, null).map((r) =>
          kindAt(r.xs[r.xs.length - 1]),
        );
        expect(ends, `from (${x0})`).toEqual(['sharp', 'sharp', 'sharp', 'flat']);
      }
    }
  });

  it('survives minibatch noise: the split holds for several seeds with σ = 0.2, b = 8', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const s: StochasticSettings = { sigma: 0.2, batch: 8, samples: 256, seed };
      const ends = runRace(
        wells,
        DEFAULT_RACE.x0,
        DEFAULT_RACE.steps,
        raceConfigs(DEFAULT_RACE),
        s,
      ).map((r) => kindAt(r.xs[r.xs.length - 1]));
      expect([ends[1], ends[3]], `seed ${seed}`).toEqual(['sharp', 'flat']);
    }
  });
});

describe('runRace', () => {
  it('reproduces the golden wells runs with exact gradients (analytic2d.json, PyTorch float64)', () => {
    const p = loadGolden('analytic2d.json').problems.wells as {
      x0: number[];
      steps: number;
      runs: Record<string, GoldenRun>;
    };
    const runs = Object.values(p.runs);
    const race = runRace(
      wells,
      p.x0,
      p.steps,
      runs.map((r) => r.config),
      null,
    );
    expect(race).toHaveLength(runs.length);
    race.forEach((r, i) => {
      expect(r.status).toBe('ok');
      expect(firstMismatch(r.xs, runs[i].trace.x as number[][], F64_TOL)).toBeNull();
    });
  });

  it('every run steps on minibatch B_t at step t: SGD moves by γ·(1/b)Σ_{i∈B_t}∇f_i(x_t)', () => {
    const s: StochasticSettings = { sigma: 0.5, batch: 4, samples: 64, seed: 2 };
    const problem = makeStochastic(wells, s);
    const lrs = [0.05, 0.02];
    const race = runRace(
      wells,
      [0.1, 0.5],
      60,
      lrs.map((lr) => recipe('sgd', 'paper', { lr })),
      s,
    );
    race.forEach((r, k) => {
      for (let t = 0; t < 60; t++) {
        // ∇f_B from its definition, the mean of the per-sample gradients of B_t (spec §1)
        const g = [0, 0];
        const batch = problem.batchAt(t);
        for (const i of batch) {
          const gi = problem.sampleGrad(i, r.xs[t]);
          g[0] += gi[0] / batch.length;
          g[1] += gi[1] / batch.length;
        }
        for (let c = 0; c < 2; c++)
          expect(
            Math.abs(r.xs[t + 1][c] - (r.xs[t][c] - lrs[k] * g[c])),
            `run ${k} step ${t}`,
          ).toBeLessThan(1e-13);
      }
    });
    // the minibatch changed the path relative to exact gradients
    expect(race[0].xs[60]).not.toEqual(
      runRace(wells, [0.1, 0.5], 60, [recipe('sgd', 'paper', { lr: 0.05 })], null)[0].xs[60],
    );
  });
});
