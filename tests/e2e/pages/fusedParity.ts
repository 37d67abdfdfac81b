/**
 * The fused WebGPU optimizer programs against the op path (the oracle) and the golden files, in
 * the browser on WebGPU (served by the Vite dev server that tests/e2e/fused.spec.ts starts; never
 * part of the app's build). `window.__fusedParity()` resolves to every comparison's first
 * mismatch (null = within the spec's float32 tolerance) and the dispatch counts.
 */
import * as tf from '@tensorflow/tfjs';
import analytic from '../../fixtures/golden/analytic2d.json';
import regression from '../../fixtures/golden/regression.json';
import mlp from '../../fixtures/golden/mlp.json';
import { FAMILY_NAMES, PRESETS, recipe, type OptimizerConfig } from '../../../src/lib/optim/config';
import { getLandscape } from '../../../src/lib/landscapes';
import { pickBackend } from '../../../src/lib/tf/backend';
import { tfObjective } from '../../../src/lib/tf/landscapes';
import {
  mapValueAndGrad,
  TensorOptimizer,
  type LossFn,
  type StepSummary,
  type TensorStep,
} from '../../../src/lib/tf/optimizer';
import { crossEntropy } from '../../../src/lib/tf/model/losses';
import { forward, initParams } from '../../../src/lib/tf/model/transformer';
import { countDispatches } from '../../../src/lib/tf/fused/dispatches';
import type { TensorMap } from '../../../src/lib/tf/tensorSpace';
import type { ModelSettings } from '../../../src/lib/lab/types';

/** Spec §9.4 float32 tolerance. */
const tol = (b: number) => 1e-4 + 1e-3 * Math.abs(b);

type Trace = Record<string, number[][]>;

async function flat(m: TensorMap | null | undefined): Promise<number[]> {
  if (!m) return [];
  const parts = await Promise.all(Object.values(m).map((t) => t.data()));
  return parts.flatMap((p) => Array.from(p));
}

/** Dispatches of one gradient pass of `lossFn` at `x` (recorded only, never read). */
async function passDispatches(lossFn: LossFn, x: TensorMap): Promise<number> {
  const vg = mapValueAndGrad(lossFn, Object.keys(x));
  const { dispatches } = await countDispatches(() => tf.dispose(tf.tidy(() => vg(x).loss)));
  return dispatches;
}

/** A step's scalars as a vector (null as NaN, so that a null on one path alone shows). */
const scalars = (i: StepSummary) =>
  [i.loss, i.sNorm, i.lossPerturbed, i.gradNorm].map((v) => v ?? NaN);

/**
 * x_0…x_T and per step δ, g, m, v, v̂, η, as the golden files name them, and the step's scalars.
 * `summary`: steps without intermediates, with ‖s‖ asked for (as FineTune runs them); then δ, g
 * and η are not traced. `count`: also the most dispatches of a step outside its gradient passes,
 * from the second step on (the first starts from x_0 still on the CPU, where tfjs runs small ops
 * without dispatching).
 */
async function run(
  config: OptimizerConfig,
  x0: TensorMap,
  steps: number,
  lossAt: (t: number) => LossFn,
  opts: { fused: boolean; count?: boolean; summary?: boolean },
): Promise<{ trace: Trace; status: string; outside: number | null; leaked: number }> {
  const opt = new TensorOptimizer(config, x0, { fused: opts.fused });
  let pass = 0;
  let outside: number | null = null;
  let tensorsAfterFirst: number | null = null;
  const t: Trace = {
    x: [await flat(opt.params)],
    delta: [],
    g: [],
    m: [],
    v: [],
    vhat: [],
    eta: [],
    scalars: [],
  };
  for (let i = 0; i < steps; i++) {
    const counting = opts.count === true && i >= 1;
    if (counting && i === 1) pass = await passDispatches(lossAt(i), opt.params);
    const { result: info, dispatches } = await countDispatches(() =>
      opts.summary
        ? opt.step(lossAt(i), { intermediates: false, gradNorm: true })
        : opt.step(lossAt(i)),
    );
    if (!info) break;
    if (counting) outside = Math.max(outside ?? 0, dispatches - info.gradEvals * pass);
    t.scalars.push(scalars(info));
    // every readback of the step at once: one GPU round trip's wait, not seven in a row
    const kept = opts.summary ? null : (info as TensorStep);
    const [delta, g, eta, m, v, vhat, x] = await Promise.all([
      kept?.delta ? flat(kept.delta) : null,
      flat(kept?.g),
      flat(kept?.eta),
      flat(opt.state.m),
      flat(opt.state.second?.v),
      flat(opt.state.second?.vHat),
      flat(opt.params),
    ]);
    if (kept) {
      t.delta.push(delta ?? t.x[0].map(() => 0));
      t.g.push(g);
      t.eta.push(eta);
    }
    t.m.push(m);
    t.v.push(v);
    t.vhat.push(vhat);
    info.release();
    t.x.push(x);
    // tensors alive after each released step: the same from the first step on
    if (i === 0) tensorsAfterFirst = tf.memory().numTensors;
  }
  const leaked = tf.memory().numTensors - (tensorsAfterFirst ?? tf.memory().numTensors);
  const status = opt.status;
  opt.dispose();
  return { trace: t, status, outside, leaked };
}

