import type { Landscape } from './types';

/**
 * A saddle at the origin, made bounded below by a quartic wall in y:
 *   f = ½x² − ½y² + ¼y⁴,   ∇f = [x, −y + y³]
 * The origin is a saddle (Hessian diag(1, −1)); the minima are (0, ±1) with f = −¼ and Hessian
 * diag(1, 2), equally sharp. On the ridge line y = 0 the gradient has no y-component, so a
 * deterministic run started there walks into the saddle and stays; a start just off the ridge
 * escapes only as fast as y grows, y_{t+1} ≈ (1 + γ)·y_t for SGD.
 */
export const saddle: Landscape = {
  id: 'saddle',
  title: 'Saddle point',
  blurb:
    'A saddle between two minima: plain gradient descent lingers near it, while per-coordinate step sizes and gradient noise escape faster.',
  f: (x) => {
    const y2 = x[1] * x[1];
    return 0.5 * x[0] * x[0] - 0.5 * y2 + 0.25 * y2 * y2;
  },
  grad: (x) => [x[0], x[1] * (x[1] * x[1] - 1)],
  domain: [
    [-2, 2],
    [-1.6, 1.6],
  ],
  x0: [-1.8, 0.01],
  minima: [
    { x: [0, 1], kind: 'flat', label: 'upper minimum' },
    { x: [0, -1], kind: 'flat', label: 'lower minimum' },
  ],
};
