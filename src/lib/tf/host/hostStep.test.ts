/**
 * The host step (cpu and wasm) against the op path, the reference (leafStep.ts over lib/optim's
 * ascend and update on tensorSpace, itself checked against the golden files), on each backend:
 * the same bits for the norm, δ, x + δ and the update of every family member under both presets,
 * and TensorOptimizer's host step equal to `fused: false` in weights, scalars and intermediates,
 * in steps that commit and in steps that must not, leaving no tensor behind.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FAMILY_NAMES,
  recipe,
  type FamilyName,
  type OptimizerConfig,
  type Preset,
} from '../../optim/config';
import { ascentDelta, ascentDirection } from '../../optim/perturb';
import { stepFinite, update, type OptState } from '../../optim/step';
import { mapValueAndGrad } from '../maps';
import { TensorOptimizer, type StepOptions, type TensorStep } from '../optimizer';
import { useWasm } from '../roberta/tinyModel';
import { leafwiseNorm, tensorSpace, type TensorMap } from '../tensorSpace';
import { radiusScale, shiftArrays, sqrt32, sumPartials, sumSquares } from './ascentArrays';
import { hostArrays, type HostArrays } from './hostArrays';
import { updateArrays, updateAttrs } from './updateArrays';

afterAll(() => tf.setBackend('cpu'));

/** Deterministic values of mixed sign and scale (no RNG: the same inputs on every machine). */
const values = (n: number, seed: number, scale: number) =>
  Float32Array.from({ length: n }, (_, i) => scale * Math.sin(seed * 12.9898 + i * 78.233) ** 3);

const bits = (a: ArrayLike<number>) => Array.from(new Uint32Array(Float32Array.from(a).buffer));

const configs = FAMILY_NAMES.flatMap((name) =>
  (['paper', 'torch'] as Preset[]).map((preset) => ({
    name: `${name} ${preset}`,
    config: recipe(name, preset, { lr: 0.01 }),
  })),
);

interface Leaf {
  x: Float32Array;
  g: Float32Array;
  s: Float32Array;
  m: Float32Array;
  v: Float32Array;
  vHat: Float32Array;
}

function leafValues(n: number, edit?: (l: Leaf) => void): Leaf {
  const v = values(n, 4, 1e-3).map(Math.abs);
  const l: Leaf = {
    x: values(n, 1, 2),
    g: values(n, 2, 0.5),
    s: values(n, 3, 0.5),
    m: values(n, 5, 0.1),
    v,
    // v̂ ≥ v in some coordinates, below it in others, so the max takes both sides
    vHat: v.map((a, j) => (j % 3 === 0 ? a * 2 : a / 2)),
  };
  l.g[7] = 0; // a coordinate with no gradient
  edit?.(l);
  return l;
}

/** lib/optim's update and stepFinite on tensorSpace: [x, m, v?, v̂?, η?, ok]. */
async function opUpdate(c: OptimizerConfig, k: number, l: Leaf) {
  const t = (a: Float32Array) => ({ w: tf.tensor1d(a) });
  const result = tf.tidy(() => {
    const state: OptState<TensorMap> = {
      k: k - 1,
      m: t(l.m),
      second: c.adaptive ? { v: t(l.v), vHat: t(l.vHat) } : null,
    };
    // g_t with weight decay (spec §4.3), as lib/optim's ascend forms it
    const g =
      c.weightDecay > 0
        ? tensorSpace.add(t(l.g), tensorSpace.scale(t(l.x), c.weightDecay))
        : t(l.g);
    const next = update(tensorSpace, c, t(l.x), state, g);
    const ok = stepFinite(tensorSpace, [], {}, g, next);
    return [
      next.x.w,
      next.state.m.w,
      ...(next.state.second ? [next.state.second.v.w, next.state.second.vHat.w] : []),
      ...(next.eta ? [next.eta.w] : []),
      g.w,
      tf.cast(ok, 'float32'),
    ];
  });
  const out = await Promise.all(result.map((r) => r.data()));
  tf.dispose(result);
  return out.map((a) => Array.from(a));
}