/**
 * The first entry of `a` outside the tolerance of `b`. With `etaCap`, η entries whose reference
 * is at least etaCap are left out: there √v̂ is at most about ε, so |g| is at round-off level, as
 * for the tiny transformer's key bias, whose gradient is zero in exact arithmetic (softmax is
 * shift-invariant); η = 1/(√v̂ + ε) is then round-off over ε and differs between any two
 * summation orders.
 */
function mismatch(
  a: Trace,
  b: Record<string, unknown>,
  keys: string[],
  etaCap = Infinity,
): string | null {
  for (const key of keys) {
    const as = a[key];
    const bs = b[key] as number[][] | number[] | undefined;
    if (!bs) continue;
    if (as.length !== bs.length) return `${key}: ${as.length} steps vs ${bs.length}`;
    for (let s = 0; s < bs.length; s++) {
      const want = typeof bs[s] === 'number' ? [bs[s] as number] : (bs[s] as number[]);
      for (let i = 0; i < want.length; i++)
        if (key === 'eta' && want[i] >= etaCap) continue;
        // (NaN stands for a null scalar: equal only to NaN)
        else if (!(Object.is(as[s][i], want[i]) || Math.abs(as[s][i] - want[i]) <= tol(want[i])))
          return `${key}[${s}][${i}]: ${as[s][i]} vs ${want[i]}`;
    }
  }
  return null;
}

const KEYS = ['x', 'delta', 'g', 'm', 'v', 'vhat', 'eta', 'scalars'];

interface Case {
  name: string;
  config: OptimizerConfig;
  x0: () => TensorMap;
  steps: number;
  lossAt: (t: number) => LossFn;
  golden?: Record<string, unknown>;
  /** fused vs op path: leave out η where it is round-off over ε (see mismatch) */
  etaAtRoundOff?: boolean;
  /** steps without intermediates, ‖s‖ asked for (see run) */
  summary?: boolean;
}

