import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelSettings } from '../../lab/types';
import { crossEntropy } from './losses';
import {
  estimateBytes,
  forward,
  initParams,
  makeDropoutMasks,
  paramCount,
  paramShapes,
} from './transformer';

const base: ModelSettings = {
  layers: 2,
  dModel: 32,
  heads: 4,
  mlp: 64,
  dropout: 0,
  vocab: 11,
  seqLen: 8,
  head: 'lm',
  classes: 11,
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const tokens = (B: number, T: number, V: number, salt = 0) =>
  tf.tensor2d(
    Int32Array.from({ length: B * T }, (_, i) => (i * 7 + salt) % V),
    [B, T],
    'int32',
  );

describe('transformer', () => {
  it('gives [B, T, C] logits for the LM head and [B, C] for the classify head', () => {
    const lm = initParams(base, 1);
    const cls = { ...base, head: 'classify' as const, classes: 3 };
    const pc = initParams(cls, 1);
    const x = tokens(5, 8, 11);
    expect(forward(lm, x, base).shape).toEqual([5, 8, 11]);
    expect(forward(pc, x, cls).shape).toEqual([5, 3]);
    expect(forward(lm, tf.slice(x, [0, 0], [5, 6]) as tf.Tensor2D, base).shape).toEqual([5, 6, 11]);
    expect(Object.keys(lm)).toEqual(paramShapes(base).map((p) => p.name));
    expect(Object.values(lm).reduce((n, t) => n + t.size, 0)).toBe(paramCount(base));
    expect(estimateBytes(base, 32)).toBeGreaterThan(4 * paramCount(base));
    tf.dispose([...Object.values(lm), ...Object.values(pc), x]);
  });

  it('the causal mask: changing a later token leaves earlier LM logits unchanged', async () => {
    const p = initParams(base, 2);
    const a = tokens(2, 8, 11);
    const changed = tf.tensor2d(
      [
        [...(await a.data())].slice(0, 8).map((t, i) => (i === 5 ? (t + 3) % 11 : t)),
        [...(await a.data())].slice(8),
      ],
      [2, 8],
      'int32',
    );
    const la = (await forward(p, a, base).array()) as number[][][];
    const lb = (await forward(p, changed, base).array()) as number[][][];
    for (let t = 0; t < 5; t++) for (let c = 0; c < 11; c++) expect(lb[0][t][c]).toBe(la[0][t][c]);
    expect(Math.max(...lb[0][5].map((v, c) => Math.abs(v - la[0][5][c])))).toBeGreaterThan(1e-4);
    expect(lb[1]).toEqual(la[1]);
    // without the mask the same change reaches position 0
    const ua = (await forward(p, a, base, { causal: false }).array()) as number[][][];
    const ub = (await forward(p, changed, base, { causal: false }).array()) as number[][][];
    expect(Math.max(...ub[0][0].map((v, c) => Math.abs(v - ua[0][0][c])))).toBeGreaterThan(1e-6);
    tf.dispose([...Object.values(p), a, changed]);
  });

  it('the classify head (last block for the last position only) equals the full computation', async () => {
    // oracle: the LM head without the causal mask computes every position of every block; its
    // last position is the classify head's output (same weights: classes = vocab)
    const s = { ...base, head: 'classify' as const, dropout: 0.2 };
    const p = initParams(s, 4);
    const x = tokens(3, 8, 11, 2);
    const masks = makeDropoutMasks(s, 3, 1, 2)!;
    const c = tf.randomNormal([3, 11], 0, 1, 'float32', 7); // a loss that weighs every logit
    const full = (q: typeof p) =>
      tf
        .slice(
          forward(q, x, { ...s, head: 'lm' }, { causal: false, dropoutMasks: masks }),
          [0, 7, 0],
          [3, 1, 11],
        )
        .reshape([3, 11]);
    const last = (q: typeof p) => forward(q, x, s, { dropoutMasks: masks });
    const keys = Object.keys(p);
    const gradOf = (f: typeof full) =>
      tf.grads((...ts: tf.Tensor[]) =>
        tf.sum(tf.mul(f(Object.fromEntries(keys.map((k, i) => [k, ts[i]]))), c)),
      )(keys.map((k) => p[k]));
    const close = async (a: tf.Tensor, b: tf.Tensor, what: string) => {
      const [av, bv] = [await a.data(), await b.data()];
      expect(av.length, what).toBe(bv.length);
      for (let i = 0; i < av.length; i++)
        expect(Math.abs(av[i] - bv[i]), `${what}[${i}]`).toBeLessThanOrEqual(
          1e-6 + 1e-5 * Math.abs(bv[i]),
        );
    };
    await close(last(p), full(p), 'logits');
    const [gl, gf] = [gradOf(last), gradOf(full)];
    for (const [i, k] of keys.entries()) await close(gl[i], gf[i], k);
    expect(Math.max(...(await gf[keys.indexOf('block1.mlp.w1')].abs().data()))).toBeGreaterThan(
      1e-4,
    );
    tf.dispose([...Object.values(p), x, c, ...gl, ...gf]);
  });

  it('initialises from the seed: same seed, same weights; another seed, other weights', async () => {
    const a = initParams(base, 5);
    const b = initParams(base, 5);
    const c = initParams(base, 6);
    expect(await a['block1.mlp.w2'].data()).toEqual(await b['block1.mlp.w2'].data());
    expect(await a.tokEmb.data()).not.toEqual(await c.tokEmb.data());
    expect(await a['block0.ln1.g'].data()).toEqual(new Float32Array(32).fill(1));
    const std = Math.sqrt((await tf.moments(a['block0.attn.wqkv']).variance.data())[0]);
    expect(std).toBeGreaterThan(0.018);
    expect(std).toBeLessThan(0.022);
    tf.dispose([...Object.values(a), ...Object.values(b), ...Object.values(c)]);
  });

  it('applies dropout masks only when given, and they are seeded per step', async () => {
    const s = { ...base, dropout: 0.5 };
    const p = initParams(s, 3);
    const x = tokens(2, 8, 11, 1);
    const m1 = makeDropoutMasks(s, 2, 9, 4)!;
    const m2 = makeDropoutMasks(s, 2, 9, 4)!;
    const m3 = makeDropoutMasks(s, 2, 9, 5)!;
    expect(await m1.attn[1].data()).toEqual(await m2.attn[1].data());
    expect(await m1.mlp[0].data()).not.toEqual(await m3.mlp[0].data());
    const plain = await forward(p, x, s).data();
    expect(await forward(p, x, s, { dropoutMasks: m1 }).data()).not.toEqual(plain);
    expect(await forward(p, x, s, { dropoutMasks: m2 }).data()).toEqual(
      await forward(p, x, s, { dropoutMasks: m1 }).data(),
    );
    expect(makeDropoutMasks(base, 2, 9, 4)).toBeNull();
  });

  it('ignores LM positions whose target is −1 in the loss', async () => {
    const logits = tf.tensor3d([
      [
        [2, 0, 0],
        [0, 5, 0],
      ],
    ]); // [1, 2, 3]
    const full = (await crossEntropy(logits, tf.tensor2d([[0, 2]], [1, 2], 'int32'), 3).data())[0];
    const masked = (
      await crossEntropy(logits, tf.tensor2d([[0, -1]], [1, 2], 'int32'), 3).data()
    )[0];
    const first = -Math.log(Math.exp(2) / (Math.exp(2) + 2));
    expect(masked).toBeCloseTo(first, 5);
    expect(full).toBeCloseTo((first + -Math.log(1 / (Math.exp(5) + 2))) / 2, 5);
  });
});