function hostUpdate(c: OptimizerConfig, k: number, l: Leaf) {
  const n = l.x.length;
  const a = updateAttrs(c, k);
  const out = {
    x: new Float32Array(n),
    m: new Float32Array(n),
    v: c.adaptive ? new Float32Array(n) : null,
    vHat: c.adaptive ? new Float32Array(n) : null,
    eta: c.adaptive ? new Float32Array(n) : null,
    g: new Float32Array(n),
  };
  const inputs = {
    x: l.x,
    g: l.g,
    m: l.m,
    v: c.adaptive ? l.v : null,
    vHat: c.adaptive ? l.vHat : null,
  };
  const ok = updateArrays(a, inputs, out);
  // the check alone (nothing written) gives the same flag
  expect(updateArrays(a, inputs, null)).toBe(ok);
  return [out.x, out.m, out.v, out.vHat, out.eta, c.weightDecay > 0 ? out.g : l.g, [ok ? 1 : 0]]
    .filter((a): a is Float32Array | number[] => a !== null)
    .map((a) => Array.from(a));
}

/** The op path's global norm, δ and x + δ over a map of tensors, as leafStep computes them. */
async function opAscent(c: OptimizerConfig, x: TensorMap, s: TensorMap) {
  const keys = Object.keys(x);
  const one = (m: TensorMap, k: string) => ({ [k]: m[k] });
  const r = tf.tidy(() => {
    const norm = leafwiseNorm(
      keys.map((k) => () => ascentDirection(tensorSpace, c, one(x, k), one(s, k))[k]),
    );
    const delta = keys.map((k) => ascentDelta(tensorSpace, c, one(x, k), one(s, k), norm)[k]);
    const shifted = keys.map((k, i) => tf.add(x[k], delta[i]));
    return [norm, ...delta, ...shifted];
  });
  const out = await Promise.all(r.map((t) => t.data()));
  tf.dispose(r);
  return out.map((a) => Array.from(a));
}

function hostAscent(host: HostArrays, c: OptimizerConfig, x: TensorMap, s: TensorMap) {
  const keys = Object.keys(x);
  const asam = c.perturbation === 'asam' ? { eta: Math.fround(c.asamEta) } : null;
  const parts = keys.map((k) => sumSquares(host.sum, host.read(s[k]), host.read(x[k]), asam).sum);
  const norm = sqrt32(sumPartials(host.sum, parts));
  const scale = radiusScale(norm, c.rho, c.perturbEps);
  const delta = keys.map((k) => new Float32Array(x[k].size));
  const shifted = keys.map((k) => new Float32Array(x[k].size));
  keys.forEach((k, i) =>
    shiftArrays(host.read(x[k]), host.read(s[k]), scale, asam, shifted[i], delta[i]),
  );
  return [[norm], ...delta, ...shifted].map((a) => Array.from(a));
}

/** A small MLP: four parameter tensors, so norms and sums run over several. */
function mlp() {
  const X = tf.tensor2d(values(24, 6, 1), [8, 3]);
  const y = tf.tensor2d(values(16, 7, 1), [8, 2]);
  const x0: TensorMap = {
    W1: tf.tensor2d(values(15, 8, 0.8), [3, 5]),
    b1: tf.tensor1d(values(5, 9, 0.1)),
    W2: tf.tensor2d(values(10, 10, 0.8), [5, 2]),
    b2: tf.tensor1d(values(2, 11, 0.1)),
  };
  const loss = (p: TensorMap): tf.Scalar =>
    tf.losses.meanSquaredError(
      y,
      tf.add(
        tf.matMul(tf.tanh(tf.add(tf.matMul(X, p.W1 as tf.Tensor2D), p.b1)), p.W2 as tf.Tensor2D),
        p.b2,
      ),
    ) as tf.Scalar;
  return { x0, loss, dispose: () => tf.dispose([X, y, ...Object.values(x0)]) };
}

type Read = Record<string, number[][] | number | null>;

/** Everything a step returns, as bits (intermediates in key order), then released. */
async function readStep(info: TensorStep | null | { release(): void }): Promise<Read | null> {
  if (!info) return null;
  const step = info as Partial<TensorStep>;
  const maps = async (m: TensorMap | null | undefined) =>
    m ? Promise.all(Object.values(m).map(async (t) => bits(await t.data()))) : null;
  const out: Read = {
    loss: step.loss ?? null,
    sNorm: step.sNorm ?? null,
    lossPerturbed: step.lossPerturbed ?? null,
    gradNorm: step.gradNorm ?? null,
    gradEvals: step.gradEvals ?? null,
    s: await maps(step.s),
    delta: await maps(step.delta),
    g: await maps(step.g),
    eta: await maps(step.eta),
  };
  info.release();
  return out;
}

