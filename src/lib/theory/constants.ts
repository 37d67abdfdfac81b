/**
 * Estimates of the constants of the paper's Theorem 3.6 (spec theory.md, Assumptions 3.2–3.4) for
 * a 2-D landscape in the page's stochastic mode, f_i(x) = f(x) + σ⟨z_i, x⟩ (stochastic.ts):
 *
 *   L   smoothness: the largest |eigenvalue| of ∇²f over the region the runs visited (the noise is
 *       linear in x, so every f_i has the Hessian of f and the same L)
 *   G   bound on the stochastic gradients: max over the region and every sample i of ‖∇f_i(x)‖∞
 *       (the assumption also asks G ≥ ε; the bound then uses max(G, ε))
 *   σ²  variance of one sample's gradient: E_i‖∇f_i − ∇f‖² = σ²·(1/N)Σ_i‖z_i‖² = 2σ² exactly, since
 *       each coordinate of z is centred and scaled to unit variance
 *   f(x₀) − f*  with f* the lowest value of f over the declared minima and a grid of the domain
 *
 * The region is the bounding box of every iterate and every perturbed point x_t + δ_t the runs
 * evaluated, padded by `pad`; L and G are maxima over a grid of it plus the visited points
 * themselves. A grid maximum can miss a narrow peak between grid points: the estimates are lower
 * bounds on the true suprema, good to the grid spacing.
 */
import type { Vec } from '../math/vec';
import type { Landscape } from '../landscapes/types';

/** An axis-aligned box [[xmin, xmax], [ymin, ymax]]. */
export type Box = [[number, number], [number, number]];

/** The bounding box of `points`, padded by `pad` on every side. */
export function boundingBox(points: Iterable<Vec>, pad = 0): Box {
  let x0 = Infinity,
    x1 = -Infinity,
    y0 = Infinity,
    y1 = -Infinity;
  for (const p of points) {
    if (!(Number.isFinite(p[0]) && Number.isFinite(p[1]))) continue;
    x0 = Math.min(x0, p[0]);
    x1 = Math.max(x1, p[0]);
    y0 = Math.min(y0, p[1]);
    y1 = Math.max(y1, p[1]);
  }
  if (x0 > x1) throw new RangeError('boundingBox: no finite point');
  return [
    [x0 - pad, x1 + pad],
    [y0 - pad, y1 + pad],
  ];
}

/** The n × n grid points of a box (n ≥ 2), row by row. */
export function* gridPoints(box: Box, n: number): Generator<Vec> {
  const [[x0, x1], [y0, y1]] = box;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      yield [x0 + ((x1 - x0) * i) / (n - 1), y0 + ((y1 - y0) * j) / (n - 1)];
    }
  }
}

/**
 * ∇²f at x by central differences of the analytic gradient, symmetrised:
 * H_jk ≈ (∂_k f(x + h·e_j) − ∂_k f(x − h·e_j)) / 2h, then (H + Hᵀ)/2. Returns [H00, H01, H11].
 */
export function hessianAt(land: Landscape, x: Vec, h = 1e-5): [number, number, number] {
  const gxp = land.grad([x[0] + h, x[1]]);
  const gxm = land.grad([x[0] - h, x[1]]);
  const gyp = land.grad([x[0], x[1] + h]);
  const gym = land.grad([x[0], x[1] - h]);
  const h00 = (gxp[0] - gxm[0]) / (2 * h);
  const h11 = (gyp[1] - gym[1]) / (2 * h);
  const h01 = ((gxp[1] - gxm[1]) / (2 * h) + (gyp[0] - gym[0]) / (2 * h)) / 2;
  return [h00, h01, h11];
}

/** The spectral norm (largest |eigenvalue|) of the symmetric 2 × 2 matrix [[a, b], [b, c]]. */
export function spectralNorm2([a, b, c]: [number, number, number]): number {
  // eigenvalues (a + c)/2 ± √(((a − c)/2)² + b²)
  return Math.abs((a + c) / 2) + Math.hypot((a - c) / 2, b);
}

/** L: the largest spectral norm of ∇²f over an n × n grid of `box` and the extra points. */
export function smoothness(land: Landscape, box: Box, n = 41, extra: Iterable<Vec> = []): number {
  let L = 0;
  for (const p of gridPoints(box, n)) L = Math.max(L, spectralNorm2(hessianAt(land, p)));
  for (const p of extra) L = Math.max(L, spectralNorm2(hessianAt(land, p)));
  return L;
}

/**
 * G: max over the grid, the extra points and every sample i of ‖∇f(x) + σ·z_i‖∞. Per coordinate c
 * the largest |∂_c f + σ z_{i,c}| over i is reached at the smallest or the largest z_{i,c}.
 * `z` is [z_{0,x}, z_{0,y}, z_{1,x}, …] (empty or σ = 0: the exact gradient).
 */
export function gradientBound(
  land: Landscape,
  box: Box,
  sigma: number,
  z: ArrayLike<number>,
  n = 41,
  extra: Iterable<Vec> = [],
): number {
  const lo = [0, 0];
  const hi = [0, 0];
  for (let i = 0; i < z.length; i++) {
    lo[i % 2] = Math.min(lo[i % 2], z[i]);
    hi[i % 2] = Math.max(hi[i % 2], z[i]);
  }
  let G = 0;
  const visit = (p: Vec) => {
    const g = land.grad(p);
    for (let c = 0; c < 2; c++) {
      G = Math.max(G, Math.abs(g[c] + sigma * lo[c]), Math.abs(g[c] + sigma * hi[c]));
    }
  };
  for (const p of gridPoints(box, n)) visit(p);
  for (const p of extra) visit(p);
  return G;
}

/** σ² of Assumption 3.3 for the page's noise: E_i‖σ z_i‖² = 2σ² (two unit-variance coordinates). */
export const sampleVariance = (sigma: number): number => 2 * sigma * sigma;

/** f*: the lowest value of f at the declared minima and on an n × n grid of the domain. */
export function lowestValue(land: Landscape, n = 201): number {
  let fStar = Infinity;
  for (const m of land.minima) fStar = Math.min(fStar, land.f(m.x));
  for (const p of gridPoints(land.domain, n)) fStar = Math.min(fStar, land.f(p));
  return fStar;
}
