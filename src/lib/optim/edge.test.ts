/**
 * Spec §7: the edge cases of edge_cases.json, config validation, and divergence handling.
 */
import { describe, expect, it } from 'vitest';
import { getLandscape } from '../landscapes';
import { F64_TOL, firstMismatch, loadGolden, traceArrays } from '../testing/golden';
import {
  ConfigError,
  recipe,
  resolveConfig,
  validateConfig,
  DEFAULT_CONFIG,
  type OptimizerConfig,
} from './config';
import { deterministic, runVec } from './run';

const edge = loadGolden('edge_cases.json').cases;
const quadratic = getLandscape('quadratic')!;
const objective = deterministic(quadratic.f, quadratic.grad);

describe('edge_cases.json', () => {
  it.each(['zero_grad_start_torch', 'zero_grad_start_paper', 'beta2_1_floor_eps1'])(
    '%s matches every stored array',
    (name) => {
      const c = edge[name];
      const steps = (c.trace.x as number[][]).length - 1;
      const run = runVec(c.config, c.x0, steps, objective);
      const ours: Record<string, unknown> = { ...traceArrays(run), loss: run.xs.map(quadratic.f) };
      for (const key of Object.keys(c.trace)) {
        expect(firstMismatch(ours[key] as number[][], c.trace[key], F64_TOL), key).toBeNull();
      }
    },
  );

  it('zero gradient: x stays exactly put and η = 1/ε with no NaN, in both presets', () => {
    for (const preset of ['torch', 'paper'] as const) {
      const run = runVec(recipe('adasam', preset, { lr: 0.1 }), [0, 0], 5, objective);
      expect(run.status).toBe('ok');
      for (const x of run.xs) expect(x).toEqual([0, 0]);
      for (const r of run.steps) {
        expect(r.delta).toEqual([0, 0]);
        expect(r.eta).toEqual([1e8, 1e8]);
      }
    }
  });

  it('β2 = 1 with ε = 1 is SAM with EMA momentum, bit for bit (spec §7.2)', () => {
    const golden = loadGolden('analytic2d.json').problems.quadratic;
    const adasam = runVec(edge.beta2_1_floor_eps1.config, golden.x0, 50, objective);
    const samm = runVec(golden.runs.samm.config, golden.x0, 50, objective);
    expect(adasam.xs).toEqual(samm.xs);
  });

  it('β2 = 1, ε = 1e-8 explodes: the run stops as diverged, its state holds no NaN/Inf and matches the stored steps', () => {
    const c = edge['beta2_1_floor_eps1e-8'];
    const run = runVec(c.config, c.x0, 200, objective);
    expect(run.status).toBe('diverged');
    expect(run.divergedAt).not.toBeNull();
    const stored = c.trace.x as number[][];
    expect(firstMismatch(run.xs.slice(0, stored.length), stored, F64_TOL)).toBeNull();
    const state = [
      run.xs[run.xs.length - 1],
      run.state.m,
      run.state.second!.v,
      run.state.second!.vHat,
    ];
    for (const v of state) expect(v.every(Number.isFinite)).toBe(true);
    expect(run.state.k).toBe(run.steps.length);
  });

  it('β2 = 1 with bias correction is rejected before any step', () => {
    const c = edge.beta2_1_bias_correction.config;
    expect(() => resolveConfig(c)).toThrow(ConfigError);
    expect(() => runVec({ ...DEFAULT_CONFIG, ...c }, [1, 1], 1, objective)).toThrow(/beta2/);
  });

  it('a non-finite loss or gradient commits nothing (spec §7.5)', () => {
    const bad = [
      { loss: NaN, grad: [1, 1] },
      { loss: 1, grad: [Infinity, 0] },
    ];
    for (const first of bad) {
      for (const name of ['adasam', 'sgd'] as const) {
        // Steps 0–2 are fine; step 3's clean pass is bad.
        const run = runVec(
          recipe(name, 'paper', { lr: 0.01 }),
          [1, 2],
          10,
          (t) => (x) => (t === 3 ? first : { loss: quadratic.f(x), grad: quadratic.grad(x) }),
        );
        expect(run.status).toBe('diverged');
        expect(run.divergedAt).toBe(3);
        expect(run.xs).toHaveLength(4);
        expect(run.state.k).toBe(3);
      }
    }
    // A bad perturbed gradient only (second pass) is rejected too.
    let calls = 0;
    const run = runVec(recipe('adasam', 'paper', { lr: 0.01 }), [1, 2], 5, () => (x) => {
      calls++;
      return calls === 4
        ? { loss: 0, grad: [NaN, 0] }
        : { loss: quadratic.f(x), grad: quadratic.grad(x) };
    });
    expect(run.divergedAt).toBe(1);
    expect(run.steps).toHaveLength(1);
  });
});

describe('validateConfig', () => {
  const bad: [Partial<OptimizerConfig>, keyof OptimizerConfig, RegExp][] = [
    [{ beta1: 1 }, 'beta1', /beta1 must be in \[0, 1\); got 1/],
    [{ beta1: -0.1 }, 'beta1', /\[0, 1\)/],
    [{ eps: 0 }, 'eps', /eps must be a finite number > 0; got 0/],
    [{ eps: -1 }, 'eps', /> 0/],
    [{ beta2: 1, biasCorrection: true }, 'beta2', /beta2 must be in \[0, 1\) with biasCorrection/],
    [{ beta2: 1.5 }, 'beta2', /beta2/],
    [{ rho: -0.05 }, 'rho', /rho must be a finite number ≥ 0; got -0.05/],
    [{ lr: -1 }, 'lr', /lr must be a finite number > 0/],
    [{ lr: 0 }, 'lr', /lr/],
    [{ lr: NaN }, 'lr', /got NaN/],
    [
      { perturbation: 'gsam' as never },
      'perturbation',
      /perturbation must be one of sam, asam; got "gsam"/,
    ],
    [{ epsMode: 'both' as never }, 'epsMode', /floor, add/],
    [{ adaptive: 'yes' as never }, 'adaptive', /true or false/],
    [{ weightDecay: -1 }, 'weightDecay', /weightDecay/],
    [{ perturbEps: -1 }, 'perturbEps', /perturbEps/],
    [{ asamEta: -1 }, 'asamEta', /asamEta/],
  ];
  it.each(bad)('rejects %j naming %s', (override, key, message) => {
    try {
      validateConfig({ ...DEFAULT_CONFIG, ...override });
      expect.unreachable('should have thrown');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).key).toBe(key);
      expect((e as Error).message).toMatch(message);
    }
  });

  it('accepts the boundary values the spec allows', () => {
    expect(() =>
      validateConfig({ ...DEFAULT_CONFIG, beta1: 0, beta2: 1, rho: 0, biasCorrection: false }),
    ).not.toThrow();
    expect(() => validateConfig({ ...DEFAULT_CONFIG, beta2: 0 })).not.toThrow();
  });

  it('resolveConfig applies the preset first and explicit keys over it', () => {
    expect(resolveConfig({ preset: 'torch' })).toMatchObject({
      biasCorrection: true,
      epsMode: 'add',
    });
    expect(resolveConfig({ preset: 'torch', epsMode: 'floor' })).toMatchObject({
      biasCorrection: true,
      epsMode: 'floor',
    });
    expect(resolveConfig()).toMatchObject({
      biasCorrection: false,
      epsMode: 'floor',
      lr: 1e-3,
      rho: 0.05,
    });
  });
});
