/**
 * inertReason against the update itself: for every family member and every knob, changing a
 * knob that inertReason calls inert leaves a 12-step trajectory bit for bit unchanged, and
 * changing a knob it calls active changes it (an independent oracle: the optimizer's own
 * arithmetic, not a copy of the rules).
 */
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, FAMILY_NAMES, recipe, type OptimizerConfig } from './config';
import { inertReason } from './knobs';
import { deterministic, runVec } from './run';

// An anisotropic, non-quadratic bowl so every knob that acts leaves a trace.
const f = (x: number[]) => Math.cosh(x[0]) + 3 * x[1] * x[1] + 0.5 * x[0] * x[1];
const grad = (x: number[]) => [Math.sinh(x[0]) + 0.5 * x[1], 6 * x[1] + 0.5 * x[0]];
const objective = deterministic(f, grad);

/** Another valid value for a knob, far enough to show if it acts. */
function changed(c: OptimizerConfig, key: keyof OptimizerConfig): OptimizerConfig {
  const v = c[key];
  const alt: Partial<Record<keyof OptimizerConfig, unknown>> = {
    lr: (c.lr as number) * 2,
    rho: c.rho > 0 ? c.rho * 3 : 0,
    beta1: c.beta1 === 0 ? 0.5 : 0.2,
    beta2: 0.5,
    eps: 0.3,
    epsMode: c.epsMode === 'floor' ? 'add' : 'floor',
    perturbation: c.perturbation === 'sam' ? 'asam' : 'sam',
    perturbEps: 0.7,
    asamEta: 2,
    weightDecay: 0.3,
  };
  if (typeof v === 'boolean') return { ...c, [key]: !v };
  return { ...c, [key]: alt[key] };
}

const path = (c: OptimizerConfig) => JSON.stringify(runVec(c, [0.9, -0.7], 12, objective).xs);

describe('inertReason', () => {
  for (const family of FAMILY_NAMES) {
    // `adaptive` and `rho`/`beta1`/`amsgrad`/`perturbation` switch the member; they always act.
    const keys = CONFIG_KEYS.filter((k) => k !== 'adaptive' && k !== 'rho');
    it.each(keys)(`${family}: %s acts exactly when inertReason says so`, (key) => {
      // v̂'s running max only shows once v falls: a short β2 memory makes it fall within 12 steps
      const base =
        key === 'amsgrad'
          ? { ...recipe(family, 'paper', { lr: 0.05 }), beta2: 0.5 }
          : recipe(family, 'paper', { lr: 0.05 });
      const reason = inertReason(base, key);
      const same = path(changed(base, key)) === path(base);
      if (reason)
        expect(same, `${key} is called inert (${reason}) but changes the path`).toBe(true);
      else expect(same, `${key} is called active but changes nothing`).toBe(false);
    });
  }
});
