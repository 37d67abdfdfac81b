/**
 * RoBERTa for sequence classification/regression behind the project's model interface
 * (tf/model/model.ts), so the optimizer, race, η statistics, sharpness and loss slices serve it.
 * Parameters carry their Hugging Face names. With a frozen word embedding the table is held here
 * as a constant and left out of `params` (and so out of x, ‖s‖ and δ).
 */
import * as tf from '@tensorflow/tfjs';
import type { Model, ParamSpec, StepNoise } from '../model/model';
import { constantInit, normalInit } from '../model/seededInit';
import type { TensorMap } from '../tensorSpace';
import { drawNoise, type RobertaNoise } from './dropout';
import { forward, taskLoss, type RobertaBatch } from './forward';
import { robertaParams, WORD, type RobertaShape } from './shape';

export class RobertaModel implements Model<RobertaBatch> {
  readonly params: readonly ParamSpec[];
  readonly etaMatrix = 'roberta.encoder.layer.0.attention.self.query.weight';

  /**
   * @param frozen tensors used but not trained (the word embedding when it is frozen); owned by
   *   the caller
   */
  constructor(
    readonly shape: RobertaShape,
    readonly frozen: TensorMap = {},
  ) {
    this.params = robertaParams(shape).filter((p) => !(p.name in frozen));
  }

  /**
   * Random weights as Hugging Face initialises RoBERTa: matrices and embeddings N(0, σ²) with
   * σ = initializer_range, biases 0, LayerNorm weights 1 (for benchmarks and tests).
   */
  init(seed: number): TensorMap {
    const out: TensorMap = {};
    for (const { name, shape } of this.params) {
      const dims = [...shape];
      if (name.endsWith('LayerNorm.weight')) out[name] = constantInit(dims, 1);
      else if (dims.length === 1) out[name] = constantInit(dims, 0);
      else out[name] = normalInit(dims, this.shape.initStd, seed, name);
    }
    return out;
  }

  stepNoise(batch: RobertaBatch, seed: number, step: number): StepNoise | null {
    return drawNoise(this.shape, batch.rows, batch.ids.shape[1], seed, step);
  }

  logits(params: TensorMap, batch: RobertaBatch, noise: StepNoise | null): tf.Tensor2D {
    const p = WORD in this.frozen ? { ...params, ...this.frozen } : params;
    return forward(p, batch, this.shape, noise as RobertaNoise | null);
  }

  loss(params: TensorMap, batch: RobertaBatch, noise: StepNoise | null): tf.Scalar {
    return taskLoss(this.logits(params, batch, noise), batch, this.shape);
  }

  /** Logits [B, labels] in evaluation mode (for regression, [B, 1] predictions). */
  predict(params: TensorMap, batch: RobertaBatch): tf.Tensor {
    return this.logits(params, batch, null);
  }
}
