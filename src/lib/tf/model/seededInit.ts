/**
 * Seeded initial weights drawn on the CPU with our own PRNG (../rng.ts) and uploaded, so the
 * same seed gives bit-identical weights on every backend (tf's own random ops differ between
 * backends). Each parameter gets its own stream, keyed by its name: adding a layer does not
 * change the weights of the others.
 */
import * as tf from '@tensorflow/tfjs';
import { normalValues } from './initValues';

/** N(0, std²) entries of the given shape, from (seed, name). */
export function normalInit(shape: number[], std: number, seed: number, name: string): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(normalValues(n, std, seed, name), shape, 'float32');
}

export const constantInit = (shape: number[], value: number): tf.Tensor =>
  tf.fill(shape, value, 'float32');
