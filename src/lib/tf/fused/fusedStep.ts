/**
 * Spec §4 with the fused WebGPU programs (programs.ts), in the two halves TensorOptimizer runs:
 * fusedAscend is lib/optim's ascend (4.1–4.3) and fusedUpdate its update (4.4–4.7) for one
 * parameter tensor; fusedFlag turns the loss and the NaN-poisoned x_{t+1} of every tensor into
 * the step's ok flag, read by the caller before it commits anything (spec §7.5). All run inside
 * the caller's tf.tidy. The two gradient passes are the model's own ops; everything else is:
 *
 *   global norm   ⌈P/6⌉ dispatches (⌈P/3⌉ for ASAM), chained partial sums, plus one √ for ‖s‖
 *   x + δ         one dispatch per parameter tensor (δ itself only when asked for)
 *   update        x_{t+1} and m, and for adaptive runs v and v̂, one dispatch each per tensor
 *                 (η only when asked for)
 *   ok flag       ⌈(P+1)/6⌉ dispatches over the loss and the NaN-poisoned x_{t+1}
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { powInt } from '../../math/detmath';
import type { OptimizerConfig } from '../../optim/config';
import type { Ascent, ValueAndGrad } from '../../optim/step';
import type { TensorMap } from '../tensorSpace';
import {
  AscentProgram,
  NonFiniteProgram,
  SumSquaresProgram,
  UpdateProgram,
  type UpdateOutput,
} from './programs';

/** Runs one program on the WebGPU backend; float32 uniforms in the program's declared order. */
function run(program: WebGPUProgram, inputs: tf.Tensor[], uniforms: number[] = []): tf.Tensor {
  const backend = tf.backend() as unknown as WebGPUBackend;
  const info = backend.runWebGPUProgram(
    program,
    inputs,
    'float32',
    uniforms.map((v) => ({ type: 'float32', data: [v] })),
  );
  return tf.engine().makeTensorFromTensorInfo(info);
}

const flat = (t: tf.Tensor) => t.reshape([-1]);

/** Splits `items` into chunks of at most `size`. */
function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Σ s² (or Σ (T⊙s)² for ASAM) over every tensor, as a [1] tensor. */
function sumOfSquares(keys: string[], x: TensorMap, s: TensorMap, c: OptimizerConfig): tf.Tensor {
  const asam = c.perturbation === 'asam';
  let total: tf.Tensor | null = null;
  // up to 7 storage buffers per program besides the output: 6 inputs and the running total
  for (const part of chunks(keys, asam ? 3 : 6)) {
    const inputs = part.flatMap((k) => (asam ? [flat(x[k]), flat(s[k])] : [flat(s[k])]));
    const program = new SumSquaresProgram(part.length, asam, total !== null);
    total = run(program, total ? [...inputs, total] : inputs, asam ? [c.asamEta] : []);
  }
  return total!;
}

/**
 * Spec §4.1–4.3 with fused programs (lib/optim's ascend): s_t, δ_t (when `withDelta`), g_t at the
 * temporary point x_t + δ_t; x itself is untouched. `c` must have passed validateConfig.
 */
