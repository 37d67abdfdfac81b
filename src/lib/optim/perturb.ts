import type { Space } from '../math/space';
import type { OptimizerConfig } from './config';

type AscentKnobs = Pick<OptimizerConfig, 'rho' | 'perturbation' | 'perturbEps' | 'asamEta'>;

/** ASAM's scale T = |x| + η_A (Kwon et al. 2021). */
const asamScale = <P, N, B>(space: Space<P, N, B>, c: AscentKnobs, x: P): P =>
  space.addScalar(space.abs(x), c.asamEta);

/**
 * The vector whose global norm sets the ascent's scale (spec §4.2): s for SAM, T⊙s for ASAM.
 * Element-wise, so a caller may take it one parameter tensor at a time.
 */
export function ascentDirection<P, N, B>(space: Space<P, N, B>, c: AscentKnobs, x: P, s: P): P {
  return c.perturbation === 'asam' ? space.mul(asamScale(space, c, x), s) : s;
}

/**
 * δ from the global norm n of ascentDirection (spec §4.2): ρ·s/(n + ξ) for SAM,
 * ρ·T⊙T⊙s/(n + ξ) for ASAM, 0 when n = 0. Element-wise given n.
 */
export function ascentDelta<P, N, B>(
  space: Space<P, N, B>,
  c: AscentKnobs,
  x: P,
  s: P,
  norm: N,
): P {
  if (c.perturbation !== 'asam') return space.scaleToRadius(s, norm, c.rho, c.perturbEps);
  const T = asamScale(space, c, x);
  return space.scaleToRadius(space.mul(space.mul(T, T), s), norm, c.rho, c.perturbEps);
}

/**
 * The ascent of spec §4.2: the point x + δ where SAM takes its second gradient.
 *   sam : δ = ρ · s / (‖s‖ + ξ)                       (Foret et al. 2021)
 *   asam: T = |x| + η_A;  δ = ρ · T⊙T⊙s / (‖T⊙s‖ + ξ)   (Kwon et al. 2021)
 * with δ = 0 when the norm is exactly 0 (spec §7.1: no 0/0 at a stationary point).
 * Returns null for ρ = 0: no perturbation, and the caller reuses s as g.
 */
export function perturb<P, N, B>(
  space: Space<P, N, B>,
  c: AscentKnobs,
  x: P,
  s: P,
): { delta: P; norm: N } | null {
  if (c.rho === 0) return null;
  const norm = space.norm(ascentDirection(space, c, x, s));
  return { delta: ascentDelta(space, c, x, s, norm), norm };
}
