/**
 * The RoBERTa encoder and its sequence-classification head (glue.md §1.4; Liu et al. 2019, the
 * post-LayerNorm BERT encoder of Devlin et al. 2019), functional over a TensorMap with Hugging
 * Face names and PyTorch [out, in] weights:
 *
 *   pos = cumsum(mask)·mask + pad,  mask = ids ≠ pad                (the batch carries pos)
 *   h = Drop(LN(word[ids] + position[pos] + token_type[0]))
 *   per layer:  a = softmax(QKᵀ/√d_h + M) (attention dropout) V      M = −1e9 on pad keys
 *               h = LN(h + Drop(a W_oᵀ + b_o))
 *               h = LN(h + Drop(GELU(h W_1ᵀ + b_1) W_2ᵀ + b_2))    GELU(x) = x·Φ(x) (erf)
 *   logits = out_proj(Drop(tanh(dense(Drop(h[:, 0])))))             head on <s>
 *
 * Call inside tf.tidy or a gradient function; nothing here disposes.
 */
import * as tf from '@tensorflow/tfjs';
import { crossEntropy } from '../model/losses';
import type { TensorMap } from '../tensorSpace';
import { applyMask, type RobertaNoise } from './dropout';
import { lookup } from './embedding';
import { matMul } from './matmul';
import { rematerialized } from './remat';
import {
  EMB_LN,
  HEAD_DENSE,
  HEAD_OUT,
  layerPrefix,
  POSITION,
  TOKEN_TYPE,
  WORD,
  type RobertaShape,
} from './shape';

/** One batch on the device (owned by whoever made it). */
export interface RobertaBatch {
  /** int32 [B, L]: token ids in the model's vocabulary (remapped when it is pruned), pads = pad id */
  ids: tf.Tensor2D;
  /** int32 [B, L]: cumsum(mask)·mask + pad */
  positions: tf.Tensor2D;
  /** float32 [B, 1, 1, L]: 0 on real keys, −1e9 on pads (added to the scores) */
  keyMask: tf.Tensor4D;
  /** int32 [B] class ids, or float32 [B] targets for regression */
  labels: tf.Tensor1D;
  /** each row's index in the step's whole batch (keys of its dropout masks) */
  rows: number[];
}

/** LayerNorm over the last axis with the biased variance, as torch.nn.LayerNorm. */
function layerNorm(x: tf.Tensor, p: TensorMap, name: string, eps: number): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
  return tf.add(tf.mul(normed, p[`${name}.weight`]), p[`${name}.bias`]);
}

/** x [..., In] · Wᵀ + b with W [Out, In] (PyTorch layout, no transposed copy kept). */
function linear(x: tf.Tensor, p: TensorMap, name: string): tf.Tensor {
  const shape = x.shape;
  const w = p[`${name}.weight`] as tf.Tensor2D;
  const flat = tf.reshape(x, [-1, shape[shape.length - 1]]) as tf.Tensor2D; // [N, In]
  const y = tf.add(matMul(flat, w, false, true), p[`${name}.bias`]); // [N, Out]
  return tf.reshape(y, [...shape.slice(0, -1), w.shape[0]]);
}

/**
 * GELU in its exact form, x·Φ(x) = 0.5·x·(1 + erf(x/√2)) (hidden_act "gelu"), with its derivative
 * Φ(x) + x·φ(x), φ(x) = exp(−x²/2)/√(2π), written out: the gradient tape then saves x alone
 * instead of the erf chain's five [B, L, FFN] tensors and their gradients.
 */
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
export const gelu = (x: tf.Tensor): tf.Tensor =>
  tf.customGrad((...args) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([input]);
    const cdf = (t: tf.Tensor) => tf.mul(tf.add(1, tf.erf(tf.mul(t, Math.SQRT1_2))), 0.5); // Φ
    return {
      value: tf.mul(input, cdf(input)),
      gradFunc: (dy: tf.Tensor, [t]: tf.Tensor[]) =>
        tf.tidy(() => {
          const pdf = tf.mul(tf.exp(tf.mul(tf.square(t), -0.5)), INV_SQRT_2PI); // φ
          return tf.mul(dy, tf.add(cdf(t), tf.mul(t, pdf)));
        }),
    };
  })(x);

function selfAttention(
  h: tf.Tensor3D,
  p: TensorMap,
  pre: string,
  s: RobertaShape,
  keyMask: tf.Tensor4D,
  probsMask: tf.Tensor | null,
): tf.Tensor3D {
  const [B, L, D] = h.shape;
  const H = s.heads;
  const dh = D / H;
  const heads = (name: string) =>
    tf.transpose(tf.reshape(linear(h, p, `${pre}.${name}`), [B, L, H, dh]), [0, 2, 1, 3]); // [B, H, L, dh]
  const q = heads('query');
  const k = heads('key');
  const v = heads('value');
  const scores = tf.add(tf.mul(matMul(q, k, false, true), 1 / Math.sqrt(dh)), keyMask); // [B, H, L, L]
  const probs = applyMask(tf.softmax(scores, -1), probsMask); // [B, H, L, L]
  const context = tf.transpose(matMul(probs, v), [0, 2, 1, 3]); // [B, L, H, dh]
  return tf.reshape(context, [B, L, D]) as tf.Tensor3D;
}

