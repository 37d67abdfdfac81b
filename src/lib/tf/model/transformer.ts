/**
 * A small functional transformer for the lab (nanoGPT-shaped, Radford et al. 2019 / Vaswani et
 * al. 2017 with pre-LayerNorm, Xiong et al. 2020):
 *
 *   h₀ = E[tokens] + P[0:T]
 *   for each block:  h ← h + Drop(Attn(LN₁(h)))      Attn = softmax(QKᵀ/√d_h + M)·V, then W_o
 *                    h ← h + Drop(MLP(LN₂(h)))        MLP  = GELU(h W₁ + b₁) W₂ + b₂
 *   logits = LN_f(h) W_head + b_head   (lm: every position; classify: the last position)
 *
 * M is the causal mask (−1e9 above the diagonal) for the LM head; classification attends in
 * both directions. All sequences have the task's fixed length, so there is no padding.
 *
 * FUNCTIONAL: the parameters are a TensorMap passed into forward(), never tf.Variables, so
 * TensorOptimizer can evaluate the loss at x and at x + δ without mutating anything.
 * Dropout masks are made by the caller (makeDropoutMasks) and passed in, so both gradient passes
 * of a SAM step use the same mask.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelSettings, ModelShape } from '../../lab/types';
import { checkModelShape } from '../../state/labCheck';
import { makeRng, mixSeed, STREAM } from '../rng';
import type { TensorMap } from '../tensorSpace';
import { initValues, paramShapes } from './initValues';
import { crossEntropy } from './losses';
import { matMul } from './matMul';
import type { Model, StepNoise } from './model';
import type { TokenBatch } from './tokenBatch';

export type { ModelSettings, ModelShape };

/** One mask per block and branch, each [B, T, D] with entries 0 or 1/(1 − p). */
export interface DropoutMasks {
  attn: tf.Tensor3D[];
  mlp: tf.Tensor3D[];
}

export interface ForwardOptions {
  /** defaults to settings.head === 'lm' */
  causal?: boolean;
  /** applied only when given (training); evaluation passes none */
  dropoutMasks?: DropoutMasks | null;
}

const LN_EPS = 1e-5;

/** The transformer for a task: the user's shape, and what the task fixes (vocabulary, length, head, classes). */
export const modelFor = (
  shape: ModelShape,
  task: Pick<ModelSettings, 'vocab' | 'seqLen' | 'head' | 'classes'>,
): ModelSettings => ({
  ...shape,
  vocab: task.vocab,
  seqLen: task.seqLen,
  head: task.head,
  classes: task.classes,
});

/** Human-readable problems with the settings (empty when they fit the lab's ranges). */
export function checkModel(s: ModelSettings): string[] {
  // the shape the user chooses: the lab's rows are the one source of its limits
  const errors = checkModelShape(s);
  const intIn = (x: number, lo: number, hi: number) => Number.isInteger(x) && x >= lo && x <= hi;
  if (!intIn(s.seqLen, 1, 64)) errors.push(`sequence length must be 1–64; got ${s.seqLen}`);
  if (!intIn(s.vocab, 2, 4096)) errors.push(`vocabulary must be 2–4096; got ${s.vocab}`);
  if (!intIn(s.classes, 2, 4096)) errors.push(`classes must be 2–4096; got ${s.classes}`);
  return errors;
}

export { paramShapes };

export const paramCount = (s: ModelSettings): number =>
  paramShapes(s).reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);

/**
 * GPT-2 initialisation (initValues.ts): the same seed gives identical weights on every backend
 * and in the PyTorch export.
 */
export function initParams(s: ModelSettings, seed: number): TensorMap {
  const params: TensorMap = {};
  for (const { name, shape, values } of initValues(s, seed))
    params[name] = tf.tensor(values, shape, 'float32');
  return params;
}

/**
 * Dropout masks for one step, drawn on the CPU from (seed, step) so they are identical on every
 * backend and for every optimizer of a race; null when dropout is off.
 */
export function makeDropoutMasks(
  s: ModelSettings,
  batch: number,
  seed: number,
  step: number,
): DropoutMasks | null {
  if (!(s.dropout > 0)) return null;
  const rng = makeRng(mixSeed(seed, STREAM.dropout, step));
  const n = batch * s.seqLen * s.dModel;
  const keep = 1 / (1 - s.dropout);
  const one = () => {
    const values = new Float32Array(n);
    for (let i = 0; i < n; i++) values[i] = rng.uniform() < s.dropout ? 0 : keep;
    return tf.tensor3d(values, [batch, s.seqLen, s.dModel]);
  };
  return {
    attn: Array.from({ length: s.layers }, one),
    mlp: Array.from({ length: s.layers }, one),
  };
}

export const disposeMasks = (m: DropoutMasks | null): void => {
  if (m) tf.dispose([...m.attn, ...m.mlp]);
};

