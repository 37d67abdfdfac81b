/**
 * Benchmark of the lab's transformer on a tfjs backend (cpu in Node; every backend in headless
 * Chromium through scripts/benchBrowser.ts): median ms per AMSGrad
 * step, per AdaSAM step, their ratio, and the share of an AdaSAM step spent outside the two
 * gradient passes (the optimizer's update). Targets: AdaSAM ≤ 2.05 × AMSGrad, update ≤ 5 %.
 *
 * Benchmark model: 2 pre-LN blocks, d_model 64, 4 heads, MLP width 256, vocabulary 100,
 * sequence length 32, batch 32, cross-entropy on the last position's 100-way output; tokens and
 * labels are seeded random. Both optimizers use the torch preset (lr 1e-3, ρ = 0.05 for AdaSAM).
 *
 * How the update share is measured (two ways, both reported):
 *   updateShare       = (AdaSAM step − two gradient passes) / AdaSAM step, where "two gradient
 *                       passes" times exactly what TensorOptimizer differentiates: valueAndGrads
 *                       at x and at x + δ (δ precomputed), with the same single loss readback.
 *                       Everything else in a step (δ, m, v, v̂, η, x_{t+1}, the finiteness check,
 *                       the readbacks of ‖s‖ and f(x+δ), disposal) counts as update.
 *   directUpdateShare = an AdaSAM step on a loss whose gradient costs almost nothing
 *                       (f = Σ c⊙x, one multiply per tensor), divided by the AdaSAM step: the
 *                       update's own cost measured without subtraction noise.
 * Medians over `steps` timed steps after `warmup` untimed ones; the step kinds are interleaved so
 * drift (thermal, other processes) hits all of them alike. Given a CPU clock (Node), the same
 * medians in the process's CPU time too (`cpuTime`), which other work on the machine disturbs
 * far less than the wall clock.
 *
 * Run: npx tsx -e "import('./scripts/benchTransformer.ts').then(async m=>console.log(await m.benchTransformer()))"
 */
import * as tf from '@tensorflow/tfjs';
import { recipe } from '../src/lib/optim/config';
import { crossEntropy } from '../src/lib/tf/model/losses';
import { forward, initParams, paramCount } from '../src/lib/tf/model/transformer';
import { mapValueAndGrad, TensorOptimizer } from '../src/lib/tf/optimizer';
import { makeRng } from '../src/lib/math/rng';
import type { TensorMap } from '../src/lib/tf/tensorSpace';
import type { BackendPreference, ModelSettings } from '../src/lib/lab/types';
import { pickBackend, type PickOptions } from '../src/lib/tf/backend';
import { sumScalars } from '../src/lib/tf/tensorSpace';
import type { TransformerFigure } from './benchReport';
import { median } from './median';

export const BENCH_MODEL: ModelSettings = {
  layers: 2,
  dModel: 64,
  heads: 4,
  mlp: 256,
  dropout: 0,
  vocab: 100,
  seqLen: 32,
  head: 'classify',
  classes: 100,
};
export const BENCH_BATCH = 32;

export interface BenchResult {
  backend: string;
  params: number;
  steps: number;
  amsgradMs: number;
  adasamMs: number;
  /** adasamMs / amsgradMs (target ≤ 2.05) */
  ratio: number;
  /** median time of the two gradient passes alone */
  twoGradMs: number;
  /** (adasamMs − twoGradMs) / adasamMs (target ≤ 0.05) */
  updateShare: number;
  /** AdaSAM step with a near-free gradient */
  cheapStepMs: number;
  /** cheapStepMs / adasamMs */
  directUpdateShare: number;
  /** WASM threads in use (1 without cross-origin isolation); null on other backends */
  threads: number | null;
  /**
   * The same medians in CPU time of the process (Node, where the bench is given a CPU clock;
   * null in the browser): on a machine shared with other work the wall clock measures the load
   * as much as the step, and a one-threaded backend's CPU time much less so.
   */
  cpuTime: CpuFigures | null;
}

/** Medians of a step kind's CPU time (ms), and the update share computed from them. */
export interface CpuFigures {
  amsgradMs: number;
  adasamMs: number;
  twoGradMs: number;
  cheapStepMs: number;
  /** (adasamMs − twoGradMs) / adasamMs in CPU time */
  updateShare: number;
}

