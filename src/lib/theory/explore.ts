/**
 * The Theorem 3.6 / Corollary 3.7 explorer's computation (spec theory.md), plain float64:
 *
 * 1. The measured side of the theorem, (1/T) Σ_{t<T} ‖∇f(x_t)‖² with ∇f the exact (full-batch)
 *    gradient at the iterates, averaged over seeds: each seed draws its own samples z_i and its own
 *    minibatch schedule (stochastic.ts), so the mean estimates the expectation the theorem bounds.
 * 2. The constants L, G, σ², f(x₀) − f* over the region those runs visited (constants.ts) and the
 *    bound's terms (bound.ts).
 * 3. The corollary's experiment: for each batch b and horizon T, γ = γ₀·√((b/T)/(b₀/T₀)) and
 *    ρ = ρ₀·√((b₀T₀)/(bT)), so that (b₀, T₀) is the page's run; the measured quantity against b·T on
 *    log–log axes, whose least-squares slope the corollary predicts near −1/2 once T is large.
 */
import type { Vec } from '../math/vec';
import type { OptimizerConfig } from '../optim/config';
import { runVec } from '../optim/run';
import {
  makeBatchSchedule,
  makeObjective,
  type StochasticSettings,
} from '../landscapes/stochastic';
import type { Landscape } from '../landscapes/types';
import { theorem36, type Theorem36 } from './bound';
import {
  boundingBox,
  gradientBound,
  lowestValue,
  sampleVariance,
  smoothness,
  type Box,
} from './constants';

export interface ExploreRequest {
  config: OptimizerConfig;
  x0: [number, number];
  /** T₀ */
  steps: number;
  /** the page's noise; seeds seed, seed + 1, …, seed + seeds − 1 */
  stochastic: StochasticSettings;
  seeds: number;
  /** batch sizes and horizons of the corollary's experiment (empty: skip it) */
  speedupBatches: number[];
  speedupHorizons: number[];
}

/** (1/T) Σ‖∇f(x_t)‖² over seeds; diverged runs are counted and left out of the mean. */
export interface Measured {
  mean: number;
  /** standard deviation over the seeds that finished (0 for one seed) */
  sd: number;
  perSeed: number[];
  diverged: number;
}

export interface SpeedupPoint extends Measured {
  batch: number;
  steps: number;
  lr: number;
  rho: number;
}

export interface ExploreResult {
  constants: { L: number; G: number; sigma2: number; f0: number; fStar: number; box: Box };
  theorem: Theorem36;
  measured: Measured;
  speedup: { points: SpeedupPoint[]; slope: number | null };
}

/** (1/T) Σ_{t<T} ‖∇f(x_t)‖² along one run, with every point the run evaluated. */
function oneRun(
  land: Landscape,
  config: OptimizerConfig,
  x0: Vec,
  steps: number,
  stochastic: StochasticSettings,
): { value: number | null; visited: Vec[] } {
  const run = runVec(config, x0, steps, makeObjective(land, stochastic));
  const visited: Vec[] = [...run.xs];
  run.steps.forEach((s, t) => visited.push([run.xs[t][0] + s.delta[0], run.xs[t][1] + s.delta[1]]));
  if (run.status !== 'ok') return { value: null, visited };
  let sum = 0;
  for (let t = 0; t < steps; t++) {
    const g = land.grad(run.xs[t]);
    sum += g[0] * g[0] + g[1] * g[1];
  }
  return { value: sum / steps, visited };
}

function summarize(values: (number | null)[]): Measured {
  const perSeed = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const n = perSeed.length;
  const mean = n ? perSeed.reduce((a, b) => a + b, 0) / n : NaN;
  const sd = n > 1 ? Math.sqrt(perSeed.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd, perSeed, diverged: values.length - n };
}

/** Least-squares slope of log₁₀ y against log₁₀ x (null with fewer than two distinct x). */
export function logLogSlope(points: { x: number; y: number }[]): number | null {
  const ok = points.filter((p) => p.x > 0 && p.y > 0 && Number.isFinite(p.y));
  const xs = ok.map((p) => Math.log10(p.x));
  const ys = ok.map((p) => Math.log10(p.y));
  const n = ok.length;
  if (n < 2) return null;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0,
    sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
  }
  return sxx > 0 ? sxy / sxx : null;
}

