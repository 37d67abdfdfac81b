/**
 * WebGPU compute programs for the optimizer step (TF.js custom programs, run with
 * backend.runWebGPUProgram). They work on flat buffers that ./gpuCopies fills and empties by
 * buffer copies (not dispatches), so one program can cover every parameter tensor at once:
 *
 *   NormProgram     partial sums of s² (SAM) or (T⊙s)² with T = |x| + η_A (ASAM) over all
 *                   parameters, one per workgroup (and Σ s² beside them for ASAM's ‖s‖): the
 *                   global norm of spec §4.2 in one dispatch instead of 2P + 5 ops.
 *   AscentProgram   in place on the packed [x | s] buffer: each workgroup sums the partials (in
 *                   the same order as every other), then x + δ over the first half and, when
 *                   asked, δ over the second: spec §4.2 for all tensors in one dispatch.
 *   UpdateProgram   spec §4.4–4.7 for one tensor: x_{t+1}, m (v, v̂, and η and g + λx when asked)
 *                   packed into one output, then one non-finite marker per workgroup (s, g,
 *                   x_{t+1}, m, v or v̂ not finite; WGSL has no isNan: by bit pattern).
 *   FlagProgram     the step's readback: [ok, loss, ‖·‖, f(x + δ), ‖s‖], ok = 1 when the loss is
 *                   finite and no workgroup of any update marked a non-finite value.
 *
 * Scalars (β1, 1−β1, γ/bc1, √bc2, …) arrive as float32 uniforms computed in JS doubles, the same
 * float32 values the op path's tf.scalar()s hold; each float32 operation is the op path's, in its
 * order. Element-wise programs loop over their entries with a grid stride, so a few hundred
 * workgroups cover any size without tfjs reshaping the dispatch.
 */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

/** Threads per workgroup of every program here. */
export const WORKGROUP = 256;
/** Most workgroups of the norm: its partial sums are then summed with one per thread. */
export const MAX_NORM_GROUPS = WORKGROUP;
/** Most workgroups of an element-wise pass (each thread strides over the rest). */
export const MAX_GROUPS = 1024;

/** Workgroups for a grid-stride pass over `n` entries, at most `max`. */
export const groupsFor = (n: number, max: number): number =>
  Math.max(1, Math.min(max, Math.ceil(n / WORKGROUP)));

/** True where a float32's exponent bits are all ones: ±Inf or NaN. */
const NON_FINITE_WGSL = `
  fn nonFinite(v : f32) -> bool {
    return (bitcast<u32>(v) & 0x7f800000u) == 0x7f800000u;
  }`;

/**
 * The workgroup's sum of one value per thread, as a fixed tree (the same order in every
 * workgroup and program); every thread gets the total. Call from uniform control flow.
 */
const WORKGROUP_SUM_WGSL = `
  var<workgroup> partial : array<f32, ${WORKGROUP}>;
  fn workgroupSum(value : f32) -> f32 {
    partial[localIndex] = value;
    workgroupBarrier();
    for (var stride = ${WORKGROUP / 2}u; stride > 0u; stride = stride / 2u) {
      if (localIndex < stride) {
        partial[localIndex] = partial[localIndex] + partial[localIndex + stride];
      }
      workgroupBarrier();
    }
    let total = partial[0];
    workgroupBarrier();
    return total;
  }`;

/** The loop header of a grid-stride pass over entries 0 … n−1. */
const GRID_LOOP = (n: string) =>
  `for (var i = i32(workgroupId.x) * ${WORKGROUP} + i32(localIndex); i < ${n}; i = i + i32(numWorkgroups.x) * ${WORKGROUP})`;

/** A program of `groups` workgroups writing a flat output of `outputSize` entries. */
abstract class GridProgram implements WebGPUProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  variableNames: string[];
  uniforms: string;

  constructor(
    key: string,
    variableNames: string[],
    uniforms: string,
    outputSize: number,
    groups: number,
  ) {
    this.shaderKey = key;
    this.variableNames = variableNames;
    this.uniforms = uniforms;
    this.outputShape = [outputSize];
    this.dispatch = [groups, 1, 1];
  }

  abstract getUserCode(): string;
}

/**
 * Input `xs`: the packed [x | s] buffer (x absent when `sOffset` is 0). Uniforms: n (entries of
 * s), sOffset (where s starts), asamEta. Output: the workgroups' partial sums of the ascent
 * direction's squares, then (`withPlain`, ASAM) those of s² — `groups` entries each.
 */
export class NormProgram extends GridProgram {
  readonly #asam: boolean;
  readonly #withPlain: boolean;

  constructor(groups: number, asam: boolean, withPlain: boolean) {
    super(
      `adasam_norm_${asam}_${withPlain}`,
      ['xs'],
      'n : i32, sOffset : i32, asamEta : f32,',
      (withPlain ? 2 : 1) * groups,
      groups,
    );
    this.#asam = asam;
    this.#withPlain = withPlain;
  }

