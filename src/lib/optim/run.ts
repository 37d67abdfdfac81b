/**
 * Runs of the float64 core: T iterations from x₀, recording every intermediate the pages draw
 * and the golden files store (spec §9.2 index conventions).
 */
import { vecSpace, type Vec } from '../math/vec';
import { validateConfig, type OptimizerConfig } from './config';
import { initState, proposeStep, type OptState, type ValueAndGrad } from './step';

export type RunStatus = 'ok' | 'diverged';

/** One committed iteration t: the values produced from x_t. */
export interface StepRecord {
  /** f_B(x_t) from the clean pass */
  loss: number;
  /** f_B(x_t + δ_t); equals loss when ρ = 0 */
  lossPerturbed: number;
  s: Vec;
  /** ‖s‖ (SAM) or ‖T⊙s‖ (ASAM); 0 when ρ = 0 */
  sNorm: number;
  /** zeros when ρ = 0 */
  delta: Vec;
  g: Vec;
  m: Vec;
  /** null for non-adaptive runs */
  v: Vec | null;
  vHat: Vec | null;
  eta: Vec | null;
  gradEvals: number;
}

export interface VecRun {
  config: OptimizerConfig;
  status: RunStatus;
  /** x_0 … x_T' (T' = committed steps; T' < T only when the run diverged) */
  xs: Vec[];
  steps: StepRecord[];
  /** the state after the last committed step */
  state: OptState<Vec>;
  /** the step index that was rejected, when diverged */
  divergedAt: number | null;
}

/**
 * Runs `steps` iterations. `objectiveAt(t)` gives the loss and gradient on iteration t's
 * minibatch (the same function for both passes of a SAM step); for a deterministic problem it
 * ignores t. Throws ConfigError before any step for an invalid config.
 */
export function runVec(
  config: OptimizerConfig,
  x0: ArrayLike<number>,
  steps: number,
  objectiveAt: (t: number) => ValueAndGrad<Vec, number>,
): VecRun {
  validateConfig(config);
  let x: Vec = Array.from(x0);
  let state = initState(vecSpace, config, x);
  const xs: Vec[] = [x];
  const records: StepRecord[] = [];
  for (let t = 0; t < steps; t++) {
    const p = proposeStep(vecSpace, config, x, state, objectiveAt(t));
    if (!p.ok) return { config, status: 'diverged', xs, steps: records, state, divergedAt: t };
    records.push({
      loss: p.loss,
      lossPerturbed: p.lossPerturbed ?? p.loss,
      s: p.s,
      sNorm: p.sNorm ?? 0,
      delta: p.delta ?? vecSpace.zerosLike(x),
      g: p.g,
      m: p.state.m,
      v: p.state.second?.v ?? null,
      vHat: p.state.second?.vHat ?? null,
      eta: p.eta,
      gradEvals: p.gradEvals,
    });
    x = p.x;
    state = p.state;
    xs.push(x);
  }
  return { config, status: 'ok', xs, steps: records, state, divergedAt: null };
}

/** A deterministic objective as an `objectiveAt` for runVec. */
export const deterministic =
  (f: (x: Vec) => number, grad: (x: Vec) => Vec) => (): ValueAndGrad<Vec, number> => (x) => ({
    loss: f(x),
    grad: grad(x),
  });
