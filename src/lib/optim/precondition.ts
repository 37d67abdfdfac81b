import type { Space } from '../math/space';
import type { OptimizerConfig } from './config';

/** The adaptive part of the state: v and its running maximum v̂ (AMSGrad). */
export interface SecondMoment<P> {
  v: P;
  vHat: P;
}

/** v₋₁ = 0; v̂₋₁ = ε² in floor mode (paper, Lemma B.3), else 0 (spec §2). */
export function initSecondMoment<P, N, B>(
  space: Space<P, N, B>,
  c: OptimizerConfig,
  x: P,
): SecondMoment<P> {
  return {
    v: space.zerosLike(x),
    vHat: space.fullLike(x, c.epsMode === 'floor' ? c.eps * c.eps : 0),
  };
}

/**
 * The largest η_t any coordinate can have at step k (counted from 1): that of a coordinate whose
 * v̂ is still at its floor, ε² in floor mode (η = √bc2/ε) or 0 in add mode (η = 1/ε). Without
 * bias correction both are 1/ε: the spike at the right end of the lab's η histograms, made of
 * coordinates no gradient has reached yet.
 */
export function etaCeiling(
  c: Pick<OptimizerConfig, 'eps' | 'epsMode' | 'biasCorrection' | 'beta2'>,
  k: number,
): number {
  const bc2 = c.biasCorrection ? 1 - c.beta2 ** k : 1;
  return c.epsMode === 'floor' ? Math.sqrt(bc2) / c.eps : 1 / c.eps;
}

/**
 * Spec §4.5–4.6: the second moment and the per-coordinate step size η.
 *   v_t   = β2·v_{t−1} + (1−β2)·g_t⊙g_t
 *   v̂_t   = amsgrad ? max(v̂_{t−1}, v_t) : (floor ? max(v_t, ε²) : v_t)     (raw v: torch semantics)
 *   denom = √v̂_t / √bc2 + (add ? ε : 0);   η_t = 1/denom
 */
export function precondition<P, N, B>(
  space: Space<P, N, B>,
  c: OptimizerConfig,
  prev: SecondMoment<P>,
  g: P,
  bc2: number,
): SecondMoment<P> & { denom: P; eta: P } {
  // ((1−β2)·g)·g, torch's addcmul order: with β2 = 1 it is exactly 0 even where g² overflows
  const v = space.add(space.scale(prev.v, c.beta2), space.mul(space.scale(g, 1 - c.beta2), g));
  const vHat = c.amsgrad
    ? space.maximum(prev.vHat, v)
    : c.epsMode === 'floor'
      ? space.maxScalar(v, c.eps * c.eps)
      : v;
  const root = space.sqrt(vHat);
  const scaled = bc2 === 1 ? root : space.divScalar(root, Math.sqrt(bc2));
  const denom = c.epsMode === 'add' ? space.addScalar(scaled, c.eps) : scaled;
  return { v, vHat, denom, eta: space.reciprocal(denom) };
}
