/**
 * Fine-tuning a RoBERTa classifier with the project's optimizer family (glue.md §4): all trainable
 * tensors as one vector (global ‖s‖), γ_t from the §12 schedule, batches of the data order
 * (order.ts) with dynamic padding, gradient accumulation over micro-batches, dropout masks drawn
 * once per step for both SAM passes.
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerConfig } from '../../optim/config';
import { scheduledLr, type Schedule } from '../../optim/schedule';
import { TensorOptimizer, type OptimizerWeights, type TensorStep } from '../optimizer';
import { disposeBatch, makeBatch, type EncodedExample } from '../roberta/batch';
import type { RobertaModel } from '../roberta/model';
import type { VocabMap } from '../roberta/vocab';
import type { TensorMap } from '../tensorSpace';
import { accumulatedValueAndGrad, type MicroBatch } from './accumulate';
import { stepRows, type DataOrder } from './order';
import type { RobertaBatch } from '../roberta/forward';

export interface TrainSettings {
  config: OptimizerConfig;
  schedule: Schedule;
  /** rows per step */
  batch: number;
  /** rows per forward/backward pass (gradient accumulation when < batch) */
  microBatch: number;
  seed: number;
  shuffle: boolean;
}

/** One entry of the `train` output (glue.md §5): f(x_t), ‖s_t‖ before update t. */
export interface StepRecord {
  step: number;
  lr: number;
  loss: number;
  sNorm: number;
  /** f(x_t + δ_t); null when ρ = 0 */
  lossPerturbed: number | null;
}

/** Consecutive chunks of at most `size`. */
const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, (i + 1) * size),
  );

/** Outputs [n][labels] in evaluation mode, rows in order, `batch` rows per pass. */
export async function predictRows(
  model: RobertaModel,
  params: TensorMap,
  examples: readonly EncodedExample[],
  batch: number,
  vocab: VocabMap | null,
): Promise<number[][]> {
  const out: number[][] = [];
  const s = model.shape;
  for (const part of chunks(examples, batch)) {
    const b = makeBatch(part, { padId: s.padId, regression: s.regression, vocab });
    const y = tf.tidy(() => model.predict(params, b));
    out.push(...((await y.array()) as number[][]));
    y.dispose();
    disposeBatch(b);
  }
  return out;
}

export class FineTune {
  readonly optimizer: TensorOptimizer;
  readonly order: DataOrder;
  /** the next step t (also the data position: order.ts) */
  t = 0;

  constructor(
    readonly model: RobertaModel,
    x0: TensorMap,
    readonly train: readonly EncodedExample[],
    readonly settings: TrainSettings,
    readonly vocab: VocabMap | null,
  ) {
    if (train.length === 0) throw new Error('the training data has no rows');
    this.optimizer = new TensorOptimizer(settings.config, x0);
    this.order = {
      rows: train.length,
      batch: settings.batch,
      shuffle: settings.shuffle,
      seed: settings.seed,
    };
  }

  get params(): TensorMap {
    return this.optimizer.params;
  }

  /** Continues a saved run: its weights, optimizer state (k, m, v, v̂) and step count. */
  restore(weights: OptimizerWeights, t: number): void {
    this.optimizer.setWeights(weights);
    this.t = t;
  }

  #batch(examples: readonly EncodedExample[], rows?: number[]): RobertaBatch {
    const s = this.model.shape;
    return makeBatch(examples, {
      padId: s.padId,
      regression: s.regression,
      vocab: this.vocab,
      rows,
    });
  }

  /**
   * Step t: null when the optimizer rejected it (non-finite values, spec §7.5; the run is then
   * diverged). `inspect` sees the step's tensors (s, δ, g, η) before they are released.
   */
  async step(inspect?: (info: TensorStep) => void | Promise<void>): Promise<StepRecord | null> {
    const t = this.t;
    const { rows } = stepRows(this.order, t);
    const N = rows.length;
    const micro: MicroBatch<RobertaBatch>[] = chunks(
      rows.map((row, i) => ({ row, i })),
      Math.max(1, Math.min(this.settings.microBatch, N)),
    ).map((part) => {
      const batch = this.#batch(
        part.map((p) => this.train[p.row]),
        part.map((p) => p.i),
      );
      const noise = this.model.stepNoise(batch, this.settings.seed, t);
      return { batch, noise, weight: part.length / N };
    });
    const lr = scheduledLr(this.settings.schedule, this.settings.config.lr, t);
    const keys = this.model.params.map((p) => p.name);
    try {
      // the step's tensors are kept only for `inspect`: without them the step holds the least
      const info = await this.optimizer.step(
        { valueAndGrad: accumulatedValueAndGrad(this.model, keys, micro) },
        { lr, gradNorm: true, intermediates: inspect !== undefined },
      );
      if (!info) return null;
      try {
        if (inspect) await inspect(info as TensorStep);
        this.t = t + 1;
        const sNorm = info.gradNorm!;
        return { step: t, lr, loss: info.loss, sNorm, lossPerturbed: info.lossPerturbed };
      } finally {
        info.release();
      }
    } finally {
      for (const m of micro) {
        disposeBatch(m.batch);
        m.noise?.dispose();
      }
    }
  }

  /** Outputs [n][labels] of the current weights in evaluation mode, rows in order. */
  predict(examples: readonly EncodedExample[], batch: number): Promise<number[][]> {
    return predictRows(this.model, this.params, examples, batch, this.vocab);
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}