/** Runs `steps` steps with the options of each; the record of every step and the final state. */
async function run(
  config: OptimizerConfig,
  fused: boolean,
  options: StepOptions[],
  lossAt: (t: number, loss: (p: TensorMap) => tf.Scalar) => (p: TensorMap) => tf.Scalar = (_, f) =>
    f,
  x0Edit?: (x0: TensorMap) => TensorMap,
) {
  const model = mlp();
  const x0 = x0Edit ? x0Edit(model.x0) : model.x0;
  const before = tf.memory().numTensors;
  const opt = new TensorOptimizer(config, x0, { fused });
  const steps: (Read | null)[] = [];
  for (let t = 0; t < options.length; t++)
    steps.push(await readStep(await opt.step(lossAt(t, model.loss), options[t])));
  const weights = await opt.getWeights();
  const status = opt.status;
  opt.dispose();
  // nothing of the steps is left behind, committed or refused
  expect(tf.memory().numTensors).toBe(before);
  if (x0 !== model.x0) tf.dispose(Object.values(x0));
  model.dispose();
  const state = JSON.stringify(weights, (_, v: unknown) =>
    v instanceof Float32Array ? bits(v) : v,
  );
  return { steps, state, status };
}

/** Step options that go through every branch: kept or not, ‖s‖ asked for, a schedule's γ_t. */
const OPTIONS: StepOptions[] = [
  {},
  { intermediates: false },
  { gradNorm: true },
  { intermediates: false, gradNorm: true, lr: 0.003 },
  { lr: 0.02, gradNorm: true },
];

