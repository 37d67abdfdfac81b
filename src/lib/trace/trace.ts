/**
 * What a share link computes, as plain JSON: one object per optimizer run, with the index
 * conventions of the golden files (spec §9.2); `loss` is always the full landscape f(x_t), also in
 * stochastic mode, and `testView` scores the end point as the page's "Training loss and test
 * loss" table does. The `trace` command prints exactly this, and the
 * 2-D page's "Export JSON" downloads exactly this, so a link and the command always agree.
 */
import { getLandscape, type Landscape } from '../landscapes';
import { CONFIG_KEYS, type OptimizerConfig } from '../optim/config';
import { runVec, type VecRun } from '../optim/run';
import {
  DEFAULT_STOCHASTIC,
  isStochastic,
  makeObjective,
  type StochasticSettings,
} from '../landscapes/stochastic';
import { scoreEnds, testShift } from '../landscapes/testView';
import type { RunSpec, SceneSettings } from '../state/url';

export interface TraceJson {
  problem: string;
  optimizer: string;
  x0: [number, number];
  steps: number;
  /** present only in stochastic mode (σ > 0): the minibatches every run of the link sees */
  stochastic?: StochasticSettings;
  config: OptimizerConfig;
  status: 'ok' | 'diverged';
  trace: {
    x: number[][];
    loss: number[];
    delta: number[][];
    m: number[][];
    vhat?: number[][];
    eta?: number[][];
  };
  /**
   * The end point scored as the page's table does (landscapes/testView.ts): `train` = f(x_T),
   * `test` = f(x_T − u) on the test view moved by the seeded `shift` u; both null for a diverged
   * run (the page shows no end point for it).
   */
  testView: { shift: [number, number]; train: number | null; test: number | null };
}

/** All spec keys in spec order (a stable key order makes the JSON diffable). */
export function orderedConfig(c: OptimizerConfig): OptimizerConfig {
  return Object.fromEntries(CONFIG_KEYS.map((k) => [k, c[k]])) as unknown as OptimizerConfig;
}

/** The scene's stochastic mode, or null when σ = 0 (the exact landscape). */
export function stochasticOf(scene: SceneSettings): StochasticSettings | null {
  const s = {
    sigma: scene.sigma,
    batch: scene.batch,
    samples: DEFAULT_STOCHASTIC.samples,
    seed: scene.seed,
  };
  return isStochastic(s) ? s : null;
}

/** Runs one optimizer on the scene's landscape (with its seeded minibatches in stochastic mode). */
export function runScene(land: Landscape, scene: SceneSettings, config: OptimizerConfig): VecRun {
  return runVec(config, scene.x0 ?? land.x0, scene.steps, makeObjective(land, stochasticOf(scene)));
}

export function traceJson(
  land: Landscape,
  scene: SceneSettings,
  run: RunSpec,
  result: VecRun,
): TraceJson {
  const arr = (v: ArrayLike<number>) => Array.from(v);
  const trace: TraceJson['trace'] = {
    x: result.xs.map(arr),
    loss: result.xs.map((x) => land.f(x)),
    delta: result.steps.map((r) => arr(r.delta)),
    m: result.steps.map((r) => arr(r.m)),
  };
  if (run.config.adaptive) {
    trace.vhat = result.steps.map((r) => arr(r.vHat!));
    trace.eta = result.steps.map((r) => arr(r.eta!));
  }
  const stochastic = stochasticOf(scene);
  const shift = testShift(land, scene.seed);
  const end =
    result.status === 'ok' ? scoreEnds(land, shift, [result.xs[result.xs.length - 1]])[0] : null;
  return {
    problem: land.id,
    optimizer: run.family,
    x0: [...(scene.x0 ?? land.x0)] as [number, number],
    steps: scene.steps,
    ...(stochastic ? { stochastic } : {}),
    config: orderedConfig(run.config),
    status: result.status,
    trace,
    testView: { shift, train: end?.train ?? null, test: end?.test ?? null },
  };
}

/** Every run of a link's race, as `trace` prints them. */
export function traceScene(scene: SceneSettings, runs: RunSpec[]): TraceJson[] {
  const land = getLandscape(scene.problem);
  if (!land) throw new Error(`unknown problem ${JSON.stringify(scene.problem)}`);
  return runs.map((run) => traceJson(land, scene, run, runScene(land, scene, run.config)));
}

/** The exact text `trace` prints and "Export JSON" downloads: one format, so the two are byte-identical. */
export const traceText = (value: TraceJson | TraceJson[]): string =>
  JSON.stringify(value, null, 2) + '\n';
