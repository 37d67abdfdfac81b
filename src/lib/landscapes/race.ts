/**
 * A race: several optimizers from one start on one landscape, seeing the same minibatches
 * (stochastic.ts) so that the only difference between the runs is the update rule.
 *
 * DEFAULT_RACE is the story the page opens with (paper arXiv:2303.00565, §1 and §5: SAM's
 * perturbation steers adaptive methods towards flat minima). On `wells`, from x₀ = (−0.5, 0.3)
 * with the paper preset and γ = 0.05 for everyone:
 *   SGD, AMSGrad (ρ = 0) and SAM (ρ = 0.05, no adaptive step) settle in the sharp well (−0.79, 0);
 *   AdaSAM (ρ = 0.15) leaves it, reaches the flat well (0.8, 0) by about step 12 and stays.
 * Why these numbers (spec §8.1 explores the same surface): with larger ρ (≥ 0.2) or smaller γ
 * AdaSAM stalls on the ridge between the wells, where x + δ sits on the ridge top and the
 * perturbed gradient vanishes; with ρ = 0.15 and γ = 0.05 it reaches the flat well from every
 * start within ±0.04 of x₀ (81 of 81 on a 0.01 grid), and from most starts for γ ∈ [0.05, 0.06],
 * ρ ∈ [0.12, 0.18]. Exact gradients: the story needs no noise, and adding the default stochastic
 * noise rarely changes it (σ = 0.2, b = 8: 20 of 20 seeds; σ = 0.3: 19 of 20).
 */
import type { Vec } from '../math/vec';
import { recipe, type FamilyName, type OptimizerConfig, type Preset } from '../optim/config';
import { runVec, type VecRun } from '../optim/run';
import { makeObjective, type StochasticSettings } from './stochastic';
import type { Landscape } from './types';

/** One entrant of a race as plain data (what a link stores). */
export interface RaceEntry {
  family: FamilyName;
  preset: Preset;
  overrides: Partial<OptimizerConfig>;
}

/** A whole race as plain data. */
export interface RaceSpec {
  landscape: string;
  x0: [number, number];
  steps: number;
  runs: RaceEntry[];
}

export const DEFAULT_RACE: RaceSpec = {
  landscape: 'wells',
  x0: [-0.5, 0.3],
  steps: 200,
  runs: [
    { family: 'sgd', preset: 'paper', overrides: { lr: 0.05 } },
    { family: 'amsgrad', preset: 'paper', overrides: { lr: 0.05 } },
    { family: 'sam', preset: 'paper', overrides: { lr: 0.05, rho: 0.05 } },
    { family: 'adasam', preset: 'paper', overrides: { lr: 0.05, rho: 0.15 } },
  ],
};

/** The full configs of a race's entrants. */
export const raceConfigs = (spec: RaceSpec): OptimizerConfig[] =>
  spec.runs.map((r) => recipe(r.family, r.preset, r.overrides));

/**
 * Runs every config from x0 for `steps` iterations on the same objective: the exact landscape,
 * or (with `stochastic`) the same seeded minibatch f_{B_t} at each step t for every run.
 */
export function runRace(
  landscape: Landscape,
  x0: ArrayLike<number>,
  steps: number,
  configs: OptimizerConfig[],
  stochastic: StochasticSettings | null,
): VecRun[] {
  const start: Vec = Array.from(x0);
  return configs.map((config) =>
    runVec(config, start, steps, makeObjective(landscape, stochastic)),
  );
}