/** Runs in Node (cpu) and in the browser (scripts/benchTransformerPage.ts picks each backend). */
export async function benchTransformer(
  opts: {
    steps?: number;
    warmup?: number;
    backend?: BackendPreference;
    pick?: PickOptions;
    /** the process's CPU time in ms (Node: process.cpuUsage), for `cpuTime` */
    cpuClock?: () => number;
  } = {},
): Promise<BenchResult> {
  const steps = opts.steps ?? 20;
  const warmup = opts.warmup ?? 3;
  const wanted = opts.backend ?? 'cpu';
  const choice = await pickBackend(wanted, opts.pick);
  if (wanted !== 'auto' && choice.name !== wanted)
    throw new Error(`${wanted} did not start (${choice.fallbacks.join('; ')})`);
  const m = BENCH_MODEL;
  const rng = makeRng(2024);
  const tokens = tf.tensor2d(
    Int32Array.from({ length: BENCH_BATCH * m.seqLen }, () => rng.int(m.vocab)),
    [BENCH_BATCH, m.seqLen],
    'int32',
  );
  const labels = tf.tensor1d(
    Int32Array.from({ length: BENCH_BATCH }, () => rng.int(m.classes)),
    'int32',
  );
  const lossFn = (p: TensorMap) => crossEntropy(forward(p, tokens, m), labels, m.classes);
  const x0 = initParams(m, 1);
  const keys = Object.keys(x0);
  const coef: TensorMap = Object.fromEntries(keys.map((k) => [k, tf.onesLike(x0[k])]));
  const cheapLoss = (p: TensorMap) => sumScalars(keys.map((k) => tf.sum(tf.mul(coef[k], p[k]))));
  const delta: TensorMap = tf.tidy(() =>
    Object.fromEntries(keys.map((k) => [k, tf.mul(tf.onesLike(x0[k]), 1e-4)])),
  );

  const amsgrad = new TensorOptimizer(recipe('amsgrad', 'torch', { lr: 1e-3 }), x0);
  const adasam = new TensorOptimizer(recipe('adasam', 'torch', { lr: 1e-3, rho: 0.05 }), x0);
  const cheap = new TensorOptimizer(recipe('adasam', 'torch', { lr: 1e-3, rho: 0.05 }), x0);
  const vg = mapValueAndGrad(lossFn, keys);

  const cpuClock = opts.cpuClock;
  const cpu = {
    ams: [] as number[],
    ada: [] as number[],
    grads: [] as number[],
    cheap: [] as number[],
  };
  let lastCpu = 0;
  const time = async (f: () => Promise<void>) => {
    const c0 = cpuClock?.() ?? 0;
    const t0 = performance.now();
    await f();
    const wall = performance.now() - t0;
    lastCpu = (cpuClock?.() ?? 0) - c0;
    return wall;
  };
  const stepOf = (opt: TensorOptimizer, f: typeof lossFn) => async () => {
    const info = await opt.step(f);
    if (!info) throw new Error('benchmark step diverged');
    info.release();
  };
  const twoGrads = async () => {
    const loss = tf.tidy(() => {
      const a = vg(adasam.params);
      const xp: TensorMap = Object.fromEntries(
        keys.map((k) => [k, tf.add(adasam.params[k], delta[k])]),
      );
      const b = vg(xp);
      return tf.add(a.loss, tf.mul(0, b.loss)) as tf.Tensor; // keeps both passes alive, one readback like a step's
    });
    await loss.data();
    loss.dispose();
  };

  const t = {
    ams: [] as number[],
    ada: [] as number[],
    grads: [] as number[],
    cheap: [] as number[],
  };
  const kinds = [
    ['ams', stepOf(amsgrad, lossFn)],
    ['ada', stepOf(adasam, lossFn)],
    ['grads', twoGrads],
    ['cheap', stepOf(cheap, cheapLoss)],
  ] as const;
  for (let i = 0; i < warmup + steps; i++)
    for (const [kind, f] of kinds) {
      const wall = await time(f);
      if (i < warmup) continue;
      t[kind].push(wall);
      cpu[kind].push(lastCpu);
    }
  amsgrad.dispose();
  adasam.dispose();
  cheap.dispose();
  tf.dispose([
    tokens,
    labels,
    ...Object.values(x0),
    ...Object.values(coef),
    ...Object.values(delta),
  ]);

  const amsgradMs = median(t.ams);
  const adasamMs = median(t.ada);
  const twoGradMs = median(t.grads);
  const cheapStepMs = median(t.cheap);
  return {
    backend: tf.getBackend(),
    params: paramCount(m),
    steps,
    amsgradMs,
    adasamMs,
    ratio: adasamMs / amsgradMs,
    twoGradMs,
    updateShare: (adasamMs - twoGradMs) / adasamMs,
    cheapStepMs,
    directUpdateShare: cheapStepMs / adasamMs,
    threads:
      tf.getBackend() === 'wasm'
        ? (await import('@tensorflow/tfjs-backend-wasm')).getThreadsCount()
        : null,
    cpuTime: cpuClock
      ? {
          amsgradMs: median(cpu.ams),
          adasamMs: median(cpu.ada),
          twoGradMs: median(cpu.grads),
          cheapStepMs: median(cpu.cheap),
          updateShare: (median(cpu.ada) - median(cpu.grads)) / median(cpu.ada),
        }
      : null,
  };
}

/** The benchmark on `backend` as a figure that says what happened instead of throwing. */
export async function transformerFigure(
  backend: 'cpu' | 'wasm' | 'webgl' | 'webgpu',
  opts: { steps?: number; warmup?: number; pick?: PickOptions; cpuClock?: () => number } = {},
): Promise<TransformerFigure> {
  try {
    return { status: 'ok', ...(await benchTransformer({ ...opts, backend })) };
  } catch (e) {
    return { status: 'error', backend, message: e instanceof Error ? e.message : String(e) };
  }
}
