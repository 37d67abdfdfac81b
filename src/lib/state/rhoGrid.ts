/**
 * A small ρ grid for the lab, as the paper tuned ρ (issue 11, item 5): AdaSAM at each ρ of
 * RHO_GRID beside AMSGrad (ρ = 0, the baseline), all at one γ. Small on purpose: every AdaSAM run
 * pays two gradient evaluations per step, so the grid's cost is said before it runs.
 */
import { recipe } from '../optim/config';
import type { RunSpec } from './url';

/** The radii the grid races (SAM's usual 0.05 and one step either side). */
export const RHO_GRID = [0.01, 0.05, 0.1] as const;

/** Gradient evaluations per step of one seed: two for a run with a perturbation, one otherwise. */
export const gradEvalsPerStep = (runs: readonly RunSpec[]): number =>
  runs.reduce((n, r) => n + (r.config.rho > 0 ? 2 : 1), 0);

/**
 * AdaSAM at each ρ of the grid and AMSGrad, with the γ and preset of the race's first AdaSAM
 * (else γ 1e-3 under the torch preset, the lab's adaptive step size).
 */
export function rhoGridRace(runs: readonly RunSpec[]): RunSpec[] {
  const ada = runs.find((r) => r.family === 'adasam');
  const preset = ada?.preset ?? 'torch';
  const lr = ada?.config.lr ?? 1e-3;
  return [
    ...RHO_GRID.map((rho) => ({
      family: 'adasam' as const,
      preset,
      config: ada ? { ...ada.config, rho } : recipe('adasam', preset, { lr, rho }),
    })),
    { family: 'amsgrad', preset, config: recipe('amsgrad', preset, { lr }) },
  ];
}