/** Limits that keep one request to seconds of work; a request outside them is refused. */
export const EXPLORE_LIMITS = { seeds: 64, steps: 5000, batches: 8, horizons: 8 } as const;

/** Throws RangeError naming the first field of `req` outside EXPLORE_LIMITS. */
export function validateExplore(req: ExploreRequest): ExploreRequest {
  const int = (v: number, lo: number, hi: number, what: string) => {
    if (!(Number.isInteger(v) && v >= lo && v <= hi))
      throw new RangeError(`${what} must be an integer in [${lo}, ${hi}]; got ${v}`);
  };
  int(req.seeds, 1, EXPLORE_LIMITS.seeds, 'seeds');
  int(req.steps, 1, EXPLORE_LIMITS.steps, 'steps');
  if (req.speedupBatches.length > EXPLORE_LIMITS.batches)
    throw new RangeError(`at most ${EXPLORE_LIMITS.batches} batch sizes`);
  if (req.speedupHorizons.length > EXPLORE_LIMITS.horizons)
    throw new RangeError(`at most ${EXPLORE_LIMITS.horizons} horizons`);
  for (const b of req.speedupBatches) int(b, 1, req.stochastic.samples, 'a batch size');
  for (const T of req.speedupHorizons) int(T, 1, EXPLORE_LIMITS.steps, 'a horizon');
  if (!req.x0.every(Number.isFinite)) throw new RangeError('x₀ must be finite');
  return req;
}

/** The whole explorer; `onProgress(done, total)` after every run. */
export function explore(
  land: Landscape,
  req: ExploreRequest,
  onProgress: (done: number, total: number) => void = () => {},
): ExploreResult {
  const { config, steps, stochastic, seeds } = validateExplore(req);
  const x0: Vec = [...req.x0];
  const seedList = Array.from({ length: seeds }, (_, k) => stochastic.seed + k);
  const total = seeds * (1 + req.speedupBatches.length * req.speedupHorizons.length);
  let done = 0;
  const tick = () => onProgress(++done, total);

  const visited: Vec[] = [];
  const values = seedList.map((seed) => {
    const r = oneRun(land, config, x0, steps, { ...stochastic, seed });
    visited.push(...r.visited);
    tick();
    return r.value;
  });
  const measured = summarize(values);

  // every step evaluates within ρ of an iterate: the region the assumptions must hold on
  const box = boundingBox(visited, config.rho);
  const L = smoothness(land, box, 41, visited);
  let G = 0;
  for (const seed of seedList) {
    const { z } = makeBatchSchedule({ ...stochastic, seed });
    G = Math.max(G, gradientBound(land, box, stochastic.sigma, z, 41, visited));
  }
  const sigma2 = sampleVariance(stochastic.sigma);
  const f0 = land.f(x0);
  const fStar = lowestValue(land);
  const theorem = theorem36({
    G,
    L,
    sigma2,
    batch: stochastic.batch,
    gap: f0 - fStar,
    lr: config.lr,
    eps: config.eps,
    rho: config.rho,
    beta1: config.beta1,
    steps,
    dim: 2,
  });

  const points: SpeedupPoint[] = [];
  for (const batch of req.speedupBatches) {
    for (const T of req.speedupHorizons) {
      const lr = config.lr * Math.sqrt(batch / T / (stochastic.batch / steps));
      const rho = config.rho * Math.sqrt((stochastic.batch * steps) / (batch * T));
      const scaled = { ...config, lr, rho };
      const m = summarize(
        seedList.map((seed) => {
          const r = oneRun(land, scaled, x0, T, { ...stochastic, batch, seed });
          tick();
          return r.value;
        }),
      );
      points.push({ ...m, batch, steps: T, lr, rho });
    }
  }
  const slope = logLogSlope(points.map((p) => ({ x: p.batch * p.steps, y: p.mean })));

  return {
    constants: { L, G, sigma2, f0, fStar, box },
    theorem,
    measured,
    speedup: { points, slope },
  };
}
