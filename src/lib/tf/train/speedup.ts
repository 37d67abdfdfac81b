/**
 * The paper's linear speed-up experiment (Sun et al. 2023, arXiv:2303.00565, §4.3 / Figure 1):
 * batch sizes 4…32 with lr ∝ √b from the same x₀, training loss against iterations.
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
  steps: number;
  seed: number;
  onProgress?: (batch: number, step: number, total: number) => void | Promise<void>;
  shouldStop?: () => boolean;
}

/**
 * Trains `config` from the same x₀ once per batch size b with lr_b = lr·√(b / b₀), b₀ the
 * first batch size, and returns the training loss per iteration (NaN after a divergence or a stop).
 */
export async function speedupExperiment<B>(o: SpeedupOptions<B>): Promise<SpeedupCurve[]> {
  const batches = o.batches ?? [4, 8, 16, 32];
  const curves: SpeedupCurve[] = [];
  for (const b of batches) {
    const lr = o.config.lr * Math.sqrt(b / batches[0]);
    const opt = new TensorOptimizer({ ...o.config, lr }, o.x0);
    const losses = new Float32Array(o.steps).fill(NaN);
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
      }
    } finally {
      opt.dispose();
    }
    curves.push({ batch: b, lr, losses });
  }
  return curves;
}
