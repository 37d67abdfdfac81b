/**
 * The op path's step (leafStep.ts) against two oracles: lib/optim's proposeStep over tensorSpace
 * (spec §4 in float32, every tensor's proposal made at once and committed after its flag: what
 * the step computed before it went tensor by tensor), bit for bit, and the float64 run of
 * lib/optim at float32 tolerance. A step that is not finite must leave every tensor as it was
 * (spec §7.5), whether its gradient is not finite or its update overflows only in float32; and
 * the step must hold fewer parameter-sized tensors than the proposal did.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { recipe, type OptimizerConfig } from '../optim/config';
import { runVec } from '../optim/run';
import { initState, proposeStep, type OptState } from '../optim/step';
import { F32_TOL, firstMismatch } from '../testing/golden';
import { UPDATE_PIECE } from './leafStep';
import { mapValueAndGrad } from './maps';
import { TensorOptimizer, type LossFn, type OptimizerWeights } from './optimizer';
import { lookup } from './roberta/embedding';
import { tensorSpace, type TensorMap } from './tensorSpace';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** More elements than one update piece: E is updated in two pieces. */
const N = UPDATE_PIECE + 1424;

/** Deterministic values in [−1, 1) (a fixed LCG: the test needs no library's PRNG). */
function values(n: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/**
 * f(E, w, b, z) = ½·mean(q⊙(E − c)²) + ½(1 + b²)·Σ(w − u)² + Σ k⊙z, in key order E, w, b, z.
 * Its gradient is written out in float64 for the reference run; `k` (the gradient of z) is
 * chosen per step by the tests that make an update overflow.
 */
const q = values(N, 1).map((a) => 1 + a * a);
const c = values(N, 2).map((a) => Math.fround(a));
const u = values(16, 3).map((a) => Math.fround(a));
const kDefault = [0.5, -0.25, 1];

const x0Values = () => ({
  E: Float32Array.from(values(N, 4)),
  w: Float32Array.from(values(16, 5)),
  b: Float32Array.of(0.5),
  z: Float32Array.of(0.1, 0.2, 0.3),
});

const toTensors = (v: Record<string, Float32Array>): TensorMap => ({
  E: tf.tensor2d(v.E, [N / 16, 16]),
  w: tf.tensor1d(v.w),
  b: tf.tensor1d(v.b),
  z: tf.tensor1d(v.z),
});

function lossOf(k: number[]): LossFn {
  return (p) =>
    tf.tidy(() => {
      const d = tf.sub(tf.reshape(p.E, [-1]), tf.tensor1d(Float32Array.from(c)));
      const fit = tf.mul(0.5, tf.mean(tf.mul(tf.tensor1d(Float32Array.from(q)), tf.square(d))));
      const wu = tf.sum(tf.square(tf.sub(p.w, tf.tensor1d(Float32Array.from(u)))));
      const coupled = tf.mul(tf.mul(0.5, tf.add(1, tf.square(p.b))), wu);
      const linear = tf.sum(tf.mul(tf.tensor1d(k), p.z));
      return tf.add(tf.add(fit, tf.reshape(coupled, [])), linear) as tf.Scalar;
    });
}

/** The same objective in float64 over [E, w, b, z] flattened. */
function valueAndGrad64(x: number[]): { loss: number; grad: number[] } {
  const grad = new Array<number>(x.length).fill(0);
  let fit = 0;
  for (let i = 0; i < N; i++) {
    const d = x[i] - c[i];
    fit += q[i] * d * d;
    grad[i] = (q[i] * d) / N;
  }
  const b = x[N + 16];
  let wu = 0;
  for (let j = 0; j < 16; j++) {
    const d = x[N + j] - u[j];
    wu += d * d;
    grad[N + j] = (1 + b * b) * d;
  }
  grad[N + 16] = b * wu;
  let linear = 0;
  for (let j = 0; j < 3; j++) {
    linear += kDefault[j] * x[N + 17 + j];
    grad[N + 17 + j] = kDefault[j];
  }
  return { loss: (0.5 * fit) / N + 0.5 * (1 + b * b) * wu + linear, grad };
}

/** Where two checkpoints differ in any bit (the first element named), or null. */
function firstBitDifference(a: OptimizerWeights, b: OptimizerWeights): string | null {
  if (a.k !== b.k) return `k: ${a.k} vs ${b.k}`;
  for (const part of ['x', 'm', 'v', 'vHat'] as const) {
    const [pa, pb] = [a[part], b[part]];
    if (!pa || !pb) {
      if (pa !== pb) return `${part}: present in one only`;
      continue;
    }
    for (const key of Object.keys(pb)) {
      const [ua, ub] = [new Uint32Array(pa[key].buffer), new Uint32Array(pb[key].buffer)];
      if (ua.length !== ub.length) return `${part}.${key}: length`;
      for (let i = 0; i < ua.length; i++)
        if (ua[i] !== ub[i]) return `${part}.${key}[${i}]: ${pa[key][i]} vs ${pb[key][i]}`;
    }
  }
  return null;
}

/**
 * The reference: proposeStep over tensorSpace (every tensor's new state made at once), its ok
 * flag read, and the proposal adopted only when ok, as plain tensors.
 */
class Reference {
  x: TensorMap;
  state: OptState<TensorMap>;
  constructor(
    readonly config: OptimizerConfig,
    x0: TensorMap,
  ) {
    this.x = tf.tidy(() => Object.fromEntries(Object.entries(x0).map(([k, t]) => [k, t.clone()])));
    this.state = tf.tidy(
      () => initState(tensorSpace, config, x0) as unknown as tf.TensorContainer,
    ) as unknown as OptState<TensorMap>;
  }

  /** One step; false (and nothing changed) when the proposal is not finite. */
  async step(f: LossFn, lr?: number): Promise<boolean> {
    const config = lr === undefined ? this.config : { ...this.config, lr };
    const p = tf.tidy(() => {
      const r = proposeStep(
        tensorSpace,
        config,
        this.x,
        this.state,
        mapValueAndGrad(f, ['E', 'w', 'b', 'z']),
      );
      return { x: r.x, state: r.state, ok: r.ok } as unknown as tf.TensorContainer;
    }) as unknown as { x: TensorMap; state: OptState<TensorMap>; ok: tf.Scalar };
    const ok = (await p.ok.data())[0] === 1;
    const [keep, drop] = ok ? [p, this] : [this, p];
    tf.dispose([...this.tensors(drop.x, drop.state), p.ok]);
    this.x = keep.x;
    this.state = keep.state;
    return ok;
  }

  tensors(x: TensorMap, s: OptState<TensorMap>): tf.Tensor[] {
    return [x, s.m, s.second?.v, s.second?.vHat].flatMap((m) => (m ? Object.values(m) : []));
  }

  async weights(k: number): Promise<OptimizerWeights> {
    const read = async (m: TensorMap | undefined) => {
      if (!m) return null;
      const out: Record<string, Float32Array> = {};
      for (const key of Object.keys(m)) out[key] = ((await m[key].data()) as Float32Array).slice();
      return out;
    };
    return {
      k,
      x: (await read(this.x))!,
      m: (await read(this.state.m))!,
      v: await read(this.state.second?.v),
      vHat: await read(this.state.second?.vHat),
    };
  }

  dispose(): void {
    tf.dispose(this.tensors(this.x, this.state));
  }
}

/** [name, intermediates kept, config] */
const CASES: [string, boolean, OptimizerConfig][] = [
  ['AdaSAM, paper preset', true, recipe('adasam', 'paper', { lr: 0.01 })],
  ['AdaSAM, paper preset', false, recipe('adasam', 'paper', { lr: 0.01 })],
  [
    'AdaSAM, torch preset, weight decay',
    false,
    recipe('adasam', 'torch', { lr: 0.01, weightDecay: 0.1 }),
  ],
  ['ASAM', true, recipe('asam', 'paper', { lr: 0.01 })],
  ['Adam (v̂ is v)', true, recipe('adam', 'torch', { lr: 0.01 })],
  ['Adam (v̂ is v)', false, recipe('adam', 'torch', { lr: 0.01 })],
  ['SGD-momentum', false, recipe('sgdm', 'paper', { lr: 0.01 })],
];

describe('a step tensor by tensor', () => {
  it.each(CASES)(
    '%s (intermediates %s): commits what proposeStep proposes, bit for bit, 3 steps',
    async (_, keep, config) => {
      const start = toTensors(x0Values());
      const opt = new TensorOptimizer(config, start);
      const ref = new Reference(config, start);
      tf.dispose(Object.values(start));
      const f = lossOf(kDefault);
      for (let t = 0; t < 3; t++) {
        const info = await opt.step(f, { intermediates: keep });
        expect(info).not.toBeNull();
        info!.release();
        expect(await ref.step(f)).toBe(true);
        expect(firstBitDifference(await opt.getWeights(), await ref.weights(t + 1))).toBeNull();
      }
      opt.dispose();
      ref.dispose();
    },
  );

  it('AdaSAM stays within float32 tolerance of the float64 run (spec §9.4)', async () => {
    const config = recipe('adasam', 'paper', { lr: 0.01 });
    const v = x0Values();
    const flat = [...v.E, ...v.w, ...v.b, ...v.z];
    const run64 = runVec(config, flat, 3, () => valueAndGrad64);
    const start = toTensors(v);
    const opt = new TensorOptimizer(config, start);
    tf.dispose(Object.values(start));
    for (let t = 0; t < 3; t++)
      (await opt.step(lossOf(kDefault), { intermediates: false }))!.release();
    const w = await opt.getWeights();
    const x32 = [...w.x.E, ...w.x.w, ...w.x.b, ...w.x.z];
    expect(firstMismatch(x32, run64.xs[3], F32_TOL)).toBeNull();
    // and the run moved: not a comparison of x0 with itself
    expect(firstMismatch(flat, run64.xs[3], F32_TOL)).not.toBeNull();
    opt.dispose();
  });
});

describe('a step that is not finite commits nothing (spec §7.5)', () => {
  /**
   * Two good steps, then the bad one: it must return null, mark the run diverged, leave x, m,
   * v, v̂ and k of every tensor as they were, free what it made, and be rejected by the
   * reference too.
   */
  async function rejects(config: OptimizerConfig, bad: LossFn, lr?: number): Promise<void> {
    const start = toTensors(x0Values());
    const opt = new TensorOptimizer(config, start);
    const ref = new Reference(config, start);
    tf.dispose(Object.values(start));
    for (let t = 0; t < 2; t++) {
      (await opt.step(lossOf(kDefault), { intermediates: false }))!.release();
      await ref.step(lossOf(kDefault));
    }
    const before = await opt.getWeights();
    const tensors = tf.memory().numTensors;
    expect(await opt.step(bad, { intermediates: false, lr })).toBeNull();
    expect(opt.status).toBe('diverged');
    expect(tf.memory().numTensors).toBe(tensors);
    expect(firstBitDifference(await opt.getWeights(), before)).toBeNull();
    expect(await ref.step(bad, lr)).toBe(false);
    opt.dispose();
    ref.dispose();
  }

  it('a gradient that is not finite (NaN in the last tensor)', async () => {
    await rejects(recipe('adasam', 'paper', { lr: 0.01 }), lossOf([0.5, -0.25, NaN]));
  });

  it('g finite, but g² overflows float32 in v of the last tensor only (x_{t+1} stays finite)', async () => {
    // (1 − β2)·g·g = 1e-3 · 1e42 > 3.4e38; m/√v̂ = m/∞ = 0, so x_{t+1} = x_t
    await rejects(recipe('adasam', 'paper', { lr: 0.01 }), lossOf([0.5, -0.25, 1e21]));
  });

  it('x_{t+1} overflows: γ = 1e38 moves every coordinate by about 3γ (paper preset)', async () => {
    await rejects(recipe('adasam', 'paper', { lr: 0.01 }), lossOf(kDefault), 1e38);
  });

  it('a step the overflow bound does not clear, but whose values are finite, is committed as the reference commits it', async () => {
    // γ = 1e30 is beyond the bound's reach; x_{t+1} ≈ 3e30 is finite
    const config = recipe('amsgrad', 'paper', { lr: 0.01 });
    const start = toTensors(x0Values());
    const opt = new TensorOptimizer(config, start);
    const ref = new Reference(config, start);
    tf.dispose(Object.values(start));
    for (const lr of [undefined, 1e30]) {
      (await opt.step(lossOf(kDefault), { intermediates: false, lr }))!.release();
      expect(await ref.step(lossOf(kDefault), lr)).toBe(true);
    }
    const w = await opt.getWeights();
    expect(Math.abs(w.x.z[0])).toBeGreaterThan(1e30);
    expect(firstBitDifference(w, await ref.weights(2))).toBeNull();
    opt.dispose();
    ref.dispose();
  });
});

describe('memory of a step (tf.memory)', () => {
  /**
   * A model shaped like RoBERTa's as far as memory goes: a word table looked up by a few ids (its
   * gradient is a dense scatter, as in roberta/embedding.ts) holding about half the parameters,
   * a matrix of the same size, small tensors; activations are small.
   */
  const [V, D, H] = [4096, 512, 4096];
  const ids = [3, 17, 99, 4000, 5, 17, 250, 1024];

  it("holds at most the state, two parameter-sized copies and one tensor's new values (AdaSAM, no intermediates)", async () => {
    const x0: TensorMap = {
      E: tf.randomNormal([V, D], 0, 0.02, 'float32', 1),
      W1: tf.randomNormal([D, H], 0, 0.02, 'float32', 2),
      W2: tf.randomNormal([H, 4], 0, 0.1, 'float32', 3),
      b: tf.zeros([4]),
    };
    const idT = tf.tensor1d(ids, 'int32');
    const y = tf.randomNormal([ids.length, 4], 0, 1, 'float32', 4);
    const f: LossFn = (p) => {
      const rows = lookup(p.E as tf.Tensor2D, idT);
      const h = tf.tanh(tf.matMul(rows, p.W1 as tf.Tensor2D));
      return tf.mean(tf.square(tf.sub(tf.add(tf.matMul(h, p.W2 as tf.Tensor2D), p.b), y)));
    };
    const bytes = (t: tf.Tensor) => t.size * 4;
    const P = Object.values(x0).reduce((n, t) => n + bytes(t), 0);
    const largest = Math.max(...Object.values(x0).map(bytes));
    const piece = UPDATE_PIECE * 4;
    // one gradient pass alone, above its inputs (its gradient, a full copy, included)
    const base0 = tf.memory().numBytes;
    const pass =
      (
        await tf.profile(() => {
          tf.dispose(tf.tidy(() => mapValueAndGrad(f, Object.keys(x0))(x0).grad));
        })
      ).peakBytes - base0;

    const opt = new TensorOptimizer(recipe('adasam', 'paper', { lr: 0.01 }), x0);
    tf.dispose(Object.values(x0));
    (await opt.step(f, { intermediates: false }))!.release();
    const before = tf.memory().numBytes; // x, m, v, v̂ and the data
    const peak =
      (
        await tf.profile(async () => {
          (await opt.step(f, { intermediates: false }))!.release();
        })
      ).peakBytes - before;

    const bound = Math.max(
      P + largest, // ‖s‖: s and one tensor's s²
      P + 2 * largest, // the ascent: s (shrinking) and x + δ (growing), δ and x + δ of one tensor
      P + pass, // the second pass: x + δ, and the pass with its gradient g
      P + largest, // the sums that bound the update: g and one |·|
      // the update: g; the new x, m, v, v̂ of one tensor, in pieces; one piece's 5 operands
      // and the 13 temporaries of spec §4.4–4.7 (paper preset)
      P + 4 * largest + 18 * piece,
    );
    expect(peak).toBeLessThanOrEqual(bound);
    // what the step held before it went tensor by tensor: s, δ, g and every tensor's new x, m,
    // v, v̂ and η, until the flag was read
    expect(peak).toBeLessThan(7 * P);
    expect(tf.memory().numBytes).toBe(before);
    opt.dispose();
    tf.dispose([idT, y]);
  });
});
