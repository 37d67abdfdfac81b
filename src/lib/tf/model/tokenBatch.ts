/**
 * A minibatch of a token task (data/types.ts Batch) on the device: the batch type of the lab's
 * transformer. tokens int32 [B, T]; targets int32 [B] (classify) or [B, T] (lm, −1 = no loss).
 */
import * as tf from '@tensorflow/tfjs';
import type { Batch, Head } from '../data/types';

export interface TokenBatch {
  tokens: tf.Tensor2D;
  targets: tf.Tensor;
}

/** Uploads a batch; the caller disposes it with disposeTokenBatch. */
export function tokenBatch(b: Batch, head: Head): TokenBatch {
  return {
    tokens: tf.tensor2d(b.tokens, [b.size, b.seqLen], 'int32'),
    targets:
      head === 'lm'
        ? tf.tensor2d(b.targets, [b.size, b.seqLen], 'int32')
        : tf.tensor1d(b.targets, 'int32'),
  };
}

export const disposeTokenBatch = (b: TokenBatch): void => tf.dispose([b.tokens, b.targets]);
