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
  /**
   * f and ∇f together, bit-identical to f(x) and grad(x) (the landscape tests check it), for
   * surfaces where the two share work (the exponentials of `wells`): the race's hot path.
   */
  valueAndGrad?(x: Vec): { loss: number; grad: Vec };
  /** [[xmin, xmax], [ymin, ymax]] for the views */
  domain: [[number, number], [number, number]];
  /** default start */
  x0: [number, number];
  minima: Minimum[];
}

/** f and ∇f at x, sharing work where the landscape allows it. */
export function valueAndGradOf(land: Landscape): (x: Vec) => { loss: number; grad: Vec } {
  return land.valueAndGrad
    ? (x) => land.valueAndGrad!(x)
    : (x) => ({ loss: land.f(x), grad: land.grad(x) });
}

/** f*, the lowest value among the declared minima (what a log loss axis measures from), or null. */
export function lowestMinimum(land: Landscape): number | null {
  if (land.minima.length === 0) return null;
  return Math.min(...land.minima.map((m) => land.f([...m.x])));
}