  getUserCode(): string {
    const term = this.#asam ? '(abs(xs[i]) + uniforms.asamEta) * s' : 's';
    return `
      ${WORKGROUP_SUM_WGSL}
      fn main(index : i32) {
        var acc = 0.0;
        var plain = 0.0;
        ${GRID_LOOP('uniforms.n')} {
          let s = xs[uniforms.sOffset + i];
          let t = ${term};
          acc = acc + t * t;
          ${this.#withPlain ? 'plain = plain + s * s;' : ''}
        }
        let total = workgroupSum(acc);
        ${this.#withPlain ? 'let totalPlain = workgroupSum(plain);' : ''}
        if (localIndex == 0u) {
          result[workgroupId.x] = total;
          ${this.#withPlain ? 'result[numWorkgroups.x + workgroupId.x] = totalPlain;' : ''}
        }
      }`;
  }
}

/** WGSL: `sum` = the first `uniforms.groups` partials from `offset` on, in the fixed tree order. */
const sumPartials = (sum: string, offset: string) => `
  var ${sum}Part = 0.0;
  if (i32(localIndex) < uniforms.groups) { ${sum}Part = partials[${offset} + i32(localIndex)]; }
  let ${sum} = workgroupSum(${sum}Part);`;

/**
 * Runs in place on the packed [x | s] buffer (the program's output, 2n entries): x + δ over the
 * first half, and δ over the second when `writeDelta`, with δ = c·s (SAM) or c·T⊙T⊙s (ASAM),
 * c = (n == 0) ? 0 : ρ/(n + ξ). Input: the norm's partials. Uniforms: n, groups (the norm's
 * workgroups), rho, xi, asamEta.
 */
export class AscentProgram extends GridProgram {
  readonly #asam: boolean;
  readonly #writeDelta: boolean;

  constructor(n: number, asam: boolean, writeDelta: boolean) {
    super(
      `adasam_ascent_${asam}_${writeDelta}`,
      ['partials'],
      'n : i32, groups : i32, rho : f32, xi : f32, asamEta : f32,',
      2 * n,
      groupsFor(n, MAX_GROUPS),
    );
    this.#asam = asam;
    this.#writeDelta = writeDelta;
  }

  getUserCode(): string {
    const dir = this.#asam ? 't * t * s' : 's';
    return `
      ${WORKGROUP_SUM_WGSL}
      fn main(index : i32) {
        ${sumPartials('total', '0')}
        let norm = sqrt(total);
        let c = select(uniforms.rho / (norm + uniforms.xi), 0.0, norm == 0.0);
        ${GRID_LOOP('uniforms.n')} {
          let x = result[i];
          let s = result[uniforms.n + i];
          let t = abs(x) + uniforms.asamEta;
          let delta = (${dir}) * c;
          result[i] = x + delta;
          ${this.#writeDelta ? 'result[uniforms.n + i] = delta;' : ''}
        }
      }`;
  }
}

/** Which values an UpdateProgram writes, in this order, each n entries. */
export type UpdateSlot = 'x' | 'm' | 'v' | 'vHat' | 'eta' | 'g';

/** The config switches an update program is compiled for (values travel as uniforms). */
export interface UpdateVariant {
  adaptive: boolean;
  amsgrad: boolean;
  epsAdd: boolean;
  biasCorrection: boolean;
  /** g_t + λ·x_t (spec §4.3, coupled L2) */
  decay: boolean;
}

/** The slots an update writes: x, m, then v, v̂ (adaptive), η (asked, adaptive), g + λx (asked, decay). */
export function updateSlots(v: UpdateVariant, withEta: boolean, withG: boolean): UpdateSlot[] {
  const slots: UpdateSlot[] = ['x', 'm'];
  if (v.adaptive) slots.push('v', 'vHat');
  if (v.adaptive && withEta) slots.push('eta');
  if (v.decay && withG) slots.push('g');
  return slots;
}

/**
 * Uniforms, all float32 but n: n, beta1, 1−β1, beta2, 1−β2, lr (γ/bc1 adaptive, γ otherwise),
 * sqrt(bc2), eps, eps², weightDecay. Inputs: x, g, s, m, and v, v̂ when adaptive. Output: the
 * slots, n entries each, then one entry per workgroup: 1 where it met a non-finite value.
 */
export class UpdateProgram extends GridProgram {
  readonly #v: UpdateVariant;
  readonly #slots: UpdateSlot[];

  constructor(n: number, v: UpdateVariant, slots: UpdateSlot[]) {
    const groups = groupsFor(n, MAX_GROUPS);
    super(
      `adasam_update_${v.adaptive}_${v.amsgrad}_${v.epsAdd}_${v.biasCorrection}_${v.decay}_${slots.join('-')}`,
      v.adaptive ? ['x', 'g', 's', 'm', 'v', 'vHat'] : ['x', 'g', 's', 'm'],
      'n : i32, beta1 : f32, oneMinusBeta1 : f32, beta2 : f32, oneMinusBeta2 : f32, lr : f32, sqrtBc2 : f32, eps : f32, epsSq : f32, weightDecay : f32,',
      slots.length * n + groups,
      groups,
    );
    this.#v = v;
    this.#slots = slots;
  }

