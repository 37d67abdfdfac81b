/**
 * A lab race step of the benchmark transformer (scripts/benchTransformer.ts's model, batch and
 * AdaSAM torch preset), split as Race.stepRun runs it: trainStep (the optimizer's step with its
 * intermediates kept), stepDiagnostics (‖s‖, ‖δ‖, cos(s, g)) and etaStatistics (the η panels'
 * histograms and heatmap, asked for when they are shown). Medians in ms over `steps` steps after
 * `warmup` untimed ones; `total` is the median of the three together.
 *
 * Run (wasm in Node, one thread, as scripts/bench.ts starts it):
 *   npx tsx -e "import('./scripts/benchLabStep.ts').then(async m => console.log(await m.benchLabStepNode()))"
 */
import * as tf from '@tensorflow/tfjs';
import { recipe } from '../src/lib/optim/config';
import { etaCeiling } from '../src/lib/optim/precondition';
import { pickBackend, type PickOptions } from '../src/lib/tf/backend';
import { makeRng } from '../src/lib/math/rng';
import { defaultEtaMatrix, groupsOf } from '../src/lib/tf/model/model';
import { transformer } from '../src/lib/tf/model/transformer';
import { disposeTokenBatch, tokenBatch, type TokenBatch } from '../src/lib/tf/model/tokenBatch';
import { TensorOptimizer } from '../src/lib/tf/optimizer';
import { stepDiagnostics } from '../src/lib/tf/train/diagnostics';
import { etaStatistics } from '../src/lib/tf/train/etaStats';
import { trainStep, type TrainingData } from '../src/lib/tf/train/trainingData';
import { BENCH_BATCH, BENCH_MODEL } from './benchTransformer';
import { median } from './median';

export interface LabStepBench {
  backend: string;
  steps: number;
  paramTensors: number;
  trainStepMs: number;
  diagnosticsMs: number;
  etaStatsMs: number;
  totalMs: number;
  /** the same medians in the process's CPU time (given a CPU clock: Node), else null */
  cpuTime: {
    trainStepMs: number;
    diagnosticsMs: number;
    etaStatsMs: number;
    totalMs: number;
  } | null;
}

export async function benchLabStep(
  opts: {
    steps?: number;
    warmup?: number;
    backend?: 'cpu' | 'wasm';
    pick?: PickOptions;
    /** the process's CPU time in ms (Node: process.cpuUsage) */
    cpuClock?: () => number;
  } = {},
): Promise<LabStepBench> {
  const steps = opts.steps ?? 10;
  const warmup = opts.warmup ?? 3;
  const wanted = opts.backend ?? 'wasm';
  const choice = await pickBackend(wanted, opts.pick);
  if (choice.name !== wanted)
    throw new Error(`${wanted} did not start (${choice.fallbacks.join('; ')})`);
  const m = BENCH_MODEL;
  const rng = makeRng(2024);
  const batch = {
    size: BENCH_BATCH,
    seqLen: m.seqLen,
    tokens: Int32Array.from({ length: BENCH_BATCH * m.seqLen }, () => rng.int(m.vocab)),
    targets: Int32Array.from({ length: BENCH_BATCH }, () => rng.int(m.classes)),
  };
  // one fixed batch, uploaded per step as tokenData's batchAt does
  const data: TrainingData<TokenBatch> = {
    batchAt: () => tokenBatch(batch, m.head),
    release: disposeTokenBatch,
    evaluate: () => Promise.reject(new Error('not used')),
  };
  const model = transformer(m);
  const groups = groupsOf(model.params);
  const heatmap = defaultEtaMatrix(model);
  const x0 = model.init(1);
  const config = recipe('adasam', 'torch', { lr: 1e-3, rho: 0.05 });
  const opt = new TensorOptimizer(config, x0);
  tf.dispose(Object.values(x0));
  const clock = opts.cpuClock;
  const wall: number[][] = [[], [], [], []];
  const cpu: number[][] = [[], [], [], []];
  for (let i = 0; i < warmup + steps; i++) {
    const w = [performance.now()];
    const c = [clock?.() ?? 0];
    const mark = () => {
      w.push(performance.now());
      c.push(clock?.() ?? 0);
    };
    const info = await trainStep(opt, model, data, { step: i, size: BENCH_BATCH, seed: 1 });
    if (!info?.eta) throw new Error('benchmark step diverged or kept no η');
    mark();
    await stepDiagnostics(info);
    mark();
    await etaStatistics(info.eta, groups, heatmap, undefined, etaCeiling(config, i + 1));
    mark();
    info.release();
    if (i < warmup) continue;
    for (let k = 0; k < 3; k++) {
      wall[k].push(w[k + 1] - w[k]);
      cpu[k].push(c[k + 1] - c[k]);
    }
    wall[3].push(w[3] - w[0]);
    cpu[3].push(c[3] - c[0]);
  }
  opt.dispose();
  const figures = (a: number[][]) => ({
    trainStepMs: median(a[0]),
    diagnosticsMs: median(a[1]),
    etaStatsMs: median(a[2]),
    totalMs: median(a[3]),
  });
  return {
    backend: tf.getBackend(),
    steps,
    paramTensors: model.params.length,
    ...figures(wall),
    cpuTime: clock ? figures(cpu) : null,
  };
}

/** The bench on wasm in Node (from node_modules, as scripts/bench.ts starts it), with CPU time. */
export const benchLabStepNode = (steps = 10): Promise<LabStepBench> =>
  benchLabStep({
    backend: 'wasm',
    steps,
    pick: { nodeWasmDir: `${process.cwd()}/node_modules/@tensorflow/tfjs-backend-wasm/dist/` },
    cpuClock: () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    },
  });
