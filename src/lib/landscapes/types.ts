import type { Vec } from '../math/vec';

/** A minimum the lessons point at; `kind` is what SAM cares about. */
export interface Minimum {
  x: [number, number];
  kind: 'sharp' | 'flat';
  label?: string;
}

/** A 2-D objective with its analytic gradient (distill's `[f, ∇f]` idiom). */
export interface Landscape {
  /** URL key */
  id: string;
  title: string;
  /** one line for the page: what this surface teaches */
  blurb: string;
  f(x: Vec): number;
  grad(x: Vec): Vec;
  /** [[xmin, xmax], [ymin, ymax]] for the views */
  domain: [[number, number], [number, number]];
  /** default start */
  x0: [number, number];
  minima: Minimum[];
}
