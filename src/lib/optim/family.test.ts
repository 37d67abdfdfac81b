/**
 * The family beyond the golden files: every knob combination against an independent oracle (a
 * plain per-coordinate transcription of spec §4, written separately from step.ts), the
 * equivalences of spec §5–6, and the SAM facts the lessons rely on.
 */
import { describe, expect, it } from 'vitest';
import { LANDSCAPES, getLandscape } from '../landscapes';
import {
  FAMILY,
  FAMILY_NAMES,
  familyOf,
  recipe,
  validateConfig,
  type OptimizerConfig,
} from './config';
import { deterministic, runVec } from './run';

/** Spec §4, one coordinate loop at a time, torch-style; returns x_0…x_T or stops at a non-finite value (§7.5). */
function oracle(
  c: OptimizerConfig,
  x0: number[],
  steps: number,
  f: (x: number[]) => number,
  grad: (x: number[]) => number[],
): number[][] {
  const n = x0.length;
  let x = [...x0];
  const m = new Array(n).fill(0);
  const v = new Array(n).fill(0);
  const vHat = new Array(n).fill(c.epsMode === 'floor' ? c.eps * c.eps : 0);
  const xs = [[...x]];
  for (let k = 1; k <= steps; k++) {
    const s = grad(x);
    let delta = new Array(n).fill(0);
    if (c.rho > 0) {
      const T = x.map((xi) => (c.perturbation === 'asam' ? Math.abs(xi) + c.asamEta : 1));
      const norm = Math.sqrt(s.reduce((acc, si, i) => acc + (T[i] * si) ** 2, 0));
      if (norm !== 0) delta = s.map((si, i) => T[i] * T[i] * si * (c.rho / (norm + c.perturbEps)));
    }
    const g = c.rho > 0 ? grad(x.map((xi, i) => xi + delta[i])) : s;
    // §4.1/4.3/7.5: a non-finite loss, s or g rejects the step
    if (![f(x), ...s, ...g].every(Number.isFinite)) break;
    const next: number[] = [];
    for (let i = 0; i < n; i++) {
      const gi = g[i] + c.weightDecay * x[i];
      m[i] = c.beta1 * m[i] + (1 - c.beta1) * gi;
      if (!c.adaptive) {
        next.push(x[i] - c.lr * m[i]);
        continue;
      }
      v[i] = c.beta2 * v[i] + (1 - c.beta2) * gi * gi;
      vHat[i] = c.amsgrad
        ? Math.max(vHat[i], v[i])
        : c.epsMode === 'floor'
          ? Math.max(v[i], c.eps * c.eps)
          : v[i];
      const bc1 = c.biasCorrection ? 1 - c.beta1 ** k : 1;
      const bc2 = c.biasCorrection ? 1 - c.beta2 ** k : 1;
      const denom = Math.sqrt(vHat[i]) / Math.sqrt(bc2) + (c.epsMode === 'add' ? c.eps : 0);
      next.push(x[i] - (c.lr / bc1) * (m[i] / denom));
    }
    if (![...next, ...m, ...v, ...vHat].every(Number.isFinite)) break;
    x = next;
    xs.push([...x]);
  }
  return xs;
}

