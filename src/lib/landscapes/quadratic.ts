import type { Landscape } from './types';

/** Spec §8.1: f = ½ xᵀHx, H = [[5.5, 4.5], [4.5, 5.5]] (eigenvalues 10 along (1,1), 1 along (1,−1)). */
export const quadratic: Landscape = {
  id: 'quadratic',
  title: 'Tilted quadratic',
  blurb:
    'An anisotropic bowl whose axes are not the coordinate axes: per-coordinate step sizes cannot undo the tilt.',
  f: (x) => 0.5 * (5.5 * x[0] * x[0] + 9 * x[0] * x[1] + 5.5 * x[1] * x[1]),
  // ∇f = Hx
  grad: (x) => [5.5 * x[0] + 4.5 * x[1], 4.5 * x[0] + 5.5 * x[1]],
  domain: [
    [-2.5, 2.5],
    [-2.5, 2.5],
  ],
  x0: [-2, 1],
  minima: [{ x: [0, 0], kind: 'sharp', label: 'minimum' }],
};