function goldenCases(): Case[] {
  const cases: Case[] = [];
  for (const [problem, p] of Object.entries(analytic.problems)) {
    const f = tfObjective(getLandscape(problem)!);
    for (const [name, r] of Object.entries(
      p.runs as Record<string, { config: OptimizerConfig; trace: unknown }>,
    ))
      cases.push({
        name: `${problem}/${name}`,
        config: r.config,
        x0: () => ({ x: tf.tensor1d(p.x0) }),
        steps: p.steps,
        lossAt: () => (q) => f(q.x as tf.Tensor1D),
        // quadratic/sam: the documented float32 exception of src/lib/tf/golden.test.ts (m only)
        golden:
          problem === 'quadratic' && name === 'sam'
            ? { x: (r.trace as Trace).x }
            : (r.trace as Record<string, unknown>),
      });
  }
  // a step that must not commit: x_{t+1} overflows (SGD), or the loss after the first step (AdaSAM)
  const rosenbrock = tfObjective(getLandscape('rosenbrock')!);
  for (const name of ['sgd', 'adasam'] as const)
    cases.push({
      name: `rosenbrock/diverges_${name}`,
      config: recipe(name, 'torch', { lr: 3e38 }),
      x0: () => ({ x: tf.tensor1d(analytic.problems.rosenbrock.x0) }),
      steps: 3,
      lossAt: () => (q) => rosenbrock(q.x as tf.Tensor1D),
    });
  // a non-finite loss with finite gradients (a constant +∞): the loss alone must stop the step
  const wells = tfObjective(getLandscape('wells')!);
  cases.push({
    name: 'wells/nonfinite_loss_adasam',
    config: recipe('adasam', 'torch', { lr: 0.05 }),
    x0: () => ({ x: tf.tensor1d([-0.45, 0.3]) }),
    steps: 2,
    lossAt: () => (q) => tf.add(wells(q.x as tf.Tensor1D), tf.scalar(Infinity)) as tf.Scalar,
  });
  // the family members and presets the golden files do not cover, vs the op path only
  const f = tfObjective(getLandscape('wells')!);
  for (const name of FAMILY_NAMES)
    for (const preset of Object.keys(PRESETS) as (keyof typeof PRESETS)[])
      cases.push({
        name: `wells/${name}_${preset}`,
        config: recipe(name, preset, { lr: 0.05, weightDecay: name === 'samAdam' ? 0.01 : 0 }),
        x0: () => ({ x: tf.tensor1d([-0.45, 0.3]) }),
        steps: 50,
        lossAt: () => (q) => f(q.x as tf.Tensor1D),
      });
  for (const g of [regression, mlp] as {
    kind: string;
    x0: number[];
    steps: number;
    data: { X: number[][]; y: number[] };
    batches: number[][];
    runs: Record<string, { config: OptimizerConfig; trace: Record<string, unknown> }>;
  }[]) {
    const params = (th: number[]): TensorMap =>
      g.kind === 'mlp'
        ? {
            K1: tf.tensor2d(th.slice(0, 6), [2, 3]),
            b1: tf.tensor1d(th.slice(6, 9)),
            K2: tf.tensor2d(th.slice(9, 12), [3, 1]),
            b2: tf.tensor1d(th.slice(12)),
          }
        : { w: tf.tensor2d(th.slice(0, 3), [3, 1]), c: tf.tensor1d(th.slice(3)) };
    const predict = (p: TensorMap, X: tf.Tensor2D) =>
      g.kind === 'mlp'
        ? tf.add(
            tf.matMul(
              tf.tanh(tf.add(tf.matMul(X, p.K1 as tf.Tensor2D), p.b1)),
              p.K2 as tf.Tensor2D,
            ),
            p.b2,
          )
        : tf.add(tf.matMul(X, p.w as tf.Tensor2D), p.c);
    for (const [name, r] of Object.entries(g.runs))
      cases.push({
        name: `${g.kind}/${name}`,
        config: r.config,
        x0: () => params(g.x0),
        steps: g.steps,
        lossAt: (t) => (p) =>
          tf.losses.meanSquaredError(
            tf.tensor2d(g.batches[t].map((i) => [g.data.y[i]])),
            predict(p, tf.tensor2d(g.batches[t].map((i) => g.data.X[i]))),
          ) as tf.Scalar,
        golden: r.trace,
      });
    // FineTune's steps: no intermediates, ‖s‖ asked for (SAM, ASAM beside its own norm, ρ = 0,
    // weight decay), vs the op path
    if (g.kind === 'mlp')
      for (const [name, config] of [
        ['adasam', recipe('adasam', 'torch', { lr: 0.01 })],
        ['asam', recipe('asam', 'paper', { lr: 0.05 })],
        ['amsgrad', recipe('amsgrad', 'torch', { lr: 0.01 })],
        ['samAdam', recipe('samAdam', 'paper', { lr: 0.01, weightDecay: 0.01 })],
      ] as const)
        cases.push({
          name: `mlp/summary_${name}`,
          config,
          x0: () => params(g.x0),
          steps: 20,
          lossAt: (t) => (p) =>
            tf.losses.meanSquaredError(
              tf.tensor2d(g.batches[t].map((i) => [g.data.y[i]])),
              predict(p, tf.tensor2d(g.batches[t].map((i) => g.data.X[i]))),
            ) as tf.Scalar,
          summary: true,
        });
  }
  return cases;
}

const TINY: ModelSettings = {
  layers: 1,
  dModel: 8,
  heads: 2,
  mlp: 16,
  dropout: 0,
  vocab: 12,
  seqLen: 6,
  head: 'classify',
  classes: 12,
};

function transformerLoss(m: ModelSettings, batch: number, seed: number): LossFn {
  const tokens = tf.tensor2d(
    Int32Array.from({ length: batch * m.seqLen }, (_, i) => (i * 7 + seed) % m.vocab),
    [batch, m.seqLen],
    'int32',
  );
  const labels = tf.tensor1d(
    Int32Array.from({ length: batch }, (_, i) => (i * 5 + seed) % m.classes),
    'int32',
  );
  return (p) => crossEntropy(forward(p, tokens, m), labels, m.classes);
}