/** A small deterministic generator so the random configurations are the same on every run. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('random configurations vs the independent oracle (float64, 1e-11 + 1e-10|b|)', () => {
  const rand = lcg(2024);
  const pickOf = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const cases = Array.from({ length: 120 }, (_, i) => {
    const biasCorrection = rand() < 0.5;
    const config: OptimizerConfig = validateConfig({
      lr: 10 ** (-3 + 2 * rand()),
      rho: pickOf([0, 0.01, 0.05, 0.3, 1]),
      beta1: pickOf([0, 0.5, 0.9, 0.99]),
      beta2: pickOf(biasCorrection ? [0, 0.9, 0.999] : [0, 0.9, 0.999, 1]),
      eps: pickOf([1e-8, 1e-4, 0.1, 1]),
      epsMode: pickOf(['floor', 'add'] as const),
      biasCorrection,
      adaptive: rand() < 0.7,
      amsgrad: rand() < 0.6,
      perturbation: pickOf(['sam', 'asam'] as const),
      perturbEps: pickOf([0, 1e-12, 1e-3]),
      asamEta: pickOf([0, 0.01, 0.5]),
      weightDecay: pickOf([0, 0, 1e-3, 0.1]),
    });
    const land = LANDSCAPES[i % LANDSCAPES.length];
    const [[x0lo, x0hi], [y0lo, y0hi]] = land.domain;
    const x0 = [x0lo + (x0hi - x0lo) * rand(), y0lo + (y0hi - y0lo) * rand()];
    return { i, land: land.id, config, x0 };
  });

  it.each(cases)('#$i on $land', ({ land, config, x0 }) => {
    const l = getLandscape(land)!;
    const run = runVec(config, x0, 60, deterministic(l.f, l.grad));
    const expected = oracle(config, x0, 60, l.f, (x) => Array.from(l.grad(x)));
    expect(
      run.xs.length,
      JSON.stringify({ config, x0, ours: run.xs.slice(-2), oracle: expected.slice(-2) }),
    ).toBe(expected.length);
    run.xs.forEach((x, t) =>
      x.forEach((xi, i) =>
        expect(Math.abs(xi - expected[t][i])).toBeLessThanOrEqual(
          1e-11 + 1e-10 * Math.abs(expected[t][i]),
        ),
      ),
    );
    expect(run.status).toBe(expected.length === 61 ? 'ok' : 'diverged');
  });
});

describe('the named family (spec §6)', () => {
  const wells = getLandscape('wells')!;
  const objective = deterministic(wells.f, wells.grad);

  it.each(FAMILY_NAMES)('%s: its recipe is the member familyOf names', (name) => {
    expect(familyOf(recipe(name))).toBe(name);
    expect(FAMILY[name].label.length).toBeGreaterThan(0);
  });

  it('ρ = 0 turns AdaSAM into AMSGrad exactly, with one gradient per step', () => {
    for (const preset of ['paper', 'torch'] as const) {
      const a = runVec(recipe('adasam', preset, { lr: 0.05, rho: 0 }), wells.x0, 100, objective);
      const b = runVec(recipe('amsgrad', preset, { lr: 0.05 }), wells.x0, 100, objective);
      expect(a.xs).toEqual(b.xs);
      expect(b.steps.every((r) => r.gradEvals === 1)).toBe(true);
    }
  });

  it('‖δ‖ = ρ (up to ξ) for SAM, and δ is the ASAM scaling for ASAM', () => {
    const sam = runVec(recipe('adasam', 'paper', { lr: 0.05, rho: 0.25 }), wells.x0, 30, objective);
    for (const r of sam.steps) {
      expect(Math.hypot(...r.delta)).toBeCloseTo(0.25, 10);
      expect(r.gradEvals).toBe(2);
    }
    const asam = runVec(recipe('asam', 'paper', { lr: 0.05, rho: 0.5 }), wells.x0, 5, objective);
    const x = asam.xs[0];
    const s = asam.steps[0].s;
    const T = x.map((xi) => Math.abs(xi) + 0.01);
    // ‖T⁻¹δ‖ = ρ: ASAM's ball is an ellipse in x, a sphere in T⁻¹-scaled coordinates
    expect(Math.hypot(...asam.steps[0].delta.map((d, i) => d / T[i]))).toBeCloseTo(0.5, 10);
    expect(asam.steps[0].delta[0] / asam.steps[0].delta[1]).toBeCloseTo(
      (T[0] * T[0] * s[0]) / (T[1] * T[1] * s[1]),
      10,
    );
  });

  it('SGD-momentum in EMA form equals heavy-ball SGD with lr·(1−β1) (spec §6)', () => {
    const lr = 0.05;
    const beta1 = 0.9;
    const run = runVec(recipe('sgdm', 'paper', { lr, beta1 }), wells.x0, 80, objective);
    let x = [...wells.x0];
    let buf = [0, 0];
    for (let t = 0; t < 80; t++) {
      const g = wells.grad(x);
      buf = buf.map((b, i) => beta1 * b + g[i]);
      x = x.map((xi, i) => xi - lr * (1 - beta1) * buf[i]);
      expect(run.xs[t + 1][0]).toBeCloseTo(x[0], 12);
      expect(run.xs[t + 1][1]).toBeCloseTo(x[1], 12);
    }
  });

  it('Adam with the torch preset matches the textbook Adam (Kingma & Ba, Algorithm 1 with ε outside the root)', () => {
    const [lr, b1, b2, eps] = [0.05, 0.9, 0.999, 1e-8];
    const run = runVec(
      recipe('adam', 'torch', { lr, beta1: b1, beta2: b2, eps }),
      wells.x0,
      60,
      objective,
    );
    let x = [...wells.x0];
    let m = [0, 0];
    let v = [0, 0];
    for (let k = 1; k <= 60; k++) {
      const g = wells.grad(x);
      m = m.map((mi, i) => b1 * mi + (1 - b1) * g[i]);
      v = v.map((vi, i) => b2 * vi + (1 - b2) * g[i] * g[i]);
      const mHat = m.map((mi) => mi / (1 - b1 ** k));
      const vHat = v.map((vi) => vi / (1 - b2 ** k));
      x = x.map((xi, i) => xi - (lr * mHat[i]) / (Math.sqrt(vHat[i]) + eps));
    }
    expect(run.xs[60][0]).toBeCloseTo(x[0], 10);
    expect(run.xs[60][1]).toBeCloseTo(x[1], 10);
  });

  it('the paper preset moves each coordinate by γ(1−β1)/√(1−β2) on the first step (spec §5)', () => {
    const run = runVec(recipe('amsgrad', 'paper', { lr: 0.01 }), wells.x0, 1, objective);
    const step = run.xs[1].map((xi, i) => Math.abs(xi - run.xs[0][i]));
    for (const d of step) expect(d).toBeCloseTo((0.01 * 0.1) / Math.sqrt(0.001), 6);
  });

  it('weight decay is coupled L2 at the unperturbed point: g ← ∇f(x+δ) + λx', () => {
    const lambda = 0.1;
    const run = runVec(
      recipe('adasam', 'paper', { lr: 0.01, rho: 0.1, weightDecay: lambda }),
      [0.3, -0.2],
      3,
      objective,
    );
    for (let t = 0; t < 3; t++) {
      const x = run.xs[t];
      const r = run.steps[t];
      const gp = wells.grad(x.map((xi, i) => xi + r.delta[i]));
      expect(r.g[0]).toBeCloseTo(gp[0] + lambda * x[0], 14);
      expect(r.g[1]).toBeCloseTo(gp[1] + lambda * x[1], 14);
    }
  });

  it('v̂ is the running maximum of v under amsgrad and just v (floored) without it', () => {
    const run = runVec(recipe('adasam', 'paper', { lr: 0.05, rho: 0.25 }), wells.x0, 80, objective);
    let active = 0;
    run.steps.forEach((r, t) => {
      r.vHat!.forEach((vh, i) => {
        expect(vh).toBeGreaterThanOrEqual(r.v![i]);
        if (t > 0) expect(vh).toBeGreaterThanOrEqual(run.steps[t - 1].vHat![i]);
        if (vh > r.v![i]) active++;
      });
    });
    expect(active).toBeGreaterThan(0);
    const adam = runVec(
      recipe('samAdam', 'paper', { lr: 0.05, rho: 0.25 }),
      wells.x0,
      80,
      objective,
    );
    for (const r of adam.steps)
      r.vHat!.forEach((vh, i) => expect(vh).toBe(Math.max(r.v![i], 1e-16)));
  });
});
