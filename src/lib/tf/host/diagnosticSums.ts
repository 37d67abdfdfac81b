/**
 * The sums behind a step's diagnostics (train/diagnostics.ts) over the tensors' own arrays on cpu
 * and wasm: Σs², Σδ², Σg² and Σs·g over every coordinate of every parameter tensor, in float64,
 * one loop per tensor and no tfjs kernel (the op path takes four multiplies and four sums per
 * tensor, then a sum of each stack, each kernel paying the engine's cost).
 */
import type { TensorMap } from '../tensorSpace';
import type { HostArrays } from './hostArrays';

export interface DiagnosticSums {
  ss: number;
  /** 0 without δ */
  dd: number;
  gg: number;
  sg: number;
}

/** Σa² of one array, in float64. */
function sumSquares(a: Float32Array): number {
  let acc = 0;
  for (let i = 0; i < a.length; i++) acc += a[i] * a[i];
  return acc;
}

/**
 * The four sums over the maps (δ may be null; g may hold s's own tensors). Every view is read
 * and used before the next one is taken, with nothing allocated between: a wasm view is valid
 * only until the next allocation on the heap.
 */
export function diagnosticSums(
  host: HostArrays,
  info: { s: TensorMap; delta: TensorMap | null; g: TensorMap },
): DiagnosticSums {
  const out: DiagnosticSums = { ss: 0, dd: 0, gg: 0, sg: 0 };
  for (const key of Object.keys(info.s)) {
    const s = host.read(info.s[key]);
    const g = host.read(info.g[key]);
    let ss = 0;
    let gg = 0;
    let sg = 0;
    for (let i = 0; i < s.length; i++) {
      const si = s[i];
      const gi = g[i];
      ss += si * si;
      gg += gi * gi;
      sg += si * gi;
    }
    out.ss += ss;
    out.gg += gg;
    out.sg += sg;
    if (info.delta) out.dd += sumSquares(host.read(info.delta[key]));
  }
  return out;
}