/** LayerNorm over the last axis. */
function layerNorm(x: tf.Tensor3D, g: tf.Tensor, b: tf.Tensor): tf.Tensor3D {
  const { mean, variance } = tf.moments(x, -1, true); // [B, T, 1] each
  return tf.add(
    tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, LN_EPS))), g),
    b,
  ) as tf.Tensor3D; // [B, T, D]
}

/** x [B, T, In] · w [In, Out] + b [Out] → [B, T, Out], as one 2-D matMul. */
function dense(x: tf.Tensor3D, w: tf.Tensor, b: tf.Tensor): tf.Tensor3D {
  const [B, T, In] = x.shape;
  const y = tf.add(matMul(tf.reshape(x, [B * T, In]) as tf.Tensor2D, w as tf.Tensor2D), b); // [B*T, Out]
  return tf.reshape(y, [B, T, w.shape[1]!]) as tf.Tensor3D; // [B, T, Out]
}

/** Additive attention mask: 0 on and below the diagonal, −1e9 above (future positions). */
function causalMask(T: number): tf.Tensor2D {
  const lower = tf.linalg.bandPart(tf.ones([T, T]), -1, 0); // [T, T] 1 where j ≤ i
  return tf.mul(tf.sub(1, lower), -1e9) as tf.Tensor2D; // [T, T]
}

/** The last position of x [B, T, D] → [B, 1, D]. */
const lastPosition = (x: tf.Tensor3D): tf.Tensor3D => {
  const [B, T, D] = x.shape;
  return tf.slice(x, [0, T - 1, 0], [B, 1, D]);
};

/**
 * Multi-head self-attention of x [B, T, D]. With `lastOnly`, only the last position's query is
 * answered ([B, 1, D] out; its keys and values still come from every position).
 */
function attention(
  x: tf.Tensor3D,
  p: TensorMap,
  pre: string,
  heads: number,
  causal: boolean,
  lastOnly: boolean,
): tf.Tensor3D {
  const [B, T, D] = x.shape;
  const Tq = lastOnly ? 1 : T;
  const dh = D / heads;
  const qkv = dense(x, p[`${pre}.wqkv`], p[`${pre}.bqkv`]); // [B, T, 3D]
  const split = (t: tf.Tensor3D) =>
    tf.transpose(tf.reshape(t, [B, t.shape[1], heads, dh]), [0, 2, 1, 3]) as tf.Tensor4D; // [B, H, T, dh]
  const [qAll, k, v] = tf.split(qkv, 3, 2) as tf.Tensor3D[]; // [B, T, D] each
  const q = split(lastOnly ? lastPosition(qAll) : qAll); // [B, H, Tq, dh]
  let scores = tf.mul(tf.matMul(q, split(k), false, true), 1 / Math.sqrt(dh)) as tf.Tensor4D; // [B, H, Tq, T]
  if (causal) {
    const rows = lastOnly ? tf.slice(causalMask(T), [T - 1, 0], [1, T]) : causalMask(T); // [Tq, T]
    scores = tf.add(scores, rows); // [B, H, Tq, T]
  }
  const weights = tf.softmax(scores, -1); // [B, H, Tq, T]
  const out = tf.matMul(weights, split(v)); // [B, H, Tq, dh]
  const merged = tf.reshape(tf.transpose(out, [0, 2, 1, 3]), [B, Tq, D]) as tf.Tensor3D; // [B, Tq, D]
  return dense(merged, p[`${pre}.wo`], p[`${pre}.bo`]); // [B, Tq, D]
}

function mlp(x: tf.Tensor3D, p: TensorMap, pre: string): tf.Tensor3D {
  const h = dense(x, p[`${pre}.w1`], p[`${pre}.b1`]); // [B, T, M]
  // GELU, tanh approximation (GPT-2): ½h(1 + tanh(√(2/π)(h + 0.044715h³)))
  const inner = tf.mul(
    tf.add(h, tf.mul(tf.mul(tf.square(h), h), 0.044715)),
    Math.sqrt(2 / Math.PI),
  ); // [B, T, M]
  const gelu = tf.mul(tf.mul(h, 0.5), tf.add(1, tf.tanh(inner))) as tf.Tensor3D; // [B, T, M]
  return dense(gelu, p[`${pre}.w2`], p[`${pre}.b2`]); // [B, T, D]
}

/**
 * Logits for int32 tokens [B, T]: [B, C] for the classify head (last position), [B, T, C] for lm.
 * Call inside tf.tidy (or a gradient function); nothing here disposes.
 */
