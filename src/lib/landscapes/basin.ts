/**
 * "Where does it end?": for one optimizer, run T steps from every start of an nx×ny grid over a
 * landscape's domain and record which declared minimum each run ends in.
 *
 *   start (i, j) = (x_min + (i + ½)·Δx, y_min + (j + ½)·Δy),  Δx = (x_max − x_min)/nx, Δy likewise
 *   class(i, j) = k  if ‖x_T − x*_k‖ ≤ r for the nearest declared minimum x*_k,  else −1
 *   (−1 also for a run that diverged: spec §7.5)
 *   map[j·nx + i] = class(i, j)    (row-major, row j = 0 at y_min)
 *
 * 128 × 128 starts × 200 steps is 3.3 M optimizer steps, so the map does not go through the
 * generic runVec (which allocates a handful of arrays per step). `endPoint` is the same update
 * (spec §4.1–4.7, every knob, and the same finiteness rule as proposeStep: loss, s, g, x_{t+1}
 * and the new m, v, v̂) written as a scalar loop over the two coordinates, in the same
 * floating-point order as optim/step.ts with vecSpace; basin.test.ts checks it against runVec.
 */
import { powInt } from '../math/detmath';
import type { OptimizerConfig } from '../optim/config';
import { validateConfig } from '../optim/config';
import { noiseSchedule, type StochasticSettings } from './stochastic';
import type { Landscape } from './types';

/** The class of a run that ends near no declared minimum, or diverged. */
export const NO_MINIMUM = -1;

/**
 * The capture radius r of `classifyEnd`: a tenth of the domain's shorter side, and at most a
 * quarter of the distance between the two closest declared minima, so that captures never
 * overlap.
 */
export function endRadius(landscape: Landscape): number {
  const [[x0, x1], [y0, y1]] = landscape.domain;
  let r = 0.1 * Math.min(x1 - x0, y1 - y0);
  const ms = landscape.minima;
  for (let a = 0; a < ms.length; a++) {
    for (let b = a + 1; b < ms.length; b++) {
      r = Math.min(r, 0.25 * Math.hypot(ms[a].x[0] - ms[b].x[0], ms[a].x[1] - ms[b].x[1]));
    }
  }
  return r;
}

/** The index of the declared minimum nearest to x if it lies within `radius`, else −1. */
export function classifyEnd(
  landscape: Landscape,
  x: ArrayLike<number>,
  radius = endRadius(landscape),
): number {
  let best = NO_MINIMUM;
  let bestDist = radius;
  const ms = landscape.minima;
  for (let k = 0; k < ms.length; k++) {
    const d = Math.hypot(x[0] - ms[k].x[0], x[1] - ms[k].x[1]);
    if (d <= bestDist) {
      best = k;
      bestDist = d;
    }
  }
  return best;
}

/** The start of grid cell (i, j): the cell's centre. */
export function gridStart(
  domain: Landscape['domain'],
  nx: number,
  ny: number,
  i: number,
  j: number,
): [number, number] {
  const [[x0, x1], [y0, y1]] = domain;
  return [x0 + ((i + 0.5) * (x1 - x0)) / nx, y0 + ((j + 0.5) * (y1 - y0)) / ny];
}

/** Where one run ends: x_T, or the last finite iterate and the rejected step when it diverged. */
export interface EndPoint {
  x: [number, number];
  /** committed steps (= steps unless it diverged) */
  steps: number;
  diverged: boolean;
}

/**
 * Runs spec §4 for `steps` iterations from x0 with scalar state, allocation-free apart from the
 * landscape's gradient arrays; like runVec it evaluates f and ∇f at x_t and ∇f at x_t + δ_t.
 * `noise` holds the gradient noise of each step as [n_{0,x}, n_{0,y}, …] (stochastic.ts
 * `noiseSchedule`), or null for the exact gradient.
 * `c` must have passed validateConfig.
 */