  getUserCode(): string {
    const v = this.#v;
    const second = v.adaptive
      ? `
          // 4.5 ((1−β2)·g)·g, torch's addcmul order
          let vNew = v[i] * uniforms.beta2 + (gi * uniforms.oneMinusBeta2) * gi;
          let vHatNew = ${v.amsgrad ? 'max(vHat[i], vNew)' : v.epsAdd ? 'vNew' : 'max(vNew, uniforms.epsSq)'};
          // 4.6 denom = √v̂/√bc2 (+ ε)
          let root = sqrt(vHatNew);
          let scaled = ${v.biasCorrection ? 'root / uniforms.sqrtBc2' : 'root'};
          let denom = ${v.epsAdd ? 'scaled + uniforms.eps' : 'scaled'};
          // 4.7 x − (γ/bc1)·(m/denom)
          let xNew = x[i] - (mNew / denom) * uniforms.lr;
          let bad = nonFinite(s[i]) || nonFinite(gi) || nonFinite(xNew) || nonFinite(mNew) ||
            nonFinite(vNew) || nonFinite(vHatNew);`
      : `
          let xNew = x[i] - mNew * uniforms.lr;
          let bad = nonFinite(s[i]) || nonFinite(gi) || nonFinite(xNew) || nonFinite(mNew);`;
    const value: Record<UpdateSlot, string> = {
      x: 'xNew',
      m: 'mNew',
      v: 'vNew',
      vHat: 'vHatNew',
      eta: '1.0 / denom',
      g: 'gi',
    };
    const writes = this.#slots
      .map((slot, k) => `result[${k} * uniforms.n + i] = ${value[slot]};`)
      .join('\n          ');
    return `
      ${NON_FINITE_WGSL}
      var<workgroup> marked : atomic<u32>;
      fn main(index : i32) {
        ${
          // every input keeps its binding in the pipeline's automatic layout (tfjs binds them
          // all): the Adam variant does not read v̂, nor a run without decay λ
          v.adaptive && !v.amsgrad ? 'if (index < 0) { result[0] = vHat[0]; }' : ''
        }
        if (index < 0) { result[0] = uniforms.weightDecay; }
        ${GRID_LOOP('uniforms.n')} {
          // 4.3 coupled L2 at x_t
          let gi = ${v.decay ? 'g[i] + x[i] * uniforms.weightDecay' : 'g[i]'};
          // 4.4 m = β1·m + (1−β1)·g
          let mNew = m[i] * uniforms.beta1 + gi * uniforms.oneMinusBeta1;
          ${second}
          if (bad) { atomicStore(&marked, 1u); }
          ${writes}
        }
        workgroupBarrier();
        if (localIndex == 0u) {
          result[${this.#slots.length} * uniforms.n + i32(workgroupId.x)] = f32(atomicLoad(&marked));
        }
      }`;
  }
}

/**
 * Single workgroup. Inputs: `flags` = [loss, f(x + δ)?, the updates' workgroup markers …] and,
 * when `sums` > 0, the norm's partials (`sums` runs of `groups` entries). Uniforms: count (entries
 * of flags), markersFrom (where the markers start), groups. Output [5]: ok (1 = commit), loss,
 * the ascent norm, f(x + δ) (garbage when markersFrom is 1), ‖s‖ (both norms 0 without sums).
 */
export class FlagProgram extends GridProgram {
  readonly #sums: 0 | 1 | 2;

  constructor(sums: 0 | 1 | 2) {
    super(
      `adasam_flag_${sums}`,
      sums > 0 ? ['flags', 'partials'] : ['flags'],
      'count : i32, markersFrom : i32, groups : i32,',
      5,
      1,
    );
    this.#sums = sums;
  }

  getUserCode(): string {
    const sums = this.#sums;
    return `
      ${NON_FINITE_WGSL}
      ${WORKGROUP_SUM_WGSL}
      fn main(index : i32) {
        var marked = 0.0;
        for (var i = uniforms.markersFrom + i32(localIndex); i < uniforms.count; i = i + ${WORKGROUP}) {
          if (flags[i] != 0.0) { marked = marked + 1.0; }
        }
        let markedTotal = workgroupSum(marked);
        ${sums > 0 ? sumPartials('total', '0') : 'let total = 0.0 * f32(uniforms.groups);'}
        ${sums > 1 ? sumPartials('plain', 'uniforms.groups') : 'let plain = total;'}
        if (localIndex == 0u) {
          let loss = flags[0];
          result[0] = select(0.0, 1.0, markedTotal == 0.0 && !nonFinite(loss));
          result[1] = loss;
          result[2] = sqrt(total);
          result[3] = flags[min(1, uniforms.count - 1)];
          result[4] = sqrt(plain);
        }
      }`;
  }
}
