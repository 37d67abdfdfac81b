/**
 * `trace --backend tfjs`: the same runs as lib/trace/trace.ts, on TF.js tensors (cpu backend,
 * float32), printed in the same JSON shape so the two paths can be compared directly.
 */
import * as tf from '@tensorflow/tfjs';
import { getLandscape } from '../landscapes';
import { makeObjective } from '../landscapes/stochastic';
import { stochasticOf, traceJson, type TraceJson } from '../trace/trace';
import type { RunSpec, SceneSettings } from '../state/url';
import { tfObjective, wrapVecObjective, type TfObjective } from './landscapes';
import { point, runTensors } from './tensorRun';

export async function traceSceneTf(scene: SceneSettings, runs: RunSpec[]): Promise<TraceJson[]> {
  await tf.setBackend('cpu');
  const land = getLandscape(scene.problem);
  if (!land) throw new Error(`unknown problem ${JSON.stringify(scene.problem)}`);
  const f = tfObjective(land);
  const stochastic = stochasticOf(scene);
  // Stochastic mode: each step's minibatch loss f_{B_t}, evaluated in float64 and rounded
  const objectiveAt = makeObjective(land, stochastic);
  const fAt = (t: number): TfObjective => (stochastic ? wrapVecObjective(objectiveAt(t)) : f);
  const x0 = scene.x0 ?? land.x0;
  const out: TraceJson[] = [];
  for (const run of runs) {
    const p0 = point(x0);
    const r = await runTensors(
      run.config,
      p0,
      scene.steps,
      (t) => (p) => fAt(t)(p.x as tf.Tensor1D),
    );
    tf.dispose(Object.values(p0));
    const records = r.steps.map((s) => ({
      ...s,
      s: [],
      sNorm: 0,
      lossPerturbed: s.loss,
      gradEvals: run.config.rho > 0 ? 2 : 1,
    }));
    const json = traceJson(land, scene, run, {
      config: run.config,
      status: r.status,
      xs: r.xs,
      steps: records,
      state: null as never,
      divergedAt: null,
    });
    // loss in float32, as the tensor path sees it
    json.trace.loss = r.xs.map((x) => tf.tidy(() => f(tf.tensor1d(x)).dataSync()[0]));
    out.push(json);
  }
  return out;
}
