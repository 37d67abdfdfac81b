/**
 * TensorOptimizer as a holder of state: variables updated in place, the perturbed point never
 * written into them, checkpoint and resume, and no tensors kept beyond what the spec needs.
 * (The numbers it computes are checked against the golden files in golden.test.ts.)
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { recipe, type OptimizerConfig } from '../optim/config';
import { loadGolden } from '../testing/golden';
import { TensorOptimizer, type LossFn, type OptimizerWeights } from './optimizer';
import type { TensorMap } from './tensorSpace';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Spec §8.3's MLP on the golden file's data, batch B_t as in mlp.json. */
const g = loadGolden('mlp.json');
const x0 = (): TensorMap => ({
  K1: tf.tensor2d(g.x0.slice(0, 6), [2, 3]),
  b1: tf.tensor1d(g.x0.slice(6, 9)),
  K2: tf.tensor2d(g.x0.slice(9, 12), [3, 1]),
  b2: tf.tensor1d(g.x0.slice(12)),
});
const lossAt =
  (t: number): LossFn =>
  (p) => {
    const rows: number[] = g.batches[t % g.batches.length];
    const X = tf.tensor2d(rows.map((i) => g.data.X[i]));
    const y = tf.tensor2d(rows.map((i) => [g.data.y[i]]));
    const h = tf.tanh(tf.add(tf.matMul(X, p.K1 as tf.Tensor2D), p.b1));
    return tf.losses.meanSquaredError(y, tf.add(tf.matMul(h, p.K2 as tf.Tensor2D), p.b2));
  };

/** The bits of every array of a checkpoint, for exact comparison. */
const bits = (w: OptimizerWeights) =>
  JSON.stringify(w, (_, v: unknown) =>
    v instanceof Float32Array ? Array.from(new Uint32Array(v.buffer, v.byteOffset, v.length)) : v,
  );

const CONFIGS: [string, OptimizerConfig][] = [
  ['AdaSAM paper', recipe('adasam', 'paper', { lr: 0.05 })],
  ['AdaSAM torch (bias correction counts k)', recipe('adasam', 'torch', { lr: 0.05 })],
  ['SGD-momentum (no v, v̂)', recipe('sgdm', 'paper', { lr: 0.05, weightDecay: 0.01 })],
];

describe('checkpoint and resume', () => {
  it.each(CONFIGS)(
    '%s: 6 steps, a checkpoint, 6 more equals a new optimizer resumed from it, bit for bit',
    async (_, config) => {
      const start = x0();
      const a = new TensorOptimizer(config, start);
      for (let t = 0; t < 6; t++) (await a.step(lossAt(t), { intermediates: false }))!.release();
      const checkpoint = await a.getWeights();
      expect(checkpoint.k).toBe(6);
      const lossesA: number[] = [];
      for (let t = 6; t < 12; t++) lossesA.push((await a.step(lossAt(t)))!.loss);

      // a fresh optimizer from other weights, loaded from the checkpoint
      const zeros = Object.fromEntries(Object.entries(start).map(([k, v]) => [k, tf.zerosLike(v)]));
      const b = new TensorOptimizer(config, zeros);
      b.setWeights(checkpoint);
      expect(bits(await b.getWeights())).toBe(bits(checkpoint));
      const lossesB: number[] = [];
      for (let t = 6; t < 12; t++) lossesB.push((await b.step(lossAt(t)))!.loss);

      expect(lossesB).toEqual(lossesA);
      expect(bits(await b.getWeights())).toBe(bits(await a.getWeights()));
      // and the continuation really moved: not a copy of the checkpoint
      expect(bits(await b.getWeights())).not.toBe(bits(checkpoint));
      a.dispose();
      b.dispose();
      tf.dispose([...Object.values(start), ...Object.values(zeros)]);
    },
  );

  it('refuses a checkpoint that does not fit, naming what is wrong, and changes nothing', async () => {
    const start = x0();
    const opt = new TensorOptimizer(recipe('adasam', 'paper', { lr: 0.05 }), start);
    const good = await opt.getWeights();
    const before = bits(good);
    expect(() => opt.setWeights({ ...good, v: null })).toThrow(/v is missing/);
    expect(() => opt.setWeights({ ...good, k: -1 })).toThrow(/k must be/);
    expect(() => opt.setWeights({ ...good, m: { ...good.m, b2: new Float32Array(3) } })).toThrow(
      /m\.b2 has 3 values; the parameter has 1/,
    );
    const { K1: _K1, ...noK1 } = good.x;
    expect(() => opt.setWeights({ ...good, x: noK1 })).toThrow(/x lacks parameter K1/);
    expect(() => opt.setWeights({ ...good, x: { ...good.x, extra: new Float32Array(1) } })).toThrow(
      /unknown parameters extra/,
    );
    // values a committed step cannot leave (spec §7.5): the step's overflow bound relies on it
    const withValue = (part: 'x' | 'v', value: number) => {
      const a = good[part]!.K1.slice();
      a[2] = value;
      return { ...good, [part]: { ...good[part], K1: a } };
    };
    expect(() => opt.setWeights(withValue('x', NaN))).toThrow(
      /x\.K1\[2\] is NaN; it must be finite/,
    );
    expect(() => opt.setWeights(withValue('v', -1))).toThrow(
      /v\.K1\[2\] is -1; it must be finite and not negative/,
    );
    const sgd = new TensorOptimizer(recipe('sgd', 'paper', { lr: 0.05 }), start);
    expect(() => sgd.setWeights(good)).toThrow(/v is present, but this non-adaptive run has no it/);
    expect(bits(await opt.getWeights())).toBe(before);
    opt.dispose();
    sgd.dispose();
    tf.dispose(Object.values(start));
  });
});