export function fusedAscend(
  c: OptimizerConfig,
  x: TensorMap,
  valueAndGrad: ValueAndGrad<TensorMap, tf.Scalar>,
  withDelta: boolean,
): Ascent<TensorMap, tf.Scalar> {
  const keys = Object.keys(x);
  // 4.1 clean gradient
  const { loss, grad: s } = valueAndGrad(x);
  // 4.2–4.3 the ascent: x + δ as new tensors, x untouched
  let sNorm: tf.Scalar | null = null;
  let delta: TensorMap | null = null;
  let perturbed: ReturnType<typeof valueAndGrad> | null = null;
  if (c.rho !== 0) {
    const asam = c.perturbation === 'asam';
    const total = sumOfSquares(keys, x, s, c);
    sNorm = tf.sqrt(total).reshape([]) as tf.Scalar;
    const ascent = (key: string, addX: boolean) =>
      run(
        new AscentProgram(x[key].size, asam, addX),
        [flat(x[key]), flat(s[key]), total],
        [c.rho, c.perturbEps, c.asamEta],
      ).reshape(x[key].shape);
    if (withDelta) delta = Object.fromEntries(keys.map((key) => [key, ascent(key, false)]));
    perturbed = valueAndGrad(Object.fromEntries(keys.map((key) => [key, ascent(key, true)])));
  }
  let g = perturbed ? perturbed.grad : s;
  if (c.weightDecay > 0)
    g = Object.fromEntries(
      keys.map((key) => [key, tf.add(g[key], tf.mul(tf.scalar(c.weightDecay), x[key]))]),
    );
  return {
    loss,
    s,
    lossPerturbed: perturbed ? perturbed.loss : null,
    sNorm,
    delta,
    g,
    gradEvals: perturbed ? 2 : 1,
  };
}

/** One parameter tensor's inputs to the update: x_t, g_t, s_t and the state after step `k − 1`. */
export interface LeafInputs {
  x: tf.Tensor;
  g: tf.Tensor;
  s: tf.Tensor;
  m: tf.Tensor;
  /** null for non-adaptive runs */
  v: tf.Tensor | null;
  vHat: tf.Tensor | null;
}

/**
 * Spec §4.4–4.7 for one parameter tensor at step k (1-based), one program per output; bias
 * corrections in doubles (spec §4.6). The returned x is NaN wherever s, g, x_{t+1}, m, v or v̂ is
 * not finite, so that fusedFlag sees it; it is committed only when the flag says all is finite.
 */
export function fusedUpdate(
  c: OptimizerConfig,
  k: number,
  leaf: LeafInputs,
  withEta: boolean,
): {
  x: tf.Tensor;
  m: tf.Tensor;
  v: tf.Tensor | null;
  vHat: tf.Tensor | null;
  eta: tf.Tensor | null;
} {
  const adaptive = c.adaptive && leaf.v !== null && leaf.vHat !== null;
  const bc1 = c.biasCorrection ? 1 - powInt(c.beta1, k) : 1;
  const bc2 = c.biasCorrection ? 1 - powInt(c.beta2, k) : 1;
  const variant = {
    adaptive,
    amsgrad: c.amsgrad,
    epsAdd: c.epsMode === 'add',
    biasCorrection: bc2 !== 1,
  };
  const uniforms = [
    c.beta1,
    1 - c.beta1,
    c.beta2,
    1 - c.beta2,
    adaptive ? c.lr / bc1 : c.lr,
    Math.sqrt(bc2),
    c.eps,
    c.eps * c.eps,
  ];
  const inputs = [leaf.x, leaf.g, leaf.s, leaf.m];
  if (adaptive) inputs.push(leaf.v!, leaf.vHat!);
  const flatInputs = inputs.map(flat);
  const out = (o: UpdateOutput) =>
    run(new UpdateProgram(leaf.x.size, o, variant), flatInputs, uniforms).reshape(leaf.x.shape);
  return {
    x: out('x'),
    m: out('m'),
    v: adaptive ? out('v') : null,
    vHat: adaptive ? out('vHat') : null,
    eta: adaptive && withEta ? out('eta') : null,
  };
}

/** 1 when the loss and every x_{t+1} entry are finite, else 0, as a scalar. */
export function fusedFlag(loss: tf.Tensor, poisonedX: tf.Tensor[]): tf.Scalar {
  const parts = chunks([loss, ...poisonedX].map(flat), 6);
  let flag: tf.Tensor | null = null;
  parts.forEach((part, i) => {
    const program = new NonFiniteProgram(part.length, flag !== null, i === parts.length - 1);
    flag = run(program, flag ? [...part, flag] : part);
  });
  return flag!.reshape([]) as tf.Scalar;
}

/** Whether the fused programs can run: the active tfjs backend is WebGPU. */
export const fusedAvailable = (): boolean => tf.getBackend() === 'webgpu';
