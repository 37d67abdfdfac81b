import type { Space } from './space';

/**
 * A float64 parameter vector: length 2 on the landscapes, 4 for the regression, 13 for the MLP.
 * A plain array, not a Float64Array: V8 stores it as unboxed doubles (same IEEE arithmetic) and
 * allocates it several times faster, which is what the 2-D page's per-frame races cost.
 */
export type Vec = number[];

export const vec = (...xs: number[]): Vec => xs;

/**
 * Space over Vec in IEEE double precision: the reference path, checked against the golden files
 * at 1e-11. Each op has a literal-pair branch for 2-D and an explicit loop otherwise, rather than
 * a shared map(f) helper: a whole race of 8 × 1000 steps must fit in one frame (npm run bench),
 * and the literal pair halves the cost of the allocations that dominate it.
 */
export const vecSpace: Space<Vec, number, boolean> = {
  zerosLike: (p) => new Array<number>(p.length).fill(0),
  fullLike: (p, c) => new Array<number>(p.length).fill(c),
  add(a, b) {
    if (a.length === 2) return [a[0] + b[0], a[1] + b[1]];
    const out: Vec = [];
    for (let i = 0; i < a.length; i++) out[i] = a[i] + b[i];
    return out;
  },
  sub(a, b) {
    if (a.length === 2) return [a[0] - b[0], a[1] - b[1]];
    const out: Vec = [];
    for (let i = 0; i < a.length; i++) out[i] = a[i] - b[i];
    return out;
  },
  mul(a, b) {
    if (a.length === 2) return [a[0] * b[0], a[1] * b[1]];
    const out: Vec = [];
    for (let i = 0; i < a.length; i++) out[i] = a[i] * b[i];
    return out;
  },
  div(a, b) {
    if (a.length === 2) return [a[0] / b[0], a[1] / b[1]];
    const out: Vec = [];
    for (let i = 0; i < a.length; i++) out[i] = a[i] / b[i];
    return out;
  },
  scale(a, c) {
    if (a.length === 2) return [c * a[0], c * a[1]];
    const out: Vec = [];
    for (let i = 0; i < a.length; i++) out[i] = c * a[i];
    return out;
  },
  divScalar(a, c) {
    if (a.length === 2) return [a[0] / c, a[1] / c];
    const out: Vec = [];
    for (let i = 0; i < a.length; i++) out[i] = a[i] / c;
    return out;
  },
  addScalar(a, c) {
    if (a.length === 2) return [a[0] + c, a[1] + c];
    const out: Vec = [];
    for (let i = 0; i < a.length; i++) out[i] = a[i] + c;
    return out;
  },
  square(a) {
    if (a.length === 2) return [a[0] * a[0], a[1] * a[1]];
    const out: Vec = [];
    for (let i = 0; i < a.length; i++) out[i] = a[i] * a[i];
    return out;
  },
  sqrt(a) {
    if (a.length === 2) return [Math.sqrt(a[0]), Math.sqrt(a[1])];
    const out: Vec = [];
    for (let i = 0; i < a.length; i++) out[i] = Math.sqrt(a[i]);
    return out;
  },
  abs(a) {
    if (a.length === 2) return [Math.abs(a[0]), Math.abs(a[1])];
    const out: Vec = [];
    for (let i = 0; i < a.length; i++) out[i] = Math.abs(a[i]);
    return out;
  },
  maximum(a, b) {
    if (a.length === 2) return [Math.max(a[0], b[0]), Math.max(a[1], b[1])];
    const out: Vec = [];
    for (let i = 0; i < a.length; i++) out[i] = Math.max(a[i], b[i]);
    return out;
  },
  maxScalar(a, c) {
    if (a.length === 2) return [Math.max(a[0], c), Math.max(a[1], c)];
    const out: Vec = [];
    for (let i = 0; i < a.length; i++) out[i] = Math.max(a[i], c);
    return out;
  },
  reciprocal(a) {
    if (a.length === 2) return [1 / a[0], 1 / a[1]];
    const out: Vec = [];
    for (let i = 0; i < a.length; i++) out[i] = 1 / a[i];
    return out;
  },
  norm(a) {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i] * a[i];
    return Math.sqrt(s);
  },
  scaleToRadius(dir, n, rho, xi) {
    const c = n === 0 ? 0 : rho / (n + xi);
    const out: Vec = [];
    for (let i = 0; i < dir.length; i++) out[i] = dir[i] * c;
    return out;
  },
  allFinite(scalars, values) {
    for (const s of scalars) if (!Number.isFinite(s)) return false;
    for (const v of values)
      for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
    return true;
  },
};
