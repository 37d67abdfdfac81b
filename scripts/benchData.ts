/** The spec's 13-parameter MLP problem (§8.3) from the golden fixture, as benchmark input. */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import type { TensorMap } from '../src/lib/tf/tensorSpace';

export function mlpGolden(): { x0: TensorMap; X: number[][]; y: number[]; batches: number[][] } {
  const g = JSON.parse(
    readFileSync(new URL('../tests/fixtures/golden/mlp.json', import.meta.url), 'utf8'),
  );
  const theta: number[] = g.x0;
  return {
    x0: {
      K1: tf.tensor2d(theta.slice(0, 6), [2, 3]),
      b1: tf.tensor1d(theta.slice(6, 9)),
      K2: tf.tensor2d(theta.slice(9, 12), [3, 1]),
      b2: tf.tensor1d(theta.slice(12)),
    },
    X: g.data.X,
    y: g.data.y,
    batches: g.batches,
  };
}
