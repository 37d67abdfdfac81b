/**
 * Classification losses shared by the model families: mean cross-entropy over the valid
 * positions, and the counts behind accuracy. Targets −1 mark positions without loss.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * Mean cross-entropy. classify: logits [B, C], targets int32 [B]. lm: logits [B, T, C], targets
 * int32 [B, T] where −1 marks positions without loss (they get weight 0).
 */
export function crossEntropy(logits: tf.Tensor, targets: tf.Tensor, classes: number): tf.Scalar {
  const C = classes;
  const flatLogits = tf.reshape(logits, [-1, C]) as tf.Tensor2D; // [N, C]
  const flatTargets = tf.reshape(targets, [-1]) as tf.Tensor1D; // [N]
  const valid = tf.cast(tf.greaterEqual(flatTargets, 0), 'float32'); // [N]
  const oneHot = tf.oneHot(tf.maximum(flatTargets, tf.scalar(0, 'int32')) as tf.Tensor1D, C); // [N, C]
  const logp = tf.logSoftmax(flatLogits); // [N, C]
  const nll = tf.neg(tf.sum(tf.mul(oneHot, logp), -1)); // [N]
  return tf.div(tf.sum(tf.mul(nll, valid)), tf.maximum(tf.sum(valid), 1)) as tf.Scalar;
}

/** Loss and the counts for accuracy: correct predictions and counted positions. */
export function lossAndAccuracy(
  logits: tf.Tensor,
  targets: tf.Tensor,
  classes: number,
): { loss: tf.Scalar; correct: tf.Scalar; count: tf.Scalar } {
  const flatLogits = tf.reshape(logits, [-1, classes]); // [N, C]
  const flatTargets = tf.reshape(targets, [-1]); // [N]
  const valid = tf.cast(tf.greaterEqual(flatTargets, 0), 'float32'); // [N]
  const hit = tf.cast(tf.equal(tf.argMax(flatLogits, -1), flatTargets), 'float32'); // [N]
  return {
    loss: crossEntropy(logits, targets, classes),
    correct: tf.sum(tf.mul(hit, valid)) as tf.Scalar,
    count: tf.sum(valid) as tf.Scalar,
  };
}
