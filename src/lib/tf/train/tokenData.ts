/**
 * A token task's Dataset (data/types.ts) as TrainingData for models over TokenBatch: seeded
 * batches and the test/train loss and accuracy in chunks (classification accuracy per counted
 * position, so it covers the classify and the lm heads alike).
 */
import * as tf from '@tensorflow/tfjs';
import type { Batch, Dataset, Examples } from '../data/types';
import { lossAndAccuracy } from '../model/losses';
import type { Model } from '../model/model';
import { disposeTokenBatch, tokenBatch, type TokenBatch } from '../model/tokenBatch';
import type { TensorMap } from '../tensorSpace';
import type { TrainingData } from './trainingData';

/** Loss and accuracy of `params` over (up to `limit`) examples, in chunks, without dropout. */
export async function evaluateOn(
  model: Model<TokenBatch>,
  params: TensorMap,
  data: Pick<Dataset, 'seqLen' | 'head'>,
  ex: Examples,
  limit = 1024,
  chunk = 256,
): Promise<{ loss: number; acc: number }> {
  const n = Math.min(ex.n, limit);
  const T = data.seqLen;
  const perEx = data.head === 'lm' ? T : 1;
  let lossSum = 0;
  let correct = 0;
  let count = 0;
  for (let start = 0; start < n; start += chunk) {
    const B = Math.min(chunk, n - start);
    const batch: Batch = {
      size: B,
      seqLen: T,
      tokens: ex.tokens.subarray(start * T, (start + B) * T),
      targets: ex.targets.subarray(start * perEx, (start + B) * perEx),
    };
    const out = tf.tidy(() => {
      const bt = tokenBatch(batch, data.head);
      const logits = model.predict(params, bt);
      const r = lossAndAccuracy(logits, bt.targets, logits.shape[logits.rank - 1]);
      return tf.stack([tf.mul(r.loss, r.count), r.correct, r.count]); // [3]
    });
    const [l, c, k] = await out.data();
    out.dispose();
    lossSum += l;
    correct += c;
    count += k;
  }
  return { loss: lossSum / Math.max(count, 1), acc: correct / Math.max(count, 1) };
}

export function tokenData(data: Dataset): TrainingData<TokenBatch> {
  return {
    batchAt: (step, size, seed) => tokenBatch(data.batchAt(step, size, seed), data.head),
    release: disposeTokenBatch,
    async evaluate(model, params) {
      const test = await evaluateOn(model, params, data, data.test);
      const train = await evaluateOn(model, params, data, data.train, 512);
      return { testLoss: test.loss, testAcc: test.acc, trainLoss: train.loss, trainAcc: train.acc };
    },
  };
}
