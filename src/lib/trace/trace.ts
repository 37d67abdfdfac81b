/**
 * What a share link computes, as plain JSON: one object per optimizer run, with the index
 * conventions of the golden files (spec §9.2). The `trace` command prints exactly this, and the
 * 2-D page's "Export JSON" downloads exactly this, so a link and the command always agree.
 */
import { getLandscape, type Landscape } from '../landscapes';
import { CONFIG_KEYS, type OptimizerConfig } from '../optim/config';
import { deterministic, runVec, type VecRun } from '../optim/run';
import type { RunSpec, SceneSettings } from '../state/url';

export interface TraceJson {
  problem: string;
  optimizer: string;
  x0: [number, number];
  steps: number;
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
}

/** All spec keys in spec order (a stable key order makes the JSON diffable). */
export function orderedConfig(c: OptimizerConfig): OptimizerConfig {
  return Object.fromEntries(CONFIG_KEYS.map((k) => [k, c[k]])) as unknown as OptimizerConfig;
}

/** Runs one optimizer on the scene's landscape. */
export function runScene(land: Landscape, scene: SceneSettings, config: OptimizerConfig): VecRun {
  return runVec(config, scene.x0 ?? land.x0, scene.steps, deterministic(land.f, land.grad));
}

export function traceJson(land: Landscape, scene: SceneSettings, run: RunSpec, result: VecRun): TraceJson {
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
  return {
    problem: land.id,
    optimizer: run.family,
    x0: [...(scene.x0 ?? land.x0)] as [number, number],
    steps: scene.steps,
    config: orderedConfig(run.config),
    status: result.status,
    trace,
  };
}

/** Every run of a link's race, as `trace` prints them. */
export function traceScene(scene: SceneSettings, runs: RunSpec[]): TraceJson[] {
  const land = getLandscape(scene.problem);
  if (!land) throw new Error(`unknown problem ${JSON.stringify(scene.problem)}`);
  return runs.map((run) => traceJson(land, scene, run, runScene(land, scene, run.config)));
}