function transformerCases(steps: number): Case[] {
  const loss = transformerLoss(TINY, 4, 1);
  return FAMILY_NAMES.flatMap((name) =>
    (Object.keys(PRESETS) as (keyof typeof PRESETS)[]).map((preset) => ({
      name: `transformer/${name}_${preset}`,
      config: recipe(name, preset, { lr: preset === 'paper' ? 1e-3 : 1e-2 }),
      x0: () => initParams(TINY, 3),
      // `steps` for the paper's AdaSAM; the others 2, so that m, v and v̂ carry over once (a
      // SwiftShader step of both paths takes 2–4 s here; the 50 steps of every member and preset
      // are the golden and wells cases above)
      steps: name === 'adasam' && preset === 'paper' ? steps : Math.min(steps, 2),
      lossAt: () => loss,
      etaAtRoundOff: true,
    })),
  );
}

/**
 * Dispatches of one AdaSAM step outside its two gradient passes, op path and fused, with the
 * step's intermediates kept (as the lab keeps them): the second step, its passes counted at the
 * parameters it starts from.
 */
async function dispatchCounts(m: ModelSettings, batch: number) {
  const loss = transformerLoss(m, batch, 2);
  const x0 = initParams(m, 4);
  const keys = Object.keys(x0);
  const outside = async (fused: boolean) => {
    const opt = new TensorOptimizer(recipe('adasam', 'torch', { lr: 1e-3, rho: 0.05 }), x0, {
      fused,
    });
    (await opt.step(loss))?.release(); // compiles every pipeline first
    const pass = await passDispatches(loss, opt.params);
    const { dispatches } = await countDispatches(async () => (await opt.step(loss))?.release());
    opt.dispose();
    return dispatches - 2 * pass;
  };
  const result = {
    paramTensors: keys.length,
    op: await outside(false),
    fused: await outside(true),
    target: keys.length + 4,
  };
  tf.dispose(Object.values(x0));
  return result;
}

(window as unknown as { __fusedParity: unknown }).__fusedParity = async (opts: {
  transformerSteps: number;
  /** only the cases whose names match (for a quick local run) */
  only?: string;
}) => {
  const choice = await pickBackend('webgpu');
  if (choice.name !== 'webgpu') return { error: `no WebGPU here: ${choice.fallbacks.join('; ')}` };
  const results: {
    name: string;
    fusedVsOp: string | null;
    fusedVsGolden: string | null;
    status: string;
    leaked: number;
    dispatches: { outside: number; target: number } | null;
  }[] = [];
  const cases = [...goldenCases(), ...transformerCases(opts.transformerSteps)].filter((c) =>
    new RegExp(opts.only ?? '').test(c.name),
  );
  for (const [i, c] of cases.entries()) {
    document.getElementById('out')!.textContent = `${i + 1}/${cases.length} ${c.name}`;
    const x0 = c.x0();
    const started = performance.now();
    const op = await run(c.config, x0, c.steps, c.lossAt, { fused: false, summary: c.summary });
    const fused = await run(c.config, x0, c.steps, c.lossAt, {
      fused: true,
      summary: c.summary,
      count: !c.name.startsWith('transformer/'),
    });
    tf.dispose(Object.values(x0));
    const result = {
      name: c.name,
      fusedVsOp:
        op.status !== fused.status
          ? `status ${fused.status} vs ${op.status}`
          : mismatch(
              fused.trace,
              op.trace,
              KEYS,
              c.etaAtRoundOff ? 1 / (2 * c.config.eps) : Infinity,
            ),
      fusedVsGolden: c.golden ? mismatch(fused.trace, c.golden, KEYS) : null,
      status: fused.status,
      leaked: fused.leaked,
      dispatches:
        fused.outside === null
          ? null
          : { outside: fused.outside, target: Object.keys(x0).length + 4 },
    };
    console.info(`case ${JSON.stringify(result)} ${Math.round(performance.now() - started)} ms`);
    results.push(result);
  }
  return { results, dispatches: await dispatchCounts(TINY, 4) };
};

/** The dispatch counts alone, on the model `m` (scripts/benchBrowser.ts: the benchmark model). */
(window as unknown as { __fusedDispatches: unknown }).__fusedDispatches = async (
  m: ModelSettings,
  batch: number,
) => {
  const choice = await pickBackend('webgpu');
  if (choice.name !== 'webgpu') throw new Error(`no WebGPU here: ${choice.fallbacks.join('; ')}`);
  return dispatchCounts(m, batch);
};
document.getElementById('out')!.textContent = 'ready';