export function endPoint(
  landscape: Landscape,
  c: OptimizerConfig,
  x0: ArrayLike<number>,
  steps: number,
  noise: Float64Array | null = null,
): EndPoint {
  const { lr, rho, beta1, beta2, eps, perturbEps, asamEta, weightDecay } = c;
  const perturbed = rho !== 0;
  const asam = c.perturbation === 'asam';
  const adaptive = c.adaptive;
  const amsgrad = c.amsgrad;
  const floor = c.epsMode === 'floor';
  const add = c.epsMode === 'add';
  const bias = c.biasCorrection;
  const oneMinusBeta1 = 1 - beta1;
  const oneMinusBeta2 = 1 - beta2;
  const eps2 = eps * eps;
  const { f, grad } = landscape;

  let x = x0[0],
    y = x0[1];
  let mx = 0,
    my = 0,
    vx = 0,
    vy = 0;
  // v̂₋₁ = ε² in floor mode (spec §2)
  let hx = floor ? eps2 : 0,
    hy = hx;
  // reused argument arrays: the landscapes read x and return a fresh gradient
  const at = [0, 0];
  const atPerturbed = [0, 0];

  for (let t = 0; t < steps; t++) {
    const k = t + 1;
    // 4.1 clean gradient s_t (plus the minibatch noise, as makeObjective adds it)
    at[0] = x;
    at[1] = y;
    let loss = f(at);
    const gs = grad(at);
    let sx = gs[0],
      sy = gs[1];
    if (noise) {
      const noiseX = noise[2 * t],
        noiseY = noise[2 * t + 1];
      loss = loss + (noiseX * x + noiseY * y);
      sx = sx + noiseX;
      sy = sy + noiseY;
    }

    // 4.2–4.3 g_t = ∇f_B(x_t + δ_t), δ_t = ρ·s/(‖s‖ + ξ) (SAM) or ρ·T⊙T⊙s/(‖T⊙s‖ + ξ) (ASAM)
    let gx = sx,
      gy = sy;
    if (perturbed) {
      let dx: number, dy: number;
      if (asam) {
        const tx = Math.abs(x) + asamEta,
          ty = Math.abs(y) + asamEta;
        const ux = tx * sx,
          uy = ty * sy;
        const n = Math.sqrt(ux * ux + uy * uy);
        const scale = n === 0 ? 0 : rho / (n + perturbEps);
        dx = tx * tx * sx * scale;
        dy = ty * ty * sy * scale;
      } else {
        const n = Math.sqrt(sx * sx + sy * sy);
        const scale = n === 0 ? 0 : rho / (n + perturbEps);
        dx = sx * scale;
        dy = sy * scale;
      }
      atPerturbed[0] = x + dx;
      atPerturbed[1] = y + dy;
      const gp = grad(atPerturbed);
      gx = gp[0];
      gy = gp[1];
      if (noise) {
        gx = gx + noise[2 * t];
        gy = gy + noise[2 * t + 1];
      }
    }
    // coupled L2 at the unperturbed x_t
    if (weightDecay > 0) {
      gx = gx + weightDecay * x;
      gy = gy + weightDecay * y;
    }

    // 4.4 m_t = β1·m_{t−1} + (1−β1)·g_t
    const nmx = beta1 * mx + oneMinusBeta1 * gx;
    const nmy = beta1 * my + oneMinusBeta1 * gy;

    let nx: number, ny: number;
    let nvx = vx,
      nvy = vy,
      nhx = hx,
      nhy = hy;
    if (!adaptive) {
      // x_{t+1} = x_t − γ·m_t
      nx = x - lr * nmx;
      ny = y - lr * nmy;
    } else {
      // 4.5 v_t = β2·v_{t−1} + (1−β2)·g_t²;  v̂_t = max(v̂_{t−1}, v_t) (AMSGrad) or v_t (floored at ε²)
      // ((1−β2)·g)·g: torch's addcmul order, as optim/precondition.ts
      nvx = beta2 * vx + oneMinusBeta2 * gx * gx;
      nvy = beta2 * vy + oneMinusBeta2 * gy * gy;
      if (amsgrad) {
        nhx = Math.max(hx, nvx);
        nhy = Math.max(hy, nvy);
      } else if (floor) {
        nhx = Math.max(nvx, eps2);
        nhy = Math.max(nvy, eps2);
      } else {
        nhx = nvx;
        nhy = nvy;
      }
      // 4.6 bc1, bc2 in float64; denom = √v̂/√bc2 (+ ε in add mode)
      const bc1 = bias ? 1 - powInt(beta1, k) : 1;
      const bc2 = bias ? 1 - powInt(beta2, k) : 1;
      let denomX = Math.sqrt(nhx),
        denomY = Math.sqrt(nhy);
      if (bc2 !== 1) {
        const root2 = Math.sqrt(bc2);
        denomX = denomX / root2;
        denomY = denomY / root2;
      }
      if (add) {
        denomX = denomX + eps;
        denomY = denomY + eps;
      }
      // 4.7 x_{t+1} = x_t − (γ/bc1)·(m_t/denom)
      const stepSize = lr / bc1;
      nx = x - stepSize * (nmx / denomX);
      ny = y - stepSize * (nmy / denomY);
    }

    // §7.5: commit only a finite step (and, as proposeStep, only a finite state)
    if (!(
      Number.isFinite(loss) &&
      Number.isFinite(sx) &&
      Number.isFinite(sy) &&
      Number.isFinite(gx) &&
      Number.isFinite(gy) &&
      Number.isFinite(nx) &&
      Number.isFinite(ny) &&
      Number.isFinite(nmx) &&
      Number.isFinite(nmy) &&
      Number.isFinite(nvx) &&
      Number.isFinite(nvy) &&
      Number.isFinite(nhx) &&
      Number.isFinite(nhy)
    )) {
      return { x: [x, y], steps: t, diverged: true };
    }
    x = nx;
    y = ny;
    mx = nmx;
    my = nmy;
    vx = nvx;
    vy = nvy;
    hx = nhx;
    hy = nhy;
  }
  return { x: [x, y], steps, diverged: false };
}