export function forward(
  params: TensorMap,
  tokens: tf.Tensor2D,
  s: ModelSettings,
  opts: ForwardOptions = {},
): tf.Tensor {
  const [B, T] = tokens.shape;
  const causal = opts.causal ?? s.head === 'lm';
  const masks = opts.dropoutMasks ?? null;
  const pos = tf.slice(params.posEmb, [0, 0], [T, s.dModel]); // [T, D]
  // The lookup is a one-hot matMul, not tf.gather: gather's gradient (UnsortedSegmentSum) costs
  // O(V·B·T·D) on the cpu backend and took 35 % of a training step on the benchmark model.
  const oneHot = tf.oneHot(tf.reshape(tokens, [B * T]) as tf.Tensor1D, s.vocab); // [B*T, V]
  const emb = tf.reshape(matMul(oneHot as tf.Tensor2D, params.tokEmb as tf.Tensor2D), [
    B,
    T,
    s.dModel,
  ]); // [B, T, D]
  let h = tf.add(emb, pos) as tf.Tensor3D; // [B, T, D]
  for (let l = 0; l < s.layers; l++) {
    const b = `block${l}`;
    // The classify head reads only the last position, and in the last block nothing mixes
    // positions after the attention: its query, attention output, MLP and the final LayerNorm run
    // for the last position alone (Tl = 1), the same values as computed for every position.
    const lastOnly = s.head === 'classify' && l === s.layers - 1;
    const mask = (m: tf.Tensor3D) => (lastOnly ? lastPosition(m) : m); // [B, Tl, D]
    let a = attention(
      layerNorm(h, params[`${b}.ln1.g`], params[`${b}.ln1.b`]),
      params,
      `${b}.attn`,
      s.heads,
      causal,
      lastOnly,
    ); // [B, Tl, D]
    if (masks) a = tf.mul(a, mask(masks.attn[l])); // [B, Tl, D]
    h = tf.add(lastOnly ? lastPosition(h) : h, a); // [B, Tl, D]
    let m = mlp(layerNorm(h, params[`${b}.ln2.g`], params[`${b}.ln2.b`]), params, `${b}.mlp`); // [B, Tl, D]
    if (masks) m = tf.mul(m, mask(masks.mlp[l])); // [B, Tl, D]
    h = tf.add(h, m); // [B, Tl, D]
  }
  h = layerNorm(h, params['lnf.g'], params['lnf.b']); // [B, Tl, D]
  if (s.head === 'classify') {
    const last = tf.reshape(lastPosition(h), [B, s.dModel]) as tf.Tensor2D; // [B, D]
    return tf.add(matMul(last, params['head.w'] as tf.Tensor2D), params['head.b']); // [B, C]
  }
  return dense(h, params['head.w'], params['head.b']); // [B, T, C]
}

/** The step's dropout masks as the Model interface's StepNoise. */
type TransformerNoise = DropoutMasks & StepNoise;

/**
 * The toy transformer as a Model over token batches: the race, the diagnostics and the worker see
 * only this. The heatmap opens on the first block's attention weights.
 */
export function transformer(s: ModelSettings): Model<TokenBatch> & { settings: ModelSettings } {
  return {
    settings: s,
    params: paramShapes(s),
    etaMatrix: 'block0.attn.wqkv',
    init: (seed) => initParams(s, seed),
    stepNoise(batch, seed, step): TransformerNoise | null {
      const masks = makeDropoutMasks(s, batch.tokens.shape[0], seed, step);
      return masks && { ...masks, dispose: () => disposeMasks(masks) };
    },
    loss: (params, batch, noise) =>
      crossEntropy(
        forward(params, batch.tokens, s, { dropoutMasks: noise as TransformerNoise | null }),
        batch.targets,
        s.classes,
      ),
    predict: (params, batch) => forward(params, batch.tokens, s),
  };
}

/**
 * Rough peak memory of training in bytes, for the "too large for this backend" check before
 * training starts: per run, x, m, v, v̂ plus a step's s, δ, g, η, x+δ and x_{t+1} (10 copies of
 * the parameters), plus the activations a backward pass keeps (about 3× the forward's: the
 * tensors, their gradients and temporaries), for one gradient pass at a time.
 */
export function estimateBytes(s: ModelSettings, batch: number, runs = 1): number {
  const P = paramCount(s);
  const BT = batch * s.seqLen;
  const perBlock = BT * (10 * s.dModel + 3 * s.mlp) + 3 * batch * s.heads * s.seqLen * s.seqLen;
  const logits = (s.head === 'lm' ? BT : batch) * s.classes * 3;
  const activations = 3 * (s.layers * perBlock + BT * s.dModel * 3 + logits);
  return 4 * (10 * P * runs + activations);
}

/** The largest single tensor of a step in bytes (attention scores or logits), for per-buffer limits. */
export function largestTensorBytes(s: ModelSettings, batch: number): number {
  const scores = batch * s.heads * s.seqLen * s.seqLen;
  const logits = (s.head === 'lm' ? batch * s.seqLen : batch) * s.classes;
  const hidden = batch * s.seqLen * Math.max(s.mlp, 3 * s.dModel);
  return 4 * Math.max(scores, logits, hidden, s.vocab * s.dModel);
}
