/**
 * Where a race's minibatches come from, for any model family: the seeded batch of iteration t
 * (the same for every run) as the model's batch type, and the evaluation on held-out data.
 * trainStep is the one place a training step meets its batch and its dropout noise.
 */
import type { LossFn } from '../maps';
import type { Model } from '../model/model';
import type { StepOptions, StepSummary, TensorOptimizer, TensorStep } from '../optimizer';
import type { TensorMap } from '../tensorSpace';

export interface EvalResult {
  testLoss: number;
  testAcc: number;
  trainLoss: number;
  trainAcc: number;
}

export interface TrainingData<B> {
  /** iteration `step`'s minibatch of `size` examples: device tensors, freed with `release` */
  batchAt(step: number, size: number, seed: number): B;
  release(batch: B): void;
  /** loss and accuracy of `params` on the test set and on (part of) the training set, without dropout */
  evaluate(model: Model<B>, params: TensorMap): Promise<EvalResult>;
}

/** Which minibatch: iteration `step`'s batch of `size` examples under `seed`. */
export interface StepAt {
  step: number;
  size: number;
  seed: number;
}

/**
 * One iteration of `opt` on batch B_step. The step's noise (dropout masks) is drawn once here,
 * outside the loss function, so the clean and the perturbed pass of a SAM step see the same one.
 */
export function trainStep<B>(
  opt: TensorOptimizer,
  model: Model<B>,
  data: TrainingData<B>,
  at: StepAt,
  options?: StepOptions & { intermediates?: true },
): Promise<TensorStep | null>;
export function trainStep<B>(
  opt: TensorOptimizer,
  model: Model<B>,
  data: TrainingData<B>,
  at: StepAt,
  options: StepOptions & { intermediates: false },
): Promise<StepSummary | null>;
export async function trainStep<B>(
  opt: TensorOptimizer,
  model: Model<B>,
  data: TrainingData<B>,
  at: StepAt,
  options: StepOptions = {},
): Promise<StepSummary | null> {
  const batch = data.batchAt(at.step, at.size, at.seed);
  const noise = model.stepNoise(batch, at.seed, at.step);
  try {
    return await opt.step((p) => model.loss(p, batch, noise), options);
  } finally {
    data.release(batch);
    noise?.dispose();
  }
}

/** f_B on a fixed batch without dropout (iteration 0's), for the Hessian and the loss slice. */
export function fixedLoss<B>(
  model: Model<B>,
  data: TrainingData<B>,
  size: number,
  seed: number,
): { lossFn: LossFn; dispose: () => void } {
  const batch = data.batchAt(0, size, seed);
  return {
    lossFn: (p) => model.loss(p, batch, null),
    dispose: () => data.release(batch),
  };
}
