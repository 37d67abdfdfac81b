import type { Landscape } from './types';

/** Curvatures along x and across (y): condition number κ = 100. */
export const RAVINE = { along: 0.1, across: 10 } as const;

/**
 * An axis-aligned, ill-conditioned ravine:
 *   f = ½(a·x² + b·y²),   ∇f = [a·x, b·y],   a = 0.1, b = 10 (κ = b/a = 100)
 * SGD must take γ < 2/b to stay stable across the ravine, and then crawls along it at a rate
 * 1 − γa per step. Because the axes are the coordinate axes, per-coordinate step sizes
 * (Adam, AMSGrad, AdaSAM: η = 1/√v̂) equalise the two directions; on the tilted quadratic
 * they cannot.
 */
export const ravine: Landscape = {
  id: 'ravine',
  title: 'Ill-conditioned ravine',
  blurb:
    'A ravine 100× steeper across than along: SGD zig-zags or crawls, while per-coordinate step sizes walk straight down it.',
  f: (x) => 0.5 * (RAVINE.along * x[0] * x[0] + RAVINE.across * x[1] * x[1]),
  grad: (x) => [RAVINE.along * x[0], RAVINE.across * x[1]],
  domain: [
    [-3, 3],
    [-1.5, 1.5],
  ],
  x0: [-2.5, 1],
  minima: [{ x: [0, 0], kind: 'sharp', label: 'minimum' }],
};
