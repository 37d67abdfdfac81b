/**
 * The race and the slice take any Model: here spec §8.3's MLP (not the transformer), whose
 * golden trajectory (mlp.json, an independent PyTorch float64 run) the race must reproduce.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { F32_TOL, firstMismatch, loadGolden, type GoldenRun } from '../../testing/golden';
import type { Model } from '../model/model';
import type { TensorMap } from '../tensorSpace';
import { filterNormalizedDirection, Race, type TrainingData } from './index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const g = loadGolden('mlp.json');
interface Rows {
  X: tf.Tensor2D;
  y: tf.Tensor2D;
}

const mse = (p: TensorMap, b: Rows): tf.Scalar => tf.losses.meanSquaredError(b.y, predict(p, b));
// h = tanh(X K1 + b1); pred = h K2 + b2 (spec §8.3)
const predict = (p: TensorMap, b: Rows): tf.Tensor =>
  tf.add(
    tf.matMul(tf.tanh(tf.add(tf.matMul(b.X, p.K1 as tf.Tensor2D), p.b1)), p.K2 as tf.Tensor2D),
    p.b2,
  );

const mlp: Model<Rows> = {
  params: [
    { name: 'K1', shape: [2, 3], group: 'hidden' },
    { name: 'b1', shape: [3], group: 'hidden' },
    { name: 'K2', shape: [3, 1], group: 'out' },
    { name: 'b2', shape: [1], group: 'out' },
  ],
  init: () => ({
    K1: tf.tensor2d(g.x0.slice(0, 6), [2, 3]),
    b1: tf.tensor1d(g.x0.slice(6, 9)),
    K2: tf.tensor2d(g.x0.slice(9, 12), [3, 1]),
    b2: tf.tensor1d(g.x0.slice(12)),
  }),
  stepNoise: () => null,
  loss: (p, b) => mse(p, b),
  predict,
};

const rowsOf = (idx: number[]): Rows => ({
  X: tf.tensor2d(idx.map((i) => g.data.X[i])),
  y: tf.tensor2d(idx.map((i) => [g.data.y[i]])),
});

/** The golden file's batch order: iteration t uses batches[t]. */
const goldenData: TrainingData<Rows> = {
  batchAt: (step, size) => {
    expect(size).toBe(g.batchSize);
    return rowsOf(g.batches[step]);
  },
  release: (b) => tf.dispose([b.X, b.y]),
  async evaluate(model, params) {
    const all = rowsOf(g.data.y.map((_: number, i: number) => i));
    const loss = tf.tidy(() => model.loss(params, all, null));
    const full = (await loss.data())[0];
    tf.dispose([loss, all.X, all.y]);
    return { testLoss: full, testAcc: NaN, trainLoss: full, trainAcc: NaN };
  },
};

describe('Race with a second model family', () => {
  it('reproduces the golden MLP run (spec §8.3, mlp.json) step by step, with η statistics by group', async () => {
    const [[name, run]] = Object.entries(g.runs as Record<string, GoldenRun>);
    const race = new Race({
      model: mlp,
      data: goldenData,
      runs: [{ label: name, config: run.config }],
      batch: g.batchSize,
      seed: 0,
    });
    const losses: number[] = [];
    const fullLoss: number[] = [(await race.evaluate(0)).trainLoss];
    let groups: string[] = [];
    for (let t = 0; t < g.steps; t++) {
      const [r] = await race.round({ heatmap: 'K1' });
      if (r.kind !== 'step') throw new Error(`step ${t}: ${r.kind}`);
      losses.push(r.metrics.loss);
      fullLoss.push((await race.evaluate(0)).trainLoss);
      groups = r.eta!.histograms.map((h) => h.group);
      expect(r.eta!.heatmap!.shape).toEqual([2, 3]);
    }
    expect(firstMismatch(losses, run.trace.loss as number[], F32_TOL)).toBeNull();
    expect(firstMismatch(fullLoss, run.trace.fullLoss as number[], F32_TOL)).toBeNull();
    expect(groups).toEqual(['hidden', 'out']);
    race.dispose();
  });
});

it('filter normalization takes each parameter’s filter axis from its ParamSpec', () => {
  const w = tf.tensor2d([
    [3, 0, 1],
    [4, 2, 1],
  ]); // rows have norms √10, √21; columns 5, 2, √2
  const norms = (d: tf.Tensor, axis: number) =>
    Array.from(tf.norm(d, 'euclidean', axis).dataSync());
  const asKernel = filterNormalizedDirection({ w }, 7, 1);
  const asTable = filterNormalizedDirection({ w }, 7, 1, [
    { name: 'w', shape: [2, 3], group: 'embed', filterAxis: 0 },
  ]);
  // a kernel's filters are its columns; an embedding table's are its rows
  norms(asKernel.w, 0).forEach((n, j) => expect(n).toBeCloseTo([5, 2, Math.SQRT2][j], 5));
  norms(asTable.w, 1).forEach((n, i) =>
    expect(n).toBeCloseTo([Math.sqrt(10), Math.sqrt(21)][i], 5),
  );
  tf.dispose([w, asKernel.w, asTable.w]);
});
