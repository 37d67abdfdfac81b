/**
 * Stochastic mode for a 2-D landscape: N per-sample losses whose mean is the landscape, and a
 * seeded minibatch schedule shared by every optimizer of a race.
 *
 *   f_i(x) = f(x) + σ·⟨z_i, x⟩,   i = 1 … N                      (per-sample loss)
 *   z_i ~ N(0, I₂), then centred and scaled per coordinate:  Σ_i z_i = 0 (to rounding), (1/N)Σ_i z_{i,c}² = 1
 *   ⇒ (1/N) Σ_i f_i = f  and  (1/N) Σ_i ∇f_i = ∇f                 (the landscape is the full-batch loss)
 *   f_B(x) = (1/b) Σ_{i∈B} f_i(x) = f(x) + σ·⟨z̄_B, x⟩,  ∇f_B = ∇f + σ·z̄_B   (spec §1)
 *
 * The gradient noise σ·z̄_B does not depend on x, so the noise is exactly what the paper's
 * bound charges for: with B a uniformly random b-subset, each coordinate of σ·z̄_B has mean 0
 * and variance (σ²/b)·(N − b)/(N − 1) (sampling without replacement), i.e. σ²/b for b ≪ N.
 *
 * Batch schedule (sampling without replacement, per epoch, last partial batch dropped):
 *   epoch e = ⌊t / ⌊N/b⌋⌋ uses the permutation π_e = shuffle(rng(seed, e)) of 0 … N−1, and
 *   B_t = π_e[j·b … (j+1)·b − 1] with j = t mod ⌊N/b⌋.
 * B_t depends only on (seed, N, b, t): every optimizer of a race, and a link with the same
 * settings, sees the same minibatches. The z_i depend only on (seed, N).
 */
import { makeRng, mixSeed, permutation } from '../math/rng';
import type { Vec } from '../math/vec';
import type { ValueAndGrad } from '../optim/step';
import { valueAndGradOf, type Landscape } from './types';

export interface StochasticSettings {
  /** σ, the per-sample gradient noise scale (standard deviation per coordinate) */
  sigma: number;
  /** b, the minibatch size (1 ≤ b ≤ N) */
  batch: number;
  /** N, the number of per-sample losses */
  samples: number;
  /** seeds the z_i and the batch schedule */
  seed: number;
}

export const DEFAULT_STOCHASTIC: Readonly<StochasticSettings> = Object.freeze({
  sigma: 0.5,
  batch: 8,
  samples: 256,
  seed: 1,
});

/** The noise directions and the seeded batch schedule of one stochastic setting. */
export interface BatchSchedule {
  readonly settings: StochasticSettings;
  /** z_i as [z_{0,x}, z_{0,y}, z_{1,x}, …] (length 2N) */
  readonly z: Float64Array;
  /** minibatches per epoch, ⌊N/b⌋ */
  readonly batchesPerEpoch: number;
  /** the indices of B_t (a fresh array) */
  batchAt(t: number): Int32Array;
  /** σ·z̄_{B_t}, the gradient noise of step t */
  noiseAt(t: number): [number, number];
}

/** A batch schedule with the per-sample losses of one landscape. */
export interface StochasticProblem extends BatchSchedule {
  /** f_i(x) */
  sampleLoss(i: number, x: Vec): number;
  /** ∇f_i(x) */
  sampleGrad(i: number, x: Vec): Vec;
  /** f_{B_t} and ∇f_{B_t}, for runVec */
  objectiveAt(t: number): ValueAndGrad<Vec, number>;
}

/** Throws RangeError for settings that cannot be sampled. */
export function validateStochastic(s: StochasticSettings): StochasticSettings {
  if (!(Number.isFinite(s.sigma) && s.sigma >= 0))
    throw new RangeError(`sigma must be a finite number ≥ 0; got ${s.sigma}`);
  if (!(Number.isInteger(s.samples) && s.samples >= 1))
    throw new RangeError(`samples must be an integer ≥ 1; got ${s.samples}`);
  if (!(Number.isInteger(s.batch) && s.batch >= 1 && s.batch <= s.samples)) {
    throw new RangeError(`batch must be an integer in [1, samples = ${s.samples}]; got ${s.batch}`);
  }
  if (!Number.isInteger(s.seed)) throw new RangeError(`seed must be an integer; got ${s.seed}`);
  return s;
}

/** Per-coordinate variance of the minibatch gradient noise σ·z̄_B: (σ²/b)·(N − b)/(N − 1). */
export function gradientNoiseVariance(s: StochasticSettings): number {
  const { sigma, batch: b, samples: n } = s;
  return n === 1 ? 0 : ((sigma * sigma) / b) * ((n - b) / (n - 1));
}

