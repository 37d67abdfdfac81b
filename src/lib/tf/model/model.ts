/**
 * The interface between a model family and everything that trains or inspects it: the race,
 * the optimizer, η statistics, sharpness, loss slices, the worker. The lab's toy transformer is
 * the first implementation; the RoBERTa encoder of the GLUE mode is the second. A new family
 * plugs in by implementing this, without touching the race, the diagnostics or the worker.
 *
 * Models are functional: parameters are a TensorMap passed in, never read from inside, so the
 * optimizer can evaluate the loss at x and at x + δ.
 */
import type * as tf from '@tensorflow/tfjs';
import type { TensorMap } from '../tensorSpace';

/** One parameter tensor: its key in the TensorMap, its shape, and the group views use. */
export interface ParamSpec {
  name: string;
  shape: readonly number[];
  /** layer group for η statistics and per-layer views ("embed", "block0", "head", …) */
  group: string;
  /**
   * The axis whose entries are the filters (output units) for Li et al.'s filter normalization
   * in loss slices: 0 for an embedding table [rows, D] (one filter per token or position);
   * default the last axis (a dense kernel [in, out]: one filter per output unit).
   */
  filterAxis?: number;
}

/**
 * Randomness of one training step (dropout masks), drawn once per step so that both gradient
 * passes of a SAM step see the same network.
 */
export interface StepNoise {
  dispose(): void;
}

/** A model family over batches of type `B` (device tensors, owned by the caller). */
export interface Model<B> {
  /** every trainable tensor, in the fixed order in which x is flattened (spec §8.3) */
  readonly params: readonly ParamSpec[];
  /** initial weights drawn from a seed: the same numbers on every backend */
  init(seed: number): TensorMap;
  /** the step's dropout masks for `batch`, or null when dropout is off */
  stepNoise(batch: B, seed: number, step: number): StepNoise | null;
  /** f_B(params): the mean loss on the batch; `noise` null means evaluation mode */
  loss(params: TensorMap, batch: B, noise: StepNoise | null): tf.Scalar;
  /** the model's outputs on the batch in evaluation mode (logits, or predictions for regression) */
  predict(params: TensorMap, batch: B): tf.Tensor;
  /** the matrix whose η the lab's heatmap shows first; default: the first 2-D parameter */
  readonly etaMatrix?: string;
}

/** The model's heatmap matrix, or its first 2-D parameter (null when it has none). */
export const defaultEtaMatrix = (
  model: Pick<Model<unknown>, 'params' | 'etaMatrix'>,
): string | null => model.etaMatrix ?? model.params.find((p) => p.shape.length === 2)?.name ?? null;

/** name → group of every parameter (η statistics pool by group). */
export const groupsOf = (params: readonly ParamSpec[]): Record<string, string> =>
  Object.fromEntries(params.map((p) => [p.name, p.group]));
