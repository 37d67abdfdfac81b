/**
 * Seeded initial weights drawn on the CPU with our own PRNG (../rng.ts) and uploaded, so the
 * same seed gives bit-identical weights on every backend (tf's own random ops differ between
 * backends). Each parameter gets its own stream, keyed by its name: adding a layer does not
 * change the weights of the others.
 */
import * as tf from '@tensorflow/tfjs';
import { makeRng, mixSeed, STREAM } from '../rng';

function nameHash(name: string): number {
  let h = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** N(0, std²) entries of the given shape, from (seed, name). */
export function normalInit(shape: number[], std: number, seed: number, name: string): tf.Tensor {
  const rng = makeRng(mixSeed(seed, STREAM.init, nameHash(name)));
  const n = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = std * rng.normal();
  return tf.tensor(values, shape, 'float32');
}

export const constantInit = (shape: number[], value: number): tf.Tensor =>
  tf.fill(shape, value, 'float32');
