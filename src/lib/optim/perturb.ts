import type { Space } from '../math/space';
import type { OptimizerConfig } from './config';

/**
 * The ascent of spec §4.2: the point x + δ where SAM takes its second gradient.
 *   sam : δ = ρ · s / (‖s‖ + ξ)                       (Foret et al. 2021)
 *   asam: T = |x| + η_A;  δ = ρ · T⊙T⊙s / (‖T⊙s‖ + ξ)   (Kwon et al. 2021)
 * with δ = 0 when the norm is exactly 0 (spec §7.1: no 0/0 at a stationary point).
 * Returns null for ρ = 0: no perturbation, and the caller reuses s as g.
 */
export function perturb<P, N, B>(
  space: Space<P, N, B>,
  c: Pick<OptimizerConfig, 'rho' | 'perturbation' | 'perturbEps' | 'asamEta'>,
  x: P,
  s: P,
): { delta: P; norm: N } | null {
  if (c.rho === 0) return null;
  if (c.perturbation === 'asam') {
    const T = space.addScalar(space.abs(x), c.asamEta);
    const norm = space.norm(space.mul(T, s));
    return {
      delta: space.scaleToRadius(space.mul(space.mul(T, T), s), norm, c.rho, c.perturbEps),
      norm,
    };
  }
  const norm = space.norm(s);
  return { delta: space.scaleToRadius(s, norm, c.rho, c.perturbEps), norm };
}
