import type { Landscape } from './types';

/** Spec §8.1 parameters: a deep narrow well and a shallow wide one. */
export const WELLS = {
  sharp: { c: [-0.8, 0], sigma: 0.2, depth: 1.0 },
  flat: { c: [0.8, 0], sigma: 0.8, depth: 0.7 },
} as const;

/**
 * f = −A_s·exp(−‖x−c_s‖²/(2σ_s²)) − A_f·exp(−‖x−c_f‖²/(2σ_f²))
 * ∇f = Σ_k A_k·exp(…)·(x−c_k)/σ_k²
 */
export const wells: Landscape = {
  id: 'wells',
  title: 'Sharp vs flat wells',
  blurb: 'A deep narrow well beside a shallow wide one: plain descent falls into the sharp one; SAM looks for the flat one.',
  f: (x) => {
    let f = 0;
    for (const w of [WELLS.sharp, WELLS.flat]) {
      const dx = x[0] - w.c[0];
      const dy = x[1] - w.c[1];
      f -= w.depth * Math.exp(-(dx * dx + dy * dy) / (2 * w.sigma * w.sigma));
    }
    return f;
  },
  grad: (x) => {
    const g = new Float64Array(2);
    for (const w of [WELLS.sharp, WELLS.flat]) {
      const dx = x[0] - w.c[0];
      const dy = x[1] - w.c[1];
      const s2 = w.sigma * w.sigma;
      const a = (w.depth * Math.exp(-(dx * dx + dy * dy) / (2 * s2))) / s2;
      g[0] += a * dx;
      g[1] += a * dy;
    }
    return g;
  },
  domain: [[-2, 2.5], [-1.5, 1.5]],
  x0: [-0.45, 0.3],
  minima: [
    { x: [-0.8, 0], kind: 'sharp', label: 'sharp well' },
    { x: [0.8, 0], kind: 'flat', label: 'flat well' },
  ],
};
