import type { Space } from './space';

/** A float64 parameter vector (the 2-D landscapes use length 2; the regression 4; the MLP 13). */
export type Vec = Float64Array<ArrayBuffer>;

export const vec = (...xs: number[]): Vec => Float64Array.from(xs);

function map1(a: Vec, f: (x: number) => number): Vec {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = f(a[i]);
  return out;
}

function map2(a: Vec, b: Vec, f: (x: number, y: number) => number): Vec {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = f(a[i], b[i]);
  return out;
}

const plus = (x: number, y: number) => x + y;
const minus = (x: number, y: number) => x - y;
const times = (x: number, y: number) => x * y;
const over = (x: number, y: number) => x / y;
const sq = (x: number) => x * x;
const inv = (x: number) => 1 / x;

/** Space over Float64Array in IEEE double precision: the reference path checked against the golden files at 1e-11. */
export const vecSpace: Space<Vec, number, boolean> = {
  zerosLike: (p) => new Float64Array(p.length),
  fullLike: (p, c) => new Float64Array(p.length).fill(c),
  add: (a, b) => map2(a, b, plus),
  sub: (a, b) => map2(a, b, minus),
  mul: (a, b) => map2(a, b, times),
  div: (a, b) => map2(a, b, over),
  scale: (a, c) => map1(a, (x) => c * x),
  divScalar: (a, c) => map1(a, (x) => x / c),
  addScalar: (a, c) => map1(a, (x) => x + c),
  square: (a) => map1(a, sq),
  sqrt: (a) => map1(a, Math.sqrt),
  abs: (a) => map1(a, Math.abs),
  maximum: (a, b) => map2(a, b, Math.max),
  maxScalar: (a, c) => map1(a, (x) => Math.max(x, c)),
  reciprocal: (a) => map1(a, inv),
  norm(a) {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i] * a[i];
    return Math.sqrt(s);
  },
  scaleToRadius(dir, n, rho, xi) {
    const c = n === 0 ? 0 : rho / (n + xi);
    return map1(dir, (x) => x * c);
  },
  allFinite(scalars, values) {
    for (const s of scalars) if (!Number.isFinite(s)) return false;
    for (const v of values) for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
    return true;
  },
};
