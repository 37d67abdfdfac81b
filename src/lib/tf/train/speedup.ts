/**
 * The paper's linear speed-up experiment (Sun et al. 2023, arXiv:2303.00565, §4.3 / Figure 1):
 * batch sizes 4…32 with lr ∝ √b from the same x₀, training loss against iterations, and (with a
 * target) the iterations T_b each batch size needs to bring the loss on the training set down to
 * the target: a linear speed-up keeps T_b·b constant (Corollary 3.7, Remark 3.8).
 */
import type { OptimizerConfig } from '../../optim/config';
import type { SpeedupCurve } from '../../lab/types';
import type { Model } from '../model/model';
import { TensorOptimizer } from '../optimizer';
import type { TensorMap } from '../tensorSpace';
import { trainStep, type TrainingData } from './trainingData';

export interface SpeedupOptions<B> {
  model: Model<B>;
  data: TrainingData<B>;
  x0: TensorMap;
  config: OptimizerConfig;
  /** default [4, 8, 16, 32] (the paper's §4.3) */
  batches?: number[];
  /** the most iterations per batch size */
  steps: number;
  seed: number;
  /**
   * stop a batch size once the loss on the training set (data.evaluate's trainLoss, no dropout)
   * is at most `target`; checked every `evalEvery` iterations (default 20) and at the last one
   */
  target?: number;
  evalEvery?: number;
  onProgress?: (batch: number, step: number, total: number) => void | Promise<void>;
  shouldStop?: () => boolean;
}

/**
 * Trains `config` from the same x₀ once per batch size b with lr_b = lr·√(b / b₀), b₀ the
 * first batch size, and returns the minibatch loss per iteration (NaN after a divergence, a stop
 * or the target reached) with, when a target is set, the training-set losses checked on the way
 * and the first checked iteration at or below the target.
 */
export async function speedupExperiment<B>(o: SpeedupOptions<B>): Promise<SpeedupCurve[]> {
  const batches = o.batches ?? [4, 8, 16, 32];
  const curves: SpeedupCurve[] = [];
  for (const b of batches) {
    const lr = o.config.lr * Math.sqrt(b / batches[0]);
    const opt = new TensorOptimizer({ ...o.config, lr }, o.x0);
    const losses = new Float32Array(o.steps).fill(NaN);
    const checks: { step: number; trainLoss: number }[] = [];
    let reached: number | null = null;
    const every = Math.max(1, Math.floor(o.evalEvery ?? 20));
    try {
      for (let t = 0; t < o.steps && !o.shouldStop?.(); t++) {
        const info = await trainStep(
          opt,
          o.model,
          o.data,
          { step: t, size: b, seed: o.seed },
          { intermediates: false },
        );
        if (!info) break;
        losses[t] = info.loss;
        info.release();
        await o.onProgress?.(b, t + 1, o.steps);
        if (o.target !== undefined && ((t + 1) % every === 0 || t + 1 === o.steps)) {
          const { trainLoss } = await o.data.evaluate(o.model, opt.params);
          checks.push({ step: t + 1, trainLoss });
          if (trainLoss <= o.target) {
            reached = t + 1;
            break;
          }
        }
      }
    } finally {
      opt.dispose();
    }
    curves.push({ batch: b, lr, losses, checks, reached });
  }
  return curves;
}