describe('state in place', () => {
  it('keeps x_t in the variables while the perturbed gradient is taken (spec §4: x + δ is a new tensor)', async () => {
    const start = x0();
    const opt = new TensorOptimizer(recipe('adasam', 'paper', { lr: 0.05 }), start);
    const variables = { ...opt.params };
    const seen: { same: boolean; bitsEqual: boolean }[] = [];
    const before = Object.fromEntries(
      Object.entries(opt.params).map(([k, v]) => [k, Array.from(v.dataSync())]),
    );
    const f = lossAt(0);
    await opt.step((p) => {
      seen.push({
        same: Object.keys(p).every((k) => p[k] === variables[k]),
        bitsEqual: Object.keys(p).every(
          (k) => JSON.stringify(Array.from(variables[k].dataSync())) === JSON.stringify(before[k]),
        ),
      });
      return f(p);
    });
    // pass 1 reads the variables; pass 2 gets other tensors while the variables still hold x_t
    expect(seen).toEqual([
      { same: true, bitsEqual: true },
      { same: false, bitsEqual: true },
    ]);
    // the step was committed into the same variables
    expect(Object.keys(variables).every((k) => opt.params[k] === variables[k])).toBe(true);
    expect(Array.from(opt.params.b2.dataSync())).not.toEqual(before.b2);
    opt.dispose();
    tf.dispose(Object.values(start));
  });

  it.each([true, false])(
    'intermediates %s: numTensors is the same after step 2 and step 30; without them only x, m, v, v̂ stay',
    async (intermediates) => {
      const start = x0();
      const base = tf.memory().numTensors;
      const opt = new TensorOptimizer(recipe('adasam', 'torch', { lr: 0.05 }), start);
      let afterStep2 = -1;
      for (let t = 1; t <= 30; t++) {
        const info = await opt.step(lossAt(t), { intermediates });
        if (!intermediates) {
          // x, m, v, v̂ for each of the 4 parameter tensors, nothing else
          expect(tf.memory().numTensors - base).toBe(16);
          expect(info).not.toHaveProperty('s');
        }
        info!.release();
        if (t === 2) afterStep2 = tf.memory().numTensors;
      }
      expect(tf.memory().numTensors).toBe(afterStep2);
      opt.dispose();
      expect(tf.memory().numTensors).toBe(base);
      tf.dispose(Object.values(start));
    },
  );

  it('a step with γ_t given (a schedule, spec §12) moves as a config with γ = γ_t', async () => {
    const start = x0();
    const config = recipe('sgd', 'paper', { lr: 0.05 });
    const a = new TensorOptimizer(config, start);
    const b = new TensorOptimizer({ ...config, lr: 0.01 }, start);
    (await a.step(lossAt(0), { lr: 0.01 }))!.release();
    (await b.step(lossAt(0)))!.release();
    expect(bits(await a.getWeights())).toBe(bits(await b.getWeights()));
    a.dispose();
    b.dispose();
    tf.dispose(Object.values(start));
  });
});
