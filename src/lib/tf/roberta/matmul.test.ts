/** The plain-product matMul against tf.matMul's own value and gradients, for every transpose flag. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { matMul } from './matmul';
import { useWasm } from './tinyModel';

beforeAll(useWasm);

describe('matMul with explicit transposes', () => {
  for (const [ta, tb] of [
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ])
    it(`transposeA ${ta}, transposeB ${tb}, batched (rank 4)`, async () => {
      const a = tf.randomNormal(ta ? [2, 3, 5, 4] : [2, 3, 4, 5], 0, 1, 'float32', 1);
      const b = tf.randomNormal(tb ? [2, 3, 6, 5] : [2, 3, 5, 6], 0, 1, 'float32', 2);
      const w = tf.randomNormal([2, 3, 4, 6], 0, 1, 'float32', 3); // a loss weighting every output
      const loss = (f: typeof matMul) => (x: tf.Tensor, y: tf.Tensor) =>
        tf.sum(tf.mul(f(x, y, ta, tb), w));
      const ours = tf.valueAndGrads(loss(matMul))([a, b]);
      const theirs = tf.valueAndGrads(loss((x, y, p, q) => tf.matMul(x, y, p, q)))([a, b]);
      expect(await ours.value.data()).toEqual(await theirs.value.data());
      for (let i = 0; i < 2; i++) {
        const got = await ours.grads[i].data();
        const want = await theirs.grads[i].data();
        expect(ours.grads[i].shape).toEqual(theirs.grads[i].shape);
        got.forEach((g, j) => expect(Math.abs(g - want[j])).toBeLessThan(1e-5));
      }
    });
});
