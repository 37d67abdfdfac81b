/**
 * A landscape sampled once on an nx×ny grid. The one Float32Array feeds the contour lines, the
 * canvas heatmap and the three.js mesh, so all three views show the same numbers.
 *
 * Layout: value (i, j) is f at the centre of cell i (x) and row j (y), row-major from ymin:
 *   values[j·nx + i] = f(xmin + (i + ½)·dx, ymin + (j + ½)·dy),  dx = (xmax − xmin)/nx
 * which is the layout d3-contour expects (cell i covers [i, i+1] in its coordinates) and the
 * layout of the basin map.
 */
import type { Landscape } from './types';

export type Domain = [[number, number], [number, number]];

export interface FieldGrid {
  nx: number;
  ny: number;
  domain: Domain;
  values: Float32Array;
  min: number;
  max: number;
}

/** Samples `land.f` at the cell centres of an nx×ny grid over `domain` (the landscape's by default). */
export function evaluateGrid(
  land: Pick<Landscape, 'f' | 'domain'>,
  nx: number,
  ny: number,
  domain: Domain = land.domain,
): FieldGrid {
  const [[xmin, xmax], [ymin, ymax]] = domain;
  const dx = (xmax - xmin) / nx;
  const dy = (ymax - ymin) / ny;
  const values = new Float32Array(nx * ny);
  const p = [0, 0];
  let min = Infinity;
  let max = -Infinity;
  for (let j = 0; j < ny; j++) {
    p[1] = ymin + (j + 0.5) * dy;
    for (let i = 0; i < nx; i++) {
      p[0] = xmin + (i + 0.5) * dx;
      const f = land.f(p);
      values[j * nx + i] = f;
      // A landscape may overflow far out (Rosenbrock's quartic); keep min/max finite for the scales.
      if (Number.isFinite(f)) {
        if (f < min) min = f;
        if (f > max) max = f;
      }
    }
  }
  if (min > max) [min, max] = [0, 1];
  return { nx, ny, domain, values, min, max };
}

/** Maps loss values to heights in [0, 1] for colours and the 3-D mesh, and back. */
export interface HeightScale {
  /** true when the scale is logarithmic in f − min */
  log: boolean;
  toUnit(f: number): number;
  fromUnit(h: number): number;
}

/**
 * A linear scale over [min, max], or a log scale in (f − min) when the range is so wide that a
 * linear one would flatten everything but the walls (Rosenbrock spans 0…2500 over its domain,
 * with the valley below 1). "Wide" means the lowest tenth of the grid fills under 1% of the
 * range (Rosenbrock: 0.3%; quadratic, Himmelblau: 2–3%, which a linear scale still shows).
 */
export function heightScale(grid: FieldGrid): HeightScale {
  const { min, max } = grid;
  const span = max - min || 1;
  const sorted = Float32Array.from(grid.values).filter(Number.isFinite).sort();
  const q10 = sorted.length > 0 ? sorted[Math.floor(sorted.length / 10)] : max;
  const clamp = (h: number) => (Number.isFinite(h) ? Math.min(1, Math.max(0, h)) : h > 0 ? 1 : 0);
  if ((q10 - min) / span >= 0.01) {
    return { log: false, toUnit: (f) => clamp((f - min) / span), fromUnit: (h) => min + h * span };
  }
  // c sets where the log starts to bite: 1e-4 of the range gives the valley floor a visible share.
  const c = span * 1e-4;
  const top = Math.log1p(span / c);
  return {
    log: true,
    toUnit: (f) => clamp(Math.log1p(Math.max(0, f - min) / c) / top),
    fromUnit: (h) => min + c * Math.expm1(h * top),
  };
}

/** The point at the centre of cell (i, j). */
export function cellCentre(
  grid: Pick<FieldGrid, 'nx' | 'ny' | 'domain'>,
  i: number,
  j: number,
): [number, number] {
  const [[xmin, xmax], [ymin, ymax]] = grid.domain;
  return [
    xmin + ((i + 0.5) * (xmax - xmin)) / grid.nx,
    ymin + ((j + 0.5) * (ymax - ymin)) / grid.ny,
  ];
}