/** The N noise directions z_i: seeded normals, centred (Σ z_i = 0) and scaled to unit variance. */
function sampleDirections(seed: number, n: number): Float64Array {
  const rng = makeRng(mixSeed(seed, 0x5a));
  const z = new Float64Array(2 * n);
  for (let i = 0; i < 2 * n; i++) z[i] = rng.normal();
  for (let c = 0; c < 2; c++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += z[2 * i + c];
    const mean = sum / n;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      z[2 * i + c] -= mean;
      ss += z[2 * i + c] * z[2 * i + c];
    }
    // N = 1 leaves z = 0 after centring: the only sample is the landscape itself
    const scale = ss > 0 ? Math.sqrt(n / ss) : 0;
    for (let i = 0; i < n; i++) z[2 * i + c] *= scale;
  }
  return z;
}

/** The z_i and the minibatch schedule of `settings` (throws RangeError for invalid settings). */
export function makeBatchSchedule(settings: StochasticSettings): BatchSchedule {
  const { sigma, batch: b, samples: n, seed } = validateStochastic({ ...settings });
  const z = sampleDirections(seed, n);
  const batchesPerEpoch = Math.floor(n / b);
  let cachedEpoch = -1;
  let cachedPerm: Int32Array = new Int32Array(0);

  const epochPermutation = (epoch: number): Int32Array => {
    if (epoch !== cachedEpoch) {
      cachedPerm = permutation(makeRng(mixSeed(seed, 0xba7c, epoch)), n);
      cachedEpoch = epoch;
    }
    return cachedPerm;
  };

  const batchAt = (t: number): Int32Array => {
    const perm = epochPermutation(Math.floor(t / batchesPerEpoch));
    const j = t % batchesPerEpoch;
    return perm.slice(j * b, (j + 1) * b);
  };

  const noiseAt = (t: number): [number, number] => {
    const perm = epochPermutation(Math.floor(t / batchesPerEpoch));
    const start = (t % batchesPerEpoch) * b;
    let zx = 0,
      zy = 0;
    for (let k = start; k < start + b; k++) {
      zx += z[2 * perm[k]];
      zy += z[2 * perm[k] + 1];
    }
    // σ·z̄_B
    return [sigma * (zx / b), sigma * (zy / b)];
  };

  return { settings: { sigma, batch: b, samples: n, seed }, z, batchesPerEpoch, batchAt, noiseAt };
}

/** The per-sample losses f_i of `landscape` under `settings`, with their batch schedule. */
export function makeStochastic(
  landscape: Landscape,
  settings: StochasticSettings,
): StochasticProblem {
  const schedule = makeBatchSchedule(settings);
  const {
    z,
    settings: { sigma },
  } = schedule;
  return {
    ...schedule,
    sampleLoss: (i, x) => landscape.f(x) + sigma * (z[2 * i] * x[0] + z[2 * i + 1] * x[1]),
    sampleGrad: (i, x) => {
      const g = landscape.grad(x);
      return [g[0] + sigma * z[2 * i], g[1] + sigma * z[2 * i + 1]];
    },
    objectiveAt: (t) => noisyObjective(landscape, schedule.noiseAt(t)),
  };
}

/** f(x) + ⟨n, x⟩ and ∇f(x) + n: the minibatch objective for a step whose noise is n = σ·z̄_B. */
function noisyObjective(
  landscape: Landscape,
  [nx, ny]: [number, number],
): ValueAndGrad<Vec, number> {
  const vg = valueAndGradOf(landscape);
  return (x) => {
    const { loss, grad: g } = vg(x);
    return { loss: loss + (nx * x[0] + ny * x[1]), grad: [g[0] + nx, g[1] + ny] };
  };
}

/** True when the settings add noise at all (σ > 0 and b < N). */
export const isStochastic = (s: StochasticSettings | null): s is StochasticSettings =>
  s !== null && s.sigma > 0 && s.batch < s.samples;

/**
 * The `objectiveAt` for runVec: the landscape itself when `settings` is null, σ = 0 or b = N
 * (full batch), else the minibatch loss f_{B_t} of the seeded schedule.
 * @example runVec(config, x0, 200, makeObjective(wells, { sigma: 0.5, batch: 8, samples: 256, seed: 1 }))
 */
export function makeObjective(
  landscape: Landscape,
  settings: StochasticSettings | null,
): (t: number) => ValueAndGrad<Vec, number> {
  if (!isStochastic(settings)) {
    if (settings) validateStochastic(settings);
    const exact: ValueAndGrad<Vec, number> = valueAndGradOf(landscape);
    return () => exact;
  }
  return makeStochastic(landscape, settings).objectiveAt;
}

/**
 * The gradient noise of steps 0 … steps−1 as [n_{0,x}, n_{0,y}, n_{1,x}, …] (zeros when not
 * stochastic): what makeObjective adds to ∇f, for loops that do not go through runVec.
 */
export function noiseSchedule(settings: StochasticSettings | null, steps: number): Float64Array {
  const out = new Float64Array(2 * steps);
  if (!isStochastic(settings)) return out;
  const problem = makeBatchSchedule(settings);
  for (let t = 0; t < steps; t++) {
    const [nx, ny] = problem.noiseAt(t);
    out[2 * t] = nx;
    out[2 * t + 1] = ny;
  }
  return out;
}