describe.each(['cpu', 'wasm'])('host step on %s', (backend) => {
  let host: HostArrays;
  beforeAll(async () => {
    if (backend === 'wasm') await useWasm();
    else await tf.setBackend('cpu');
    host = hostArrays()!;
    expect(host.sum).toBe(backend === 'cpu' ? 'float64' : 'float32');
  });

  it('reads and allocates tensors in place (a written value is the tensor’s)', async () => {
    const t = host.alloc([2, 3]);
    host.read(t).set([1, 2, 3, 4, 5, 6]);
    expect(t.shape).toEqual([2, 3]);
    expect(Array.from(await t.data())).toEqual([1, 2, 3, 4, 5, 6]);
    const u = tf.tensor1d([7, 8]);
    expect(Array.from(host.read(u))).toEqual([7, 8]);
    tf.dispose([t, u]);
  });

  for (const name of ['sam', 'asam'] as FamilyName[])
    it(`${name}: the op path's bits for the norm, δ and x + δ over tensors of 1 to 70,000 entries`, async () => {
      const c = recipe(name, 'paper', { rho: 0.05 });
      const sizes = [1, 7, 1000, 70_000];
      const x = Object.fromEntries(
        sizes.map((n, i) => [`p${i}`, tf.tensor1d(values(n, i + 1, 3))]),
      );
      // gradients of very different scales, so the order of the additions matters
      const s = Object.fromEntries(
        sizes.map((n, i) => [`p${i}`, tf.tensor1d(values(n, i + 20, 10 ** (i - 2)))]),
      );
      const expected = await opAscent(c, x, s);
      const actual = hostAscent(host, c, x, s);
      expect(actual.map(bits)).toEqual(expected.map(bits));
      // and the two accumulations really differ here: the other one misses
      const other: HostArrays = { ...host, sum: host.sum === 'float32' ? 'float64' : 'float32' };
      expect(bits(hostAscent(other, c, x, s)[0])).not.toEqual(bits(expected[0]));
      tf.dispose([...Object.values(x), ...Object.values(s)]);
    });

  for (const { name, config } of configs)
    for (const weightDecay of [0, 0.01])
      it(`${name}, λ = ${weightDecay}: the op path's update bits at steps 1 and 7`, async () => {
        const c = { ...config, weightDecay };
        for (const k of [1, 7]) {
          const expected = await opUpdate(c, k, leafValues(257));
          expect(hostUpdate(c, k, leafValues(257)).map(bits)).toEqual(expected.map(bits));
          expect(expected.at(-1)).toEqual([1]);
        }
      });

  it('refuses an update when g² overflows, g has a NaN or x_{t+1} overflows, as the op path does', async () => {
    const cases: [OptimizerConfig, (l: Leaf) => void][] = [
      // ((1−β2)·g)·g = 9e41 is beyond float32: v_t = ∞
      [recipe('adasam', 'torch', { lr: 0.01 }), (l) => (l.g[3] = 3e22)],
      [recipe('adasam', 'paper', { lr: 0.01 }), (l) => (l.g[11] = NaN)],
      [recipe('sgd', 'paper', { lr: 1e38 }), (l) => (l.g[5] = 1e3)],
    ];
    for (const [c, edit] of cases) {
      expect((await opUpdate(c, 2, leafValues(64, edit))).at(-1)).toEqual([0]);
      expect(hostUpdate(c, 2, leafValues(64, edit)).at(-1)).toEqual([0]);
    }
  });

  for (const { name, config } of configs)
    it(`TensorOptimizer, ${name}: the host step equals the op path over 5 steps (kept or not, ‖s‖, γ_t, λ)`, async () => {
      for (const c of [config, { ...config, weightDecay: 0.05 }]) {
        const op = await run(c, false, OPTIONS);
        const ours = await run(c, true, OPTIONS);
        expect(ours).toEqual(op);
        expect(op.status).toBe('ok');
      }
    });

  it('a step takes no kernel besides its two gradient passes', async () => {
    const model = mlp();
    const opt = new TensorOptimizer(recipe('adasam', 'torch', { lr: 0.01 }), model.x0);
    const vg = mapValueAndGrad(model.loss, Object.keys(model.x0));
    // tf.profile hands back one shared record: copy the names out before the next profile
    const names = async (f: () => unknown) =>
      (await tf.profile(f as () => void)).kernels.map((k) => k.name);
    const pass = await names(() =>
      tf.dispose(tf.tidy(() => vg(model.x0) as unknown as tf.TensorContainer)),
    );
    const step = await names(async () => (await opt.step(model.loss))!.release());
    expect(pass.length).toBeGreaterThan(10);
    expect(step).toEqual([...pass, ...pass]);
    opt.dispose();
    model.dispose();
  });

  it('refuses what the op path refuses (non-finite loss; x_{t+1} overflow) and commits what it commits (large x)', async () => {
    const nanAt3 = (t: number, f: (p: TensorMap) => tf.Scalar) => (p: TensorMap) =>
      t === 3 ? (tf.add(f(p), tf.scalar(NaN)) as tf.Scalar) : f(p);
    const huge = (t: number, f: (p: TensorMap) => tf.Scalar) => (p: TensorMap) =>
      t === 2 ? (tf.mul(f(p), tf.scalar(1e30)) as tf.Scalar) : f(p);
    // x near float32's limit: the sums cannot show the update finite, the full check does
    // (in b1, which tanh saturates, so the loss stays finite)
    const large = (x0: TensorMap): TensorMap => ({
      ...Object.fromEntries(Object.entries(x0).map(([k, v]) => [k, tf.clone(v)])),
      b1: tf.fill([5], 3e37),
    });
    const cases: [OptimizerConfig, typeof nanAt3 | undefined, typeof large | undefined, string][] =
      [
        [recipe('adasam', 'torch', { lr: 0.01 }), nanAt3, undefined, 'diverged'],
        [recipe('samAdam', 'paper', { lr: 0.01 }), nanAt3, undefined, 'diverged'],
        [recipe('sgd', 'paper', { lr: 1e10 }), huge, undefined, 'diverged'],
        [recipe('adasam', 'paper', { lr: 0.01 }), undefined, large, 'ok'],
        [recipe('sam', 'paper', { lr: 0.01 }), undefined, large, 'ok'],
      ];
    for (const [c, lossAt, x0Edit, status] of cases) {
      const op = await run(c, false, OPTIONS, lossAt, x0Edit);
      const ours = await run(c, true, OPTIONS, lossAt, x0Edit);
      expect(op.status).toBe(status);
      expect(ours).toEqual(op);
    }
  });
});
