/**
 * Spec §4.4–4.7 for one parameter tensor on the wasm backend, as one pass over the wasm heap
 * instead of lib/optim's update on tensorSpace (a dozen kernels, each allocating its output). It
 * computes what that op path computes, bit for bit: every operation is the same IEEE float32
 * operation in the same order (each double result rounded by Math.fround, which for +, −, ×, ÷
 * and √ of float32 operands gives the correctly rounded float32 result), with the same float32
 * scalars (tf.scalar(c) rounds c the same way).
 *
 *   m_t   = β1·m_{t−1} + (1−β1)·g_t                                   4.4
 *   v_t   = β2·v_{t−1} + ((1−β2)·g_t)·g_t                             4.5
 *   v̂_t   = amsgrad ? max(v̂_{t−1}, v_t) : floor ? max(v_t, ε²) : v_t
 *   denom = √v̂_t / √bc2 (+ ε in add mode);  η_t = 1/denom              4.6
 *   x_{t+1} = x_t − (γ/bc1)·(m_t / denom)   (x_t − γ·m_t without η)    4.7
 *
 * The kernel also returns the §7.5 flag for this tensor: s, g, m_t, v_t, v̂_t and x_{t+1} are
 * all finite (stepFinite's test). Nothing is written into its inputs: the caller commits the new
 * tensors only after reading the flags of every tensor.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { powInt } from '../math/detmath';
import type { OptimizerConfig } from '../optim/config';

const KERNEL = 'AdaSAMUpdateWasm';
const fr = Math.fround;

/** The inputs of one tensor's update: x_t, g_t, s_t and the state before the step. */
export interface WasmUpdateInputs {
  x: tf.Tensor;
  g: tf.Tensor;
  /** null when the caller has already checked s (and freed it): g stands in for it */
  s: tf.Tensor | null;
  m: tf.Tensor;
  /** null for non-adaptive runs */
  v: tf.Tensor | null;
  vHat: tf.Tensor | null;
}

export interface WasmUpdateOutputs {
  x: tf.Tensor;
  m: tf.Tensor;
  v: tf.Tensor | null;
  vHat: tf.Tensor | null;
  /** η_t, when asked for (adaptive runs only) */
  eta: tf.Tensor | null;
  /** 0-d bool: everything of this tensor's step is finite */
  ok: tf.Tensor;
}

/** The attributes of one update, all float32-rounded as tf.scalar would round them. */
interface Attrs {
  adaptive: boolean;
  withEta: boolean;
  amsgrad: boolean;
  /** 0: v̂ = v; 1: max(v, ε²) (floor mode without AMSGrad) */
  floor: boolean;
  beta1: number;
  oneMinusBeta1: number;
  beta2: number;
  oneMinusBeta2: number;
  eps2: number;
  /** √bc2, or 1 when bc2 = 1 (no division then, as in precondition) */
  sqrtBc2: number;
  /** ε added to the denominator in add mode, else null */
  epsAdd: number | null;
  /** γ/bc1 (adaptive) or γ (not) */
  stepScale: number;
}

const isFinite32 = (a: number) => a - a === 0;

const updateKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as unknown as BackendWasm;
  const a = attrs as unknown as Attrs;
  const info = (name: string) => inputs[name] as tf.TensorInfo;
  const shape = info('x').shape;
  const n = tf.util.sizeFromShape(shape);
  // allocate every output before taking views: an allocation may grow (and move) the heap
  const outX = wasm.makeOutput(shape, 'float32');
  const outM = wasm.makeOutput(shape, 'float32');
  const outV = a.adaptive ? wasm.makeOutput(shape, 'float32') : null;
  const outVHat = a.adaptive ? wasm.makeOutput(shape, 'float32') : null;
  const outEta = a.adaptive && a.withEta ? wasm.makeOutput(shape, 'float32') : null;
  const outOk = wasm.makeOutput([], 'bool');
  const view = (t: tf.TensorInfo) => wasm.typedArrayFromHeap(t) as Float32Array;
  const x = view(info('x'));
  const g = view(info('g'));
  const s = inputs.s ? view(info('s')) : g;
  const m = view(info('m'));
  const xNext = view(outX);
  const mNext = view(outM);
  let finite = true;
  if (!a.adaptive) {
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      const mi = fr(fr(a.beta1 * m[i]) + fr(a.oneMinusBeta1 * gi));
      const xi = fr(x[i] - fr(a.stepScale * mi));
      mNext[i] = mi;
      xNext[i] = xi;
      if (!(isFinite32(s[i]) && isFinite32(gi) && isFinite32(mi) && isFinite32(xi))) finite = false;
    }
  } else {
    const v = view(info('v'));
    const vHat = view(info('vHat'));
    const vNext = view(outV!);
    const vHatNext = view(outVHat!);
    const eta = outEta ? view(outEta) : null;
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      const mi = fr(fr(a.beta1 * m[i]) + fr(a.oneMinusBeta1 * gi));
      const vi = fr(fr(a.beta2 * v[i]) + fr(fr(a.oneMinusBeta2 * gi) * gi));
      // Math.max of a NaN is NaN, as tf.maximum's is; the step is then refused anyway
      const vHatI = a.amsgrad ? Math.max(vHat[i], vi) : a.floor ? Math.max(vi, a.eps2) : vi;
      const root = fr(Math.sqrt(vHatI));
      const scaled = a.sqrtBc2 === 1 ? root : fr(root / a.sqrtBc2);
      const denom = a.epsAdd === null ? scaled : fr(scaled + a.epsAdd);
      const xi = fr(x[i] - fr(a.stepScale * fr(mi / denom)));
      mNext[i] = mi;
      vNext[i] = vi;
      vHatNext[i] = vHatI;
      xNext[i] = xi;
      if (eta) eta[i] = fr(1 / denom);
      if (!(
        isFinite32(s[i]) &&
        isFinite32(gi) &&
        isFinite32(mi) &&
        isFinite32(vi) &&
        isFinite32(vHatI) &&
        isFinite32(xi)
      ))
        finite = false;
    }
  }
  (wasm.typedArrayFromHeap(outOk) as Uint8Array)[0] = finite ? 1 : 0;
  return [outX, outM, outV, outVHat, outEta, outOk].filter((t): t is tf.TensorInfo => t !== null);
};

/** Registers the kernel on wasm (once); call after the wasm backend is registered. */
export function registerWasmUpdate(): void {
  if (!tf.getKernel(KERNEL, 'wasm'))
    tf.registerKernel({ kernelName: KERNEL, backendName: 'wasm', kernelFunc: updateKernel });
}

/** True when the current backend is wasm and the kernel is registered. */
export function wasmUpdateAvailable(): boolean {
  return tf.getBackend() === 'wasm' && tf.getKernel(KERNEL, 'wasm') !== undefined;
}

/**
 * Spec §4.4–4.7 for one tensor at step k (counted from 1) on wasm; the result owns new tensors.
 * `c` must have passed validateConfig.
 */
export function wasmUpdate(
  c: OptimizerConfig,
  k: number,
  t: WasmUpdateInputs,
  withEta: boolean,
): WasmUpdateOutputs {
  const adaptive = c.adaptive && t.v !== null && t.vHat !== null;
  // 4.6 bias corrections in float64 scalars, as lib/optim's update computes them
  const bc1 = adaptive && c.biasCorrection ? 1 - powInt(c.beta1, k) : 1;
  const bc2 = adaptive && c.biasCorrection ? 1 - powInt(c.beta2, k) : 1;
  const attrs: Attrs = {
    adaptive,
    withEta: adaptive && withEta,
    amsgrad: c.amsgrad,
    floor: c.epsMode === 'floor',
    beta1: fr(c.beta1),
    oneMinusBeta1: fr(1 - c.beta1),
    beta2: fr(c.beta2),
    oneMinusBeta2: fr(1 - c.beta2),
    eps2: fr(c.eps * c.eps),
    sqrtBc2: bc2 === 1 ? 1 : fr(Math.sqrt(bc2)),
    epsAdd: c.epsMode === 'add' ? fr(c.eps) : null,
    stepScale: fr(adaptive ? c.lr / bc1 : c.lr),
  };
  const inputs: tf.NamedTensorMap = { x: t.x, g: t.g, m: t.m };
  if (t.s) inputs.s = t.s;
  if (adaptive) Object.assign(inputs, { v: t.v!, vHat: t.vHat! });
  const out = tf
    .engine()
    .runKernel(KERNEL, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  const [x, m] = out;
  const rest = out.slice(2);
  return {
    x,
    m,
    v: adaptive ? rest.shift()! : null,
    vHat: adaptive ? rest.shift()! : null,
    eta: attrs.withEta ? rest.shift()! : null,
    ok: rest.shift()!,
  };
}