/** The attention half of a post-LN encoder layer: LN(h + Drop(MHA(h) W_oᵀ + b_o)). */
function attentionBlock(
  h: tf.Tensor3D,
  p: TensorMap,
  pre: string,
  s: RobertaShape,
  keyMask: tf.Tensor4D,
  masks: RobertaNoise['layers'][number] | undefined,
): tf.Tensor3D {
  const context = selfAttention(h, p, `${pre}.attention.self`, s, keyMask, masks?.probs ?? null);
  const attnOut = applyMask(linear(context, p, `${pre}.attention.output.dense`), masks?.attnOut);
  return layerNorm(
    tf.add(h, attnOut),
    p,
    `${pre}.attention.output.LayerNorm`,
    s.layerNormEps,
  ) as tf.Tensor3D;
}

/** The feed-forward half: LN(h + Drop(GELU(h W_1ᵀ + b_1) W_2ᵀ + b_2)). */
function ffnBlock(
  h: tf.Tensor3D,
  p: TensorMap,
  pre: string,
  s: RobertaShape,
  masks: RobertaNoise['layers'][number] | undefined,
): tf.Tensor3D {
  const inner = gelu(linear(h, p, `${pre}.intermediate.dense`));
  const ffnOut = applyMask(linear(inner, p, `${pre}.output.dense`), masks?.ffnOut);
  return layerNorm(tf.add(h, ffnOut), p, `${pre}.output.LayerNorm`, s.layerNormEps) as tf.Tensor3D;
}

/** block(h, its parameters), rematerialised in the backward pass over the parameters named `names`. */
function checkpointed(
  block: (h: tf.Tensor3D, p: TensorMap) => tf.Tensor3D,
  h: tf.Tensor3D,
  p: TensorMap,
  names: string[],
): tf.Tensor3D {
  return rematerialized(
    (xs) => block(xs[0] as tf.Tensor3D, Object.fromEntries(names.map((n, i) => [n, xs[i + 1]]))),
    [h, ...names.map((n) => p[n])],
  ) as tf.Tensor3D;
}

/**
 * The last hidden states [B, L, D]. Each half of each layer (attention, feed-forward) is
 * rematerialised in the backward pass (remat.ts), so the backward holds the tape of one half at a
 * time. Measured on distilroberta-base's width at batch 16 × 128 on wasm: the backward of a
 * whole layer on one tape peaked 1.77 GB above the weights; by halves, with GELU's derivative
 * written out and matMul's gradient temporaries freed, 0.77 GB.
 */
export function encode(
  p: TensorMap,
  batch: RobertaBatch,
  s: RobertaShape,
  noise: RobertaNoise | null,
): tf.Tensor3D {
  const [B, L] = batch.ids.shape;
  const D = s.hidden;
  const flat = (t: tf.Tensor2D) => tf.reshape(t, [B * L]) as tf.Tensor1D;
  const word = lookup(p[WORD] as tf.Tensor2D, flat(batch.ids)); // [B·L, D]
  const pos = lookup(p[POSITION] as tf.Tensor2D, flat(batch.positions)); // [B·L, D]
  const type0 = tf.slice(p[TOKEN_TYPE], [0, 0], [1, D]); // token_type_ids are all 0
  const sum = tf.reshape(tf.add(tf.add(word, pos), type0), [B, L, D]);
  let h = applyMask(layerNorm(sum, p, EMB_LN, s.layerNormEps), noise?.embed) as tf.Tensor3D;
  const keys = Object.keys(p);
  for (let l = 0; l < s.layers; l++) {
    const pre = layerPrefix(l);
    const masks = noise?.layers[l];
    const attention = keys.filter((k) => k.startsWith(`${pre}.attention.`));
    const ffn = keys.filter(
      (k) => k.startsWith(`${pre}.intermediate.`) || k.startsWith(`${pre}.output.`),
    );
    h = checkpointed((x, q) => attentionBlock(x, q, pre, s, batch.keyMask, masks), h, p, attention);
    h = checkpointed((x, q) => ffnBlock(x, q, pre, s, masks), h, p, ffn);
  }
  return h;
}

/** Logits [B, labels] from the head on the first token (<s>). */
export function forward(
  p: TensorMap,
  batch: RobertaBatch,
  s: RobertaShape,
  noise: RobertaNoise | null,
): tf.Tensor2D {
  const h = encode(p, batch, s, noise);
  const [B, , D] = h.shape;
  const first = tf.reshape(tf.slice(h, [0, 0, 0], [B, 1, D]), [B, D]); // [B, D]
  const x = tf.tanh(linear(applyMask(first, noise?.head?.[0]), p, HEAD_DENSE));
  return linear(applyMask(x, noise?.head?.[1]), p, HEAD_OUT) as tf.Tensor2D; // [B, labels]
}

/** Mean squared error over float targets [B], without ½ (regression, one output). */
export const meanSquaredError = (logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Scalar =>
  tf.mean(tf.square(tf.sub(tf.reshape(logits, [-1]), targets))) as tf.Scalar;

/** The task loss of glue.md §1.4. */
export function taskLoss(logits: tf.Tensor2D, batch: RobertaBatch, s: RobertaShape): tf.Scalar {
  return s.regression
    ? meanSquaredError(logits, batch.labels)
    : crossEntropy(logits, batch.labels, s.labels);
}
