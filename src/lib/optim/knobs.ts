/**
 * Which knobs of spec §3 act on a given configuration: a knob that changes nothing in
 * Algorithm 1 for this config is "inert", with the reason in words, so the controls can hide
 * or disable it instead of inviting a change that does nothing (issue 12, item 7).
 */
import type { OptimizerConfig } from './config';

export type KnobName = keyof OptimizerConfig;

/** The reason `key` has no effect on a run with config `c`, or null when it acts. */
export function inertReason(c: OptimizerConfig, key: KnobName): string | null {
  const notAdaptive = 'not adaptive: η ≡ 1';
  const noPerturbation = 'ρ = 0: no perturbation';
  switch (key) {
    case 'beta2':
    case 'eps':
    case 'epsMode':
    case 'amsgrad':
    case 'biasCorrection':
      return c.adaptive ? null : notAdaptive;
    case 'perturbation':
    case 'perturbEps':
      return c.rho > 0 ? null : noPerturbation;
    case 'asamEta':
      if (c.rho === 0) return noPerturbation;
      return c.perturbation === 'asam' ? null : 'only ASAM uses it';
    default:
      return null;
  }
}
