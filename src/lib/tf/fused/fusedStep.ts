/**
 * Spec §4 with the fused WebGPU programs (programs.ts) over flat buffers that gpuCopies.ts
 * fills and empties by buffer copies (copies are not dispatches). TensorOptimizer runs it in
 * four parts: fusedAscend (4.1–4.3), fusedUpdate (4.4–4.7, one tensor), fusedReadback (the one
 * readback: the §7.5 flag and the step's scalars), and after the flag reads clean, the commit by
 * copies out of each tensor's packed update (fusedSlot). Besides the two gradient passes, a
 * step of P parameter tensors is at most P + 3 dispatches, whatever the caller keeps:
 *
 *   global norm   1   x and s gathered into one packed [x | s] buffer; partial sums per workgroup
 *   x + δ         1   in place on [x | s] (and δ over s when kept), scattered to per-tensor x + δ
 *   update        P   per tensor: x_{t+1}, m, v, v̂ (η, g + λx when kept) packed, plus a
 *                     non-finite marker per workgroup
 *   readback      1   markers and loss gathered; [ok, loss, ‖·‖, f(x + δ), ‖s‖]
 *
 * (ρ = 0: no norm and no x + δ, unless ‖s‖ is asked for: then the norm over s alone.)
 *
 * Scratch besides the state and the gradients, in copies of all parameters (N entries): the
 * packed [x | s] buffer, 2N, through the norm and the ascent; x + δ (N) through the second pass
 * (and δ, N, when kept); each tensor's packed update, 4N for adaptive runs (2N otherwise; +N for η
 * and +N for g + λx when kept) from the update until the commit. tfjs keeps freed buffers in its
 * pool for reuse, so a step's scratch stays allocated between steps.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { powInt } from '../../math/detmath';
import type { OptimizerConfig } from '../../optim/config';
import type { ValueAndGrad } from '../../optim/step';
import type { TensorMap } from '../tensorSpace';
import { copyRanges, emptyTensor, gpuBackend, sliceOf, type Copy } from './gpuCopies';
import {
  AscentProgram,
  FlagProgram,
  groupsFor,
  MAX_GROUPS,
  MAX_NORM_GROUPS,
  NormProgram,
  UpdateProgram,
  updateSlots,
  type UpdateSlot,
} from './programs';

type Uniform = { type: 'float32' | 'int32'; data: number[] };
const f32 = (v: number): Uniform => ({ type: 'float32', data: [v] });
const i32 = (v: number): Uniform => ({ type: 'int32', data: [v] });

/** Runs one program on the WebGPU backend; into `output` (in place) when given. */
function run(
  program: WebGPUProgram,
  inputs: tf.Tensor[],
  uniforms: Uniform[],
  output?: tf.Tensor,
): tf.Tensor {
  const info = gpuBackend().runWebGPUProgram(program, inputs, 'float32', uniforms, output);
  return output ?? tf.engine().makeTensorFromTensorInfo(info);
}

/** Flat view (no dispatch): one compiled pipeline serves every tensor shape. */
const flat = (t: tf.Tensor) => t.reshape([-1]);

/** Where each tensor of `keys` starts in a flat buffer of all of them, and the total. */
function offsets(m: TensorMap, keys: string[]): { at: number[]; total: number } {
  const at: number[] = [];
  let total = 0;
  for (const k of keys) {
    at.push(total);
    total += m[k].size;
  }
  return { at, total };
}

/** The norm's partial sums over the packed buffer `xs` (s from `sOffset`, n entries). */
interface Norm {
  partials: tf.Tensor;
  groups: number;
  /** 1: the ascent direction's squares; 2: and s² beside them (ASAM with ‖s‖ asked for) */
  sums: 1 | 2;
}

function norm(
  xs: tf.Tensor,
  n: number,
  sOffset: number,
  asam: boolean,
  plain: boolean,
  c: OptimizerConfig,
): Norm {
  const groups = groupsFor(n, MAX_NORM_GROUPS);
  const partials = run(
    new NormProgram(groups, asam, plain),
    [xs],
    [i32(n), i32(sOffset), f32(c.asamEta)],
  );
  return { partials, groups, sums: plain ? 2 : 1 };
}

