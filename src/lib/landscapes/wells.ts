import { exp } from '../math/detmath';
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
// Unrolled over the two wells with the constants inlined: this function runs millions of times in the basin map.
const [SX, SY, SS2, SA] = [
  WELLS.sharp.c[0],
  WELLS.sharp.c[1],
  WELLS.sharp.sigma * WELLS.sharp.sigma,
  WELLS.sharp.depth,
];
const [FX, FY, FS2, FA] = [
  WELLS.flat.c[0],
  WELLS.flat.c[1],
  WELLS.flat.sigma * WELLS.flat.sigma,
  WELLS.flat.depth,
];

export const wells: Landscape = {
  id: 'wells',
  title: 'Sharp vs flat wells',
  blurb:
    'A deep narrow well beside a shallow wide one: the sharp well has the lower training loss, the flat one keeps its loss when the landscape shifts a little.',
  f: (x) => {
    const sx = x[0] - SX,
      sy = x[1] - SY,
      fx = x[0] - FX,
      fy = x[1] - FY;
    return -SA * exp(-(sx * sx + sy * sy) / (2 * SS2)) - FA * exp(-(fx * fx + fy * fy) / (2 * FS2));
  },
  grad: (x) => {
    const sx = x[0] - SX,
      sy = x[1] - SY,
      fx = x[0] - FX,
      fy = x[1] - FY;
    const a = (SA * exp(-(sx * sx + sy * sy) / (2 * SS2))) / SS2;
    const b = (FA * exp(-(fx * fx + fy * fy) / (2 * FS2))) / FS2;
    return [a * sx + b * fx, a * sy + b * fy];
  },
  valueAndGrad: (x) => {
    const sx = x[0] - SX,
      sy = x[1] - SY,
      fx = x[0] - FX,
      fy = x[1] - FY;
    const es = exp(-(sx * sx + sy * sy) / (2 * SS2));
    const ef = exp(-(fx * fx + fy * fy) / (2 * FS2));
    const a = (SA * es) / SS2;
    const b = (FA * ef) / FS2;
    return { loss: -SA * es - FA * ef, grad: [a * sx + b * fx, a * sy + b * fy] };
  },
  domain: [
    [-2, 2.5],
    [-1.5, 1.5],
  ],
  x0: [-0.45, 0.3],
  minima: [
    // the sharp well's centre is (−0.8, 0); the flat well's tail pulls the minimum to x ≈ −0.7903 (Newton-refined)
    { x: [-0.7903430625784127, 0], kind: 'sharp', label: 'sharp well' },
    { x: [0.8, 0], kind: 'flat', label: 'flat well' },
  ],
};
