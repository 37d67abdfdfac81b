/**
 * The encoder's memory levers keep its numbers: GELU's written-out derivative against the erf
 * chain's automatic one and a central difference, and the rematerialisation by halves of a
 * layer, whose backward holds one half's tape at a time (so widening the feed-forward half, while
 * its tape stays below the attention half's, leaves the peak of a gradient pass where it was,
 * up to the added weights).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeBatch, disposeBatch } from './batch';
import { gelu } from './forward';
import { RobertaModel } from './model';
import { paramCount, robertaShape } from './shape';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const erfChain = (x: tf.Tensor) =>
  tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));

describe('GELU', () => {
  const points = [-6, -3, -1.5, -0.7, -0.1, 0, 0.05, 0.5, 1, 2.2, 4, 8];

  it('has the erf form’s value and derivative', async () => {
    const x = tf.tensor1d(points);
    const w = tf.tensor1d(points.map((_, i) => 1 + i / 4)); // a weighting, so dy is not 1
    const ours = tf.valueAndGrad((t: tf.Tensor) => tf.sum(tf.mul(gelu(t), w)))(x);
    const chain = tf.valueAndGrad((t: tf.Tensor) => tf.sum(tf.mul(erfChain(t), w)))(x);
    expect(await ours.value.data()).toEqual(await chain.value.data());
    const got = await ours.grad.data();
    const want = await chain.grad.data();
    got.forEach((g, i) =>
      expect(Math.abs(g - want[i])).toBeLessThan(1e-6 * (1 + Math.abs(want[i]))),
    );
    tf.dispose([x, w, ours.value, ours.grad, chain.value, chain.grad]);
  });

  it('has the slope of a central difference of its values', async () => {
    const h = 1e-2;
    const at = async (d: number) => gelu(tf.tensor1d(points.map((p) => p + d))).data();
    const [up, down] = [await at(h), await at(-h)];
    const grad = await tf
      .grad((t: tf.Tensor) => tf.sum(gelu(t)))(tf.tensor1d(points))
      .data();
    // the difference's error is h²/6·|f'''| ≤ 1e-4 here, float32 rounding 1e-7/h
    grad.forEach((g, i) => expect(Math.abs(g - (up[i] - down[i]) / (2 * h))).toBeLessThan(3e-4));
  });
});

/** The peak tensor bytes of one gradient pass of an encoder with this feed-forward width. */
async function gradientPeak(intermediate: number): Promise<{ peak: number; params: number }> {
  const shape = robertaShape({
    vocab: 20,
    hidden: 16,
    heads: 4,
    layers: 2,
    intermediate,
    maxPositions: 70,
    hiddenDropout: 0,
    headDropout: 0,
    attentionDropout: 0,
  });
  const model = new RobertaModel(shape);
  const params = model.init(1);
  const examples = Array.from({ length: 8 }, (_, r) => ({
    ids: [0, ...Array.from({ length: 62 }, (_, t) => 4 + ((r * 7 + t * 3) % 15)), 2],
    label: r % 2,
  }));
  const batch = makeBatch(examples, { padId: 1, regression: false });
  const keys = Object.keys(params);
  const info = await tf.profile(() => {
    const { value, grads } = tf.valueAndGrads((...leaves: tf.Tensor[]) =>
      model.loss(Object.fromEntries(keys.map((k, i) => [k, leaves[i]])), batch, null),
    )(keys.map((k) => params[k]));
    tf.dispose([value, ...grads]);
  });
  tf.dispose(Object.values(params));
  disposeBatch(batch);
  return { peak: info.peakBytes, params: paramCount(model.params) };
}

describe('rematerialisation by halves of a layer', () => {
  it('keeps the peak of a gradient pass when only the feed-forward half widens', async () => {
    // attention half: probabilities [8, 4, 64, 64] (131k floats per tensor); feed-forward half at
    // width 64: [8, 64, 64] (33k); at width 16 a quarter of that
    const narrow = await gradientPeak(16);
    const wide = await gradientPeak(64);
    // the added weights, held as weights, saved copies, gradients and their transposes
    const addedWeights = 4 * 4 * (wide.params - narrow.params);
    // a whole layer on one tape would hold ≥ 6 more [8, 64, 64 − 16] tensors: 590 kB
    expect(wide.peak - narrow.peak).toBeLessThanOrEqual(addedWeights);
  });
});