/** Spec §4.1–4.3 on the fused path; every tensor belongs to the caller (inside its tf.tidy). */
export interface FusedAscent {
  loss: tf.Scalar;
  s: TensorMap;
  /** null when ρ = 0 */
  lossPerturbed: tf.Scalar | null;
  /** null unless kept, and when ρ = 0 */
  delta: TensorMap | null;
  /** g_t before weight decay (the update adds λx_t); the same tensors as s when ρ = 0 */
  g: TensorMap;
  /** null when ρ = 0 and ‖s‖ was not asked for */
  norm: Norm | null;
  gradEvals: number;
}

/**
 * Spec §4.1–4.3 (lib/optim's ascend): s_t, the global norm, x + δ for every tensor in one
 * dispatch, g_t at x_t + δ_t (x itself untouched). With `gradNorm`, the norm also carries ‖s‖.
 * `c` must have passed validateConfig.
 */
export function fusedAscend(
  c: OptimizerConfig,
  x: TensorMap,
  valueAndGrad: ValueAndGrad<TensorMap, tf.Scalar>,
  opts: { keep: boolean; gradNorm: boolean },
): FusedAscent {
  const keys = Object.keys(x);
  // 4.1 clean gradient
  const { loss, grad: s } = valueAndGrad(x);
  const { at, total: n } = offsets(x, keys);
  if (c.rho === 0) {
    let sNorm: Norm | null = null;
    if (opts.gradNorm) {
      const flatS = emptyTensor([n]);
      copyRanges(
        keys.map((k, i) => ({ src: s[k], srcAt: 0, dst: flatS, dstAt: at[i], count: s[k].size })),
      );
      sNorm = norm(flatS, n, 0, false, false, c);
      flatS.dispose();
    }
    return { loss, s, lossPerturbed: null, delta: null, g: s, norm: sNorm, gradEvals: 1 };
  }
  // 4.2 [x | s] gathered, the norm, then x + δ (and δ) in place
  const asam = c.perturbation === 'asam';
  const packed = emptyTensor([2 * n]);
  const gather: Copy[] = keys.flatMap((k, i) => [
    { src: x[k], srcAt: 0, dst: packed, dstAt: at[i], count: x[k].size },
    { src: s[k], srcAt: 0, dst: packed, dstAt: n + at[i], count: x[k].size },
  ]);
  copyRanges(gather);
  const sNorm = norm(packed, n, n, asam, asam && opts.gradNorm, c);
  run(
    new AscentProgram(n, asam, opts.keep),
    [sNorm.partials],
    [i32(n), i32(sNorm.groups), f32(c.rho), f32(c.perturbEps), f32(c.asamEta)],
    packed,
  );
  const shifted: TensorMap = {};
  const delta: TensorMap = {};
  keys.forEach((k, i) => {
    shifted[k] = sliceOf(packed, at[i], x[k].shape);
    if (opts.keep) delta[k] = sliceOf(packed, n + at[i], x[k].shape);
  });
  packed.dispose();
  // 4.3
  const perturbed = valueAndGrad(shifted);
  tf.dispose(Object.values(shifted));
  return {
    loss,
    s,
    lossPerturbed: perturbed.loss,
    delta: opts.keep ? delta : null,
    g: perturbed.grad,
    norm: sNorm,
    gradEvals: 2,
  };
}

/** One parameter tensor's inputs to the update: x_t, g_t (before decay), s_t and the state after step `k − 1`. */
export interface LeafInputs {
  x: tf.Tensor;
  g: tf.Tensor;
  s: tf.Tensor;
  m: tf.Tensor;
  /** null for non-adaptive runs */
  v: tf.Tensor | null;
  vHat: tf.Tensor | null;
}

/** One tensor's packed update: `slots` of n entries each, then `groups` non-finite markers. */
export interface FusedLeaf {
  packed: tf.Tensor;
  slots: UpdateSlot[];
  n: number;
  groups: number;
}

/**
 * Spec §4.4–4.7 for one parameter tensor at step k (1-based), in one dispatch; bias corrections
 * in doubles (spec §4.6). Nothing is committed: the caller copies the slots out (fusedSlot) once
 * fusedReadback's flag says the whole step is finite.
 */
