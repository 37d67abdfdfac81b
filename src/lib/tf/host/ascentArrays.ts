/**
 * Spec §4.2 over float32 arrays: the global norm and x + δ, with the op path's bits (leafStep.ts:
 * leafwiseNorm over ascentDirection, then ascentDelta and x + δ on tensorSpace).
 *
 *   sam : n = ‖s‖;       δ = (n == 0) ? 0 : s · c
 *   asam: T = |x| + η_A; n = ‖T⊙s‖;  δ = (n == 0) ? 0 : ((T⊙T)⊙s) · c,   c = ρ / (n + ξ)
 *
 * The norm is √(Σ over tensors of Σ a²) as the op path reduces it: each tensor's sum of squares
 * by the backend's Sum kernel, then the sum of those, then √. cpu's Sum adds the float32 terms in
 * doubles and rounds once; wasm's adds them in float32, one after the other (checked against
 * tf.sum in hostStep.test.ts), so the sums here follow the backend's SumMode.
 */
import type { SumMode } from './hostArrays';

const fr = Math.fround;

/** ASAM's scale, or null for SAM: the direction is then s itself. */
export interface Asam {
  /** η_A, float32-rounded */
  eta: number;
}

/**
 * The sum of squares of the ascent direction of one tensor (s, or T⊙s for ASAM) as the
 * backend's Sum of Square gives it, and whether every s is finite. One loop per case, so that
 * V8 compiles each for one shape.
 */
export function sumSquares(
  mode: SumMode,
  s: Float32Array,
  x: Float32Array,
  asam: Asam | null,
): { sum: number; finite: boolean } {
  const n = s.length;
  let acc = 0;
  // s − s is 0 exactly when s is finite; a NaN or ±∞ anywhere makes the sum of them NaN
  let check = 0;
  if (asam) {
    const eta = asam.eta;
    if (mode === 'float32')
      for (let i = 0; i < n; i++) {
        const si = s[i];
        const d = fr(fr(Math.abs(x[i]) + eta) * si);
        acc = fr(acc + fr(d * d));
        check += si - si;
      }
    else
      for (let i = 0; i < n; i++) {
        const si = s[i];
        const d = fr(fr(Math.abs(x[i]) + eta) * si);
        acc += fr(d * d);
        check += si - si;
      }
  } else if (mode === 'float32')
    for (let i = 0; i < n; i++) {
      const si = s[i];
      acc = fr(acc + fr(si * si));
      check += si - si;
    }
  else
    for (let i = 0; i < n; i++) {
      const si = s[i];
      acc += fr(si * si);
      check += si - si;
    }
  return { sum: fr(acc), finite: check === 0 };
}

/** The sum of float32 partial sums as the backend's Sum of their stack gives it (one: itself). */
export function sumPartials(mode: SumMode, parts: number[]): number {
  if (parts.length === 1) return parts[0];
  let acc = 0;
  for (const p of parts) acc = mode === 'float32' ? fr(acc + p) : acc + p;
  return fr(acc);
}

/** √ of a float32 sum, as the Sqrt kernel gives it. */
export const sqrt32 = (total: number): number => fr(Math.sqrt(total));

/** c = ρ/(n + ξ), or 0 when n = 0 (spec §7.1), as the op path's float32 scalars give it. */
export const radiusScale = (norm: number, rho: number, xi: number): number =>
  norm === 0 ? 0 : fr(fr(rho) / fr(norm + fr(xi)));

/** x + δ of one tensor into `shifted`, and δ into `delta` when kept. */
export function shiftArrays(
  x: Float32Array,
  s: Float32Array,
  c: number,
  asam: Asam | null,
  shifted: Float32Array,
  delta: Float32Array | null,
): void {
  const n = x.length;
  for (let i = 0; i < n; i++) {
    let d: number;
    if (asam) {
      const T = fr(Math.abs(x[i]) + asam.eta);
      d = fr(fr(fr(T * T) * s[i]) * c);
    } else d = fr(s[i] * c);
    shifted[i] = fr(x[i] + d);
    if (delta) delta[i] = d;
  }
}
