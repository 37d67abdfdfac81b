/**
 * The paper's mini-batch speed-up experiment on a GLUE task (arXiv:2303.00565 §4.3, Figure 1;
 * Corollary 3.7): one optimizer from the same weights with batch sizes b = 4, 8, 16, 32 and
 * lr_b = lr·√(b / b₀), b₀ the batch the lr was chosen for, each trained until the loss on the
 * training rows (no dropout) is at most a target, or for at most a cap of steps. T_b is the first
 * checked step at the target; a linear speed-up keeps T_b·b about constant.
 */
import * as tf from '@tensorflow/tfjs';
import type { SpeedupResult } from '../../glue/speedup';
import { disposeBatch, makeBatch, type EncodedExample } from '../roberta/batch';
import type { FineTune } from './finetune';
import type { Run } from './run';

/** The mean loss over `rows` at the current weights, without dropout, `batch` rows per pass. */
export async function trainingLoss(
  ft: FineTune,
  rows: readonly EncodedExample[],
  batch: number,
): Promise<number> {
  const s = ft.model.shape;
  let sum = 0;
  for (let i = 0; i < rows.length; i += batch) {
    const part = rows.slice(i, i + batch);
    const b = makeBatch(part, { padId: s.padId, regression: s.regression, vocab: ft.vocab });
    const loss = tf.tidy(() => ft.model.loss(ft.params, b, null));
    // a mean over the part: weighted by its rows, so the total is the mean over all rows
    sum += (await loss.data())[0] * part.length;
    loss.dispose();
    disposeBatch(b);
  }
  return sum / rows.length;
}

/** lr_b = lr·√(b / b₀): Corollary 3.7's γ ∝ √b at a fixed number of steps. */
export const speedupLr = (lr: number, batch: number, baseBatch: number): number =>
  lr * Math.sqrt(batch / baseBatch);

export interface SpeedupOptions {
  batches: readonly number[];
  /** the batch size the optimizer's lr was chosen for */
  baseBatch: number;
  lr: number;
  /** a fresh run (same initial weights) with this batch size and lr, trained for at most `steps` */
  makeRun: (batch: number, lr: number, steps: number) => Promise<Run>;
  train: readonly EncodedExample[];
  target: number;
  cap: number;
  /** steps between checks of the training loss (and at the cap) */
  checkEvery: number;
  onProgress?: (batch: number, step: number) => void;
  /** lets messages (stop) in between steps; true when the experiment is to stop */
  between?: () => Promise<boolean>;
}

export async function speedupExperiment(o: SpeedupOptions): Promise<SpeedupResult[]> {
  const out: SpeedupResult[] = [];
  let stopped = false;
  for (const batch of o.batches) {
    if (stopped) break;
    const lr = speedupLr(o.lr, batch, o.baseBatch);
    const run = await o.makeRun(batch, lr, o.cap);
    const r: SpeedupResult = { batch, lr, losses: [], checks: [], T: null, status: 'capped' };
    try {
      while (run.ft.t < o.cap) {
        if (await o.between?.()) {
          stopped = true;
          r.status = 'stopped';
          break;
        }
        const rec = await run.ft.step();
        if (!rec) {
          r.status = 'diverged';
          break;
        }
        r.losses.push(rec.loss);
        const t = run.ft.t;
        o.onProgress?.(batch, t);
        if (t % o.checkEvery !== 0 && t !== o.cap) continue;
        const trainLoss = await trainingLoss(run.ft, o.train, Math.max(batch, 32));
        r.checks.push({ step: t, trainLoss });
        if (trainLoss <= o.target) {
          r.T = t;
          r.status = 'reached';
          break;
        }
      }
    } finally {
      run.dispose();
    }
    out.push(r);
  }
  return out;
}