export function fusedUpdate(
  c: OptimizerConfig,
  k: number,
  leaf: LeafInputs,
  opts: { withEta: boolean; withG: boolean },
): FusedLeaf {
  const adaptive = c.adaptive && leaf.v !== null && leaf.vHat !== null;
  const bc1 = c.biasCorrection ? 1 - powInt(c.beta1, k) : 1;
  const bc2 = c.biasCorrection ? 1 - powInt(c.beta2, k) : 1;
  const variant = {
    adaptive,
    amsgrad: c.amsgrad,
    epsAdd: c.epsMode === 'add',
    biasCorrection: bc2 !== 1,
    decay: c.weightDecay > 0,
  };
  const slots = updateSlots(variant, opts.withEta, opts.withG);
  const uniforms = [
    i32(leaf.x.size),
    ...[
      c.beta1,
      1 - c.beta1,
      c.beta2,
      1 - c.beta2,
      adaptive ? c.lr / bc1 : c.lr,
      Math.sqrt(bc2),
      c.eps,
      c.eps * c.eps,
      c.weightDecay,
    ].map(f32),
  ];
  const inputs = [leaf.x, leaf.g, leaf.s, leaf.m];
  if (adaptive) inputs.push(leaf.v!, leaf.vHat!);
  const program = new UpdateProgram(leaf.x.size, variant, slots);
  return {
    packed: run(program, inputs.map(flat), uniforms),
    slots,
    n: leaf.x.size,
    groups: program.dispatch[0],
  };
}

/** A new tensor of `shape` with the slot `slot` of a packed update; null when it has none. */
export function fusedSlot(leaf: FusedLeaf, slot: UpdateSlot, shape: number[]): tf.Tensor | null {
  const i = leaf.slots.indexOf(slot);
  return i < 0 ? null : sliceOf(leaf.packed, i * leaf.n, shape);
}

/**
 * The step's one readback, as a [5] tensor: [ok, loss, ascent norm, f(x + δ), ‖s‖]; ok is 1 when
 * the loss is finite and no update met a non-finite s, g, x_{t+1}, m, v or v̂ (spec §7.5). The
 * norms are 0, and f(x + δ) unset, where the ascent did not make them.
 */
export function fusedReadback(a: FusedAscent, leaves: FusedLeaf[]): tf.Tensor {
  const markersFrom = a.lossPerturbed ? 2 : 1;
  const count = markersFrom + leaves.reduce((sum, l) => sum + l.groups, 0);
  const flags = emptyTensor([count]);
  const copies: Copy[] = [{ src: a.loss, srcAt: 0, dst: flags, dstAt: 0, count: 1 }];
  if (a.lossPerturbed)
    copies.push({ src: a.lossPerturbed, srcAt: 0, dst: flags, dstAt: 1, count: 1 });
  let at = markersFrom;
  for (const l of leaves) {
    copies.push({
      src: l.packed,
      srcAt: l.slots.length * l.n,
      dst: flags,
      dstAt: at,
      count: l.groups,
    });
    at += l.groups;
  }
  copyRanges(copies);
  const sums = a.norm?.sums ?? 0;
  const out = run(new FlagProgram(sums), a.norm ? [flags, a.norm.partials] : [flags], [
    i32(count),
    i32(markersFrom),
    i32(a.norm?.groups ?? 0),
  ]);
  flags.dispose();
  return out;
}

/** Whether the fused programs can run: the active tfjs backend is WebGPU. */
export const fusedAvailable = (): boolean => tf.getBackend() === 'webgpu';

/** The most slots an update packs (x, m, v, v̂, η, g + λx). */
const MAX_SLOTS = 6;

/**
 * Whether the fused step's flat buffers fit one storage binding of this device: [x | s] holds
 * two copies of every parameter, a packed update up to six of the largest tensor (a device with
 * small limits, or a very large model, takes the op path instead).
 */
export function fusedFits(x: TensorMap): boolean {
  const { maxStorageBufferBindingSize, maxBufferSize } = gpuBackend().device.limits;
  const limit = Math.min(maxStorageBufferBindingSize, maxBufferSize);
  const sizes = Object.values(x).map((t) => t.size);
  const total = sizes.reduce((a, b) => a + b, 0);
  const largest = Math.max(0, ...sizes);
  return 4 * 2 * total <= limit && 4 * (MAX_SLOTS * largest + MAX_GROUPS) <= limit;
}