/** One map (or a band of its rows). */
export interface BasinJob {
  landscape: Landscape;
  config: OptimizerConfig;
  nx: number;
  ny: number;
  steps: number;
  /** the same minibatches for every start (null or absent: exact gradients) */
  stochastic?: StochasticSettings | null;
  /** the rows [start, end) to compute; default all */
  rows?: [number, number];
  /** called after each row with the number of rows done in this job */
  onRow?: (done: number) => void;
}

/**
 * Classes of the runs from every start in `rows` (row-major, rows from y_min up): an Int8Array
 * of length (end − start)·nx with the index of the declared minimum each run ends in, or −1.
 * @example basinMap({ landscape: wells, config: recipe('adasam', 'paper', { lr: 0.05, rho: 0.15 }), nx: 128, ny: 128, steps: 200 })
 */
export function basinMap(job: BasinJob): Int8Array {
  const { landscape, config, nx, ny, steps } = job;
  validateConfig(config);
  if (landscape.minima.length > 127)
    throw new RangeError('basinMap stores classes in an Int8Array: at most 127 minima');
  const [start, end] = job.rows ?? [0, ny];
  if (!(
    Number.isInteger(start) &&
    Number.isInteger(end) &&
    start >= 0 &&
    start <= end &&
    end <= ny
  )) {
    throw new RangeError(
      `rows must be integers with 0 ≤ start ≤ end ≤ ny = ${ny}; got [${start}, ${end})`,
    );
  }
  const noise = job.stochastic ? noiseSchedule(job.stochastic, steps) : null;
  const hasNoise = noise !== null && noise.some((n) => n !== 0);
  const radius = endRadius(landscape);
  const out = new Int8Array((end - start) * nx);
  for (let j = start; j < end; j++) {
    for (let i = 0; i < nx; i++) {
      const e = endPoint(
        landscape,
        config,
        gridStart(landscape.domain, nx, ny, i, j),
        steps,
        hasNoise ? noise : null,
      );
      out[(j - start) * nx + i] = e.diverged ? NO_MINIMUM : classifyEnd(landscape, e.x, radius);
    }
    job.onRow?.(j - start + 1);
  }
  return out;
}
