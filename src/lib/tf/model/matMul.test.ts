import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { matMul } from './matMul';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('matMul with explicitly transposed gradient products', () => {
  it('has the value and both gradients of tf.matMul, bit for bit on cpu', async () => {
    const a = tf.randomNormal([7, 5], 0, 1, 'float32', 1) as tf.Tensor2D;
    const b = tf.randomNormal([5, 3], 0, 1, 'float32', 2) as tf.Tensor2D;
    const c = tf.randomNormal([7, 3], 0, 1, 'float32', 3); // weighs every output entry
    const loss = (f: typeof matMul) => (x: tf.Tensor, y: tf.Tensor) =>
      tf.sum(tf.mul(f(x as tf.Tensor2D, y as tf.Tensor2D), c));
    const ours = tf.grads(loss(matMul))([a, b]);
    const theirs = tf.grads(loss((x, y) => tf.matMul(x, y)))([a, b]);
    expect(await matMul(a, b).data()).toEqual(await tf.matMul(a, b).data());
    expect(ours.map((t) => t.shape)).toEqual([
      [7, 5],
      [5, 3],
    ]);
    expect(await ours[0].data()).toEqual(await theirs[0].data());
    expect(await ours[1].data()).toEqual(await theirs[1].data());
  });
});
