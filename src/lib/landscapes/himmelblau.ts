import type { Landscape } from './types';

/**
 * Himmelblau's function, scaled by 1/10 so that its curvature (λ_max ≈ 8–13 at the minima) is
 * on the scale of the other surfaces and the same γ works everywhere:
 *   f = ((x² + y − 11)² + (x + y² − 7)²) / 10
 *   ∇f = [4x·A + 2B, 2A + 4y·B] / 10   with A = x² + y − 11, B = x + y² − 7
 * Four minima, all with f = 0. By the largest Hessian eigenvalue (what SAM's ρ²λ_max/2 sees)
 * two are flatter (λ_max ≈ 8.2 at (3, 2), 8.1 at (−2.81, 3.13)) and two sharper (13.4 at
 * (−3.78, −3.28), 10.5 at (3.58, −1.85)); the coordinates below are Newton-refined to 1e-15.
 */
export const himmelblau: Landscape = {
  id: 'himmelblau',
  title: 'Himmelblau: four minima',
  blurb:
    'Four equally deep minima: which one a run ends in depends on where it starts, as the basin map shows.',
  f: (x) => {
    const a = x[0] * x[0] + x[1] - 11,
      b = x[0] + x[1] * x[1] - 7;
    return (a * a + b * b) / 10;
  },
  grad: (x) => {
    const a = x[0] * x[0] + x[1] - 11,
      b = x[0] + x[1] * x[1] - 7;
    return [(4 * x[0] * a + 2 * b) / 10, (2 * a + 4 * x[1] * b) / 10];
  },
  domain: [
    [-5, 5],
    [-5, 5],
  ],
  x0: [0, 0],
  minima: [
    { x: [3, 2], kind: 'flat', label: 'north-east minimum' },
    { x: [-2.805118086952745, 3.131312518250573], kind: 'flat', label: 'north-west minimum' },
    { x: [-3.779310253377747, -3.283185991286169], kind: 'sharp', label: 'south-west minimum' },
    { x: [3.584428340330492, -1.848126526964403], kind: 'sharp', label: 'south-east minimum' },
  ],
};
