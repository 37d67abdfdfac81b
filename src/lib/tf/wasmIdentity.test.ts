/**
 * The sharing Identity kernel on wasm: a clone is the same buffer (no copy), survives the
 * disposal of its original, and the gradients of a function whose tape saves tensors (by cloning
 * them) equal the cpu backend's, whose Identity has always shared.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from './roberta/tinyModel';

beforeAll(useWasm);
afterAll(() => tf.setBackend('cpu'));

/** A loss whose gradient needs saved inputs and outputs (mul, exp, softmax, matMul). */
const loss = (a: tf.Tensor, b: tf.Tensor) =>
  tf.sum(tf.mul(tf.softmax(tf.matMul(tf.exp(tf.mul(a, 0.5)), b)), a.slice([0, 0], [3, 3])));

describe('shared Identity on wasm', () => {
  it('clones without copying, and the clone outlives its original', async () => {
    expect(tf.getBackend()).toBe('wasm');
    const x = tf.tensor1d([1, 2, 3]);
    const y = tf.clone(x);
    expect(y.dataId).toBe(x.dataId);
    x.dispose();
    expect([...(await y.data())]).toEqual([1, 2, 3]);
    y.dispose();
  });

  it('gives the gradients the cpu backend gives', async () => {
    const values = {
      a: Array.from({ length: 12 }, (_, i) => Math.sin(i + 1)),
      b: Array.from({ length: 12 }, (_, i) => Math.cos(2 * i)),
    };
    const run = async () => {
      const a = tf.tensor2d(values.a, [3, 4]);
      const b = tf.tensor2d(values.b, [4, 3]);
      const { value, grads } = tf.valueAndGrads(loss)([a, b]);
      const out = [await value.data(), ...(await Promise.all(grads.map((g) => g.data())))];
      tf.dispose([a, b, value, ...grads]);
      return out.map((t) => [...t]);
    };
    const onWasm = await run();
    await tf.setBackend('cpu');
    const onCpu = await run();
    await tf.setBackend('wasm');
    onWasm.forEach((part, i) =>
      part.forEach((v, j) => expect(Math.abs(v - onCpu[i][j])).toBeLessThan(1e-5)),
    );
  });
});
