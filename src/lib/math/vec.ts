import type { Space } from './space';

/** A float64 parameter vector (a plain array: allocating one is several times cheaper than a Float64Array) (the 2-D landscapes use length 2; the regression 4; the MLP 13). */
export type Vec = number[];

export const vec = (...xs: number[]): Vec => xs;

// Explicit loops rather than a shared map helper: V8 inlines them, and a whole race must fit in a frame.
/** Space over plain number arrays (V8 stores them as unboxed doubles) in IEEE double precision: the reference path checked against the golden files at 1e-11. */
export const vecSpace: Space<Vec, number, boolean> = {
  zerosLike: (p) => new Array<number>(p.length).fill(0),
  fullLike: (p, c) => new Array<number>(p.length).fill(c),
  add(a, b) {
    const out: Vec = [];
    for (let i = 0; i < a.length; i++) out[i] = a[i] + b[i];
    return out;
  },
  sub(a, b) {
    const out: Vec = [];
    for (let i = 0; i < a.length; i++) out[i] = a[i] - b[i];
    return out;
  },
  mul(a, b) {
    const out: Vec = [];
    for (let i = 0; i < a.length; i++) out[i] = a[i] * b[i];
    return out;
  },
  div(a, b) {
    const out: Vec = [];
    for (let i = 0; i < a.length; i++) out[i] = a[i] / b[i];
    return out;
  },
  scale(a, c) {
    const out: Vec = [];
    for (let i = 0; i < a.length; i++) out[i] = c * a[i];
    return out;
  },
  divScalar(a, c) {
    const out: Vec = [];
    for (let i = 0; i < a.length; i++) out[i] = a[i] / c;
    return out;
  },
  addScalar(a, c) {
    const out: Vec = [];
    for (let i = 0; i < a.length; i++) out[i] = a[i] + c;
    return out;
  },
  square(a) {
    const out: Vec = [];
    for (let i = 0; i < a.length; i++) out[i] = a[i] * a[i];
    return out;
  },
  sqrt(a) {
    const out: Vec = [];
    for (let i = 0; i < a.length; i++) out[i] = Math.sqrt(a[i]);
    return out;
  },
  abs(a) {
    const out: Vec = [];
    for (let i = 0; i < a.length; i++) out[i] = Math.abs(a[i]);
    return out;
  },
  maximum(a, b) {
    const out: Vec = [];
    for (let i = 0; i < a.length; i++) out[i] = Math.max(a[i], b[i]);
    return out;
  },
  maxScalar(a, c) {
    const out: Vec = [];
    for (let i = 0; i < a.length; i++) out[i] = Math.max(a[i], c);
    return out;
  },
  reciprocal(a) {
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
    for (const v of values) for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
    return true;
  },
};
