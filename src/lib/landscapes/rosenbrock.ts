import type { Landscape } from './types';

/** Spec §8.1: f = (1−x₁)² + 100(x₂−x₁²)², the banana valley. */
export const rosenbrock: Landscape = {
  id: 'rosenbrock',
  title: 'Rosenbrock valley',
  blurb: 'A curved, narrow valley: easy to find, slow to follow to its minimum at (1, 1).',
  f: (x) => {
    const a = 1 - x[0];
    const r = x[1] - x[0] * x[0];
    return a * a + 100 * r * r;
  },
  grad: (x) => {
    const r = x[1] - x[0] * x[0];
    return [-2 * (1 - x[0]) - 400 * x[0] * r, 200 * r];
  },
  domain: [
    [-2, 2],
    [-1, 3],
  ],
  x0: [-1.2, 1],
  minima: [{ x: [1, 1], kind: 'flat', label: 'minimum' }],
};
