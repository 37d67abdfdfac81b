/**
 * WebGPU compute programs for the optimizer step (TF.js custom programs, run with
 * backend.runWebGPUProgram). Each replaces a chain of generic ops:
 *
 *   SumSquaresProgram  Σ s² (SAM) or Σ (T⊙s)² with T = |x| + η_A (ASAM) over up to 3 parameter
 *                      tensors, plus the running total of the previous chunk: the global norm of
 *                      spec §4.2 in ⌈P/3⌉ single-workgroup dispatches instead of 2P + 5 ops.
 *   AscentProgram      δ = c·s (SAM) or c·T⊙T⊙s (ASAM), c = (n == 0) ? 0 : ρ/(n + ξ), and
 *                      optionally x + δ: spec §4.2 in one dispatch per tensor.
 *   UpdateProgram      spec §4.4–4.7 for one tensor, one output (x_{t+1}, m, v, v̂ or η), all from
 *                      the same inputs; the x_{t+1} output is poisoned with NaN wherever s, g,
 *                      x_{t+1}, m, v or v̂ is not finite (WGSL has no isNan: by bit pattern).
 *   NonFiniteProgram   counts the non-finite entries of up to 6 tensors plus the running count;
 *                      the last chunk turns the count into the step's ok flag (1 = commit).
 *
 * Scalars (β1, 1−β1, γ/bc1, √bc2, …) arrive as float32 uniforms computed in JS doubles, the same
 * float32 values the op path's tf.scalar()s hold. Inputs are flattened (reshape is free), so one
 * compiled pipeline serves every tensor shape.
 */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

const WORKGROUP = 256;

/** True where a float32's exponent bits are all ones: ±Inf or NaN. */
const NON_FINITE_WGSL = `
  fn nonFinite(v : f32) -> bool {
    return (bitcast<u32>(v) & 0x7f800000u) == 0x7f800000u;
  }`;

/** A single-workgroup reduction: each thread sums a strided share, then a tree in shared memory. */
abstract class ReductionProgram implements WebGPUProgram {
  outputShape = [1];
  shaderKey: string;
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number] = [1, 1, 1];
  workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  variableNames: string[];
  uniforms?: string;

  constructor(key: string, variableNames: string[]) {
    this.shaderKey = key;
    this.variableNames = variableNames;
  }

  /** WGSL that adds this thread's share to `acc` (a var<function> f32). */
  abstract accumulate(): string;
  /** WGSL expression of the written result from `total` (the workgroup's sum). */
  abstract finish(): string;

  getUserCode(): string {
    return `
      ${NON_FINITE_WGSL}
      var<workgroup> partial : array<f32, ${WORKGROUP}>;
      // a flat layout: tfjs passes the global index, unused by a one-workgroup reduction
      fn main(index : i32) {
        let tid = i32(localIndex);
        var acc = 0.0;
        // a reference to the uniforms keeps their binding in the pipeline's automatic layout
        // (tfjs always binds them); it never changes acc
        if (index < 0) { acc = uniforms.NAN; }
        ${this.accumulate()}
        partial[tid] = acc;
        workgroupBarrier();
        for (var stride = ${WORKGROUP / 2}; stride > 0; stride = stride / 2) {
          if (tid < stride) {
            partial[tid] = partial[tid] + partial[tid + stride];
          }
          workgroupBarrier();
        }
        if (tid == 0) {
          let total = partial[0];
          result[0] = ${this.finish()};
        }
      }`;
  }
}

/** Names of the k-th input tensor pair (x only for ASAM). */
const sName = (k: number) => `s${k}`;
const xName = (k: number) => `x${k}`;

export class SumSquaresProgram extends ReductionProgram {
  readonly #tensors: number;
  readonly #asam: boolean;
  readonly #chained: boolean;

  constructor(tensors: number, asam: boolean, chained: boolean) {
    const names = Array.from({ length: tensors }, (_, k) =>
      asam ? [xName(k), sName(k)] : [sName(k)],
    ).flat();
    super(`adasam_sumsq_${tensors}_${asam}_${chained}`, chained ? [...names, 'prev'] : names);
    this.#tensors = tensors;
    this.#asam = asam;
    this.#chained = chained;
    if (asam) this.uniforms = 'asamEta : f32,';
  }

  accumulate(): string {
    return Array.from({ length: this.#tensors }, (_, k) => {
      const s = sName(k);
      const term = this.#asam ? `(abs(${xName(k)}[i]) + uniforms.asamEta) * ${s}[i]` : `${s}[i]`;
      return `
        for (var i = tid; i < i32(arrayLength(&${s})); i = i + ${WORKGROUP}) {
          let t = ${term};
          acc = acc + t * t;
        }`;
    }).join('\n');
  }

  finish(): string {
    return this.#chained ? 'prev[0] + total' : 'total';
  }
}

export class NonFiniteProgram extends ReductionProgram {
  readonly #tensors: number;
  readonly #chained: boolean;
  readonly #last: boolean;

  constructor(tensors: number, chained: boolean, last: boolean) {
    const names = Array.from({ length: tensors }, (_, k) => `t${k}`);
    super(`adasam_nonfinite_${tensors}_${chained}_${last}`, chained ? [...names, 'prev'] : names);
    this.#tensors = tensors;
    this.#chained = chained;
    this.#last = last;
  }

  accumulate(): string {
    return Array.from(
      { length: this.#tensors },
      (_, k) => `
        for (var i = tid; i < i32(arrayLength(&t${k})); i = i + ${WORKGROUP}) {
          if (nonFinite(t${k}[i])) { acc = acc + 1.0; }
        }`,
    ).join('\n');
  }

  finish(): string {
    const count = this.#chained ? 'prev[0] + total' : 'total';
    return this.#last ? `select(0.0, 1.0, ${count} == 0.0)` : count;
  }
}

/** An element-wise program over flat tensors of equal length (one thread per entry). */
abstract class ElementwiseProgram implements WebGPUProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [64, 1, 1];
  variableNames: string[];
  uniforms: string;
  size = true;

  constructor(n: number, key: string, variableNames: string[], uniforms: string) {
    this.outputShape = [n];
    this.shaderKey = key;
    this.variableNames = variableNames;
    this.uniforms = uniforms;
    // flat layout, one thread per entry (what webgpu_util.flatDispatchLayout/computeDispatch
    // give, written out so that importing this file does not load the WebGPU backend)
    this.dispatchLayout = { x: [0] };
    this.dispatch = [Math.ceil(n / this.workgroupSize[0]), 1, 1];
  }

  abstract getUserCode(): string;
}

export class AscentProgram extends ElementwiseProgram {
  readonly #asam: boolean;
  readonly #addX: boolean;

  /** Inputs: x, s, total (Σ of squares, [1]); output δ, or x + δ when `addX`. */
  constructor(n: number, asam: boolean, addX: boolean) {
    super(
      n,
      `adasam_ascent_${asam}_${addX}`,
      ['x', 's', 'total'],
      'rho : f32, xi : f32, asamEta : f32,',
    );
    this.#asam = asam;
    this.#addX = addX;
  }

  getUserCode(): string {
    const dir = this.#asam ? 't * t * s[index]' : 's[index]';
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let norm = sqrt(total[0]);
          let c = select(uniforms.rho / (norm + uniforms.xi), 0.0, norm == 0.0);
          let t = abs(x[index]) + uniforms.asamEta;
          let delta = (${dir}) * c;
          result[index] = ${this.#addX ? 'x[index] + delta' : 'delta'};
        }
      }`;
  }
}

/** Which state value an UpdateProgram writes. */
export type UpdateOutput = 'x' | 'm' | 'v' | 'vHat' | 'eta';

/** The config switches an update program is compiled for (values travel as uniforms). */
export interface UpdateVariant {
  adaptive: boolean;
  amsgrad: boolean;
  epsAdd: boolean;
  biasCorrection: boolean;
}

/**
 * Uniforms, all float32: beta1, 1−β1, beta2, 1−β2, lr (γ/bc1 adaptive, γ otherwise), sqrt(bc2),
 * eps, eps². Inputs: x, g (weight decay already added), s, m, and v, v̂ when adaptive.
 */
export class UpdateProgram extends ElementwiseProgram {
  readonly #out: UpdateOutput;
  readonly #v: UpdateVariant;

  constructor(n: number, out: UpdateOutput, v: UpdateVariant) {
    super(
      n,
      `adasam_update_${out}_${v.adaptive}_${v.amsgrad}_${v.epsAdd}_${v.biasCorrection}`,
      v.adaptive ? ['x', 'g', 's', 'm', 'v', 'vHat'] : ['x', 'g', 's', 'm'],
      'beta1 : f32, oneMinusBeta1 : f32, beta2 : f32, oneMinusBeta2 : f32, lr : f32, sqrtBc2 : f32, eps : f32, epsSq : f32,',
    );
    this.#out = out;
    this.#v = v;
  }

  getUserCode(): string {
    const v = this.#v;
    const second = v.adaptive
      ? `
          // 4.5 ((1−β2)·g)·g, torch's addcmul order
          let vNew = v[index] * uniforms.beta2 + (gi * uniforms.oneMinusBeta2) * gi;
          let vHatNew = ${v.amsgrad ? 'max(vHat[index], vNew)' : v.epsAdd ? 'vNew' : 'max(vNew, uniforms.epsSq)'};
          // 4.6 denom = √v̂/√bc2 (+ ε)
          let root = sqrt(vHatNew);
          let scaled = ${v.biasCorrection ? 'root / uniforms.sqrtBc2' : 'root'};
          let denom = ${v.epsAdd ? 'scaled + uniforms.eps' : 'scaled'};
          // 4.7 x − (γ/bc1)·(m/denom)
          let xNew = x[index] - (mNew / denom) * uniforms.lr;
          let bad = nonFinite(s[index]) || nonFinite(gi) || nonFinite(xNew) || nonFinite(mNew) ||
            nonFinite(vNew) || nonFinite(vHatNew);`
      : `
          let xNew = x[index] - mNew * uniforms.lr;
          let bad = nonFinite(s[index]) || nonFinite(gi) || nonFinite(xNew) || nonFinite(mNew);`;
    const value: Record<UpdateOutput, string> = {
      // the NaN carries the step's finiteness to NonFiniteProgram (never committed)
      x: 'select(xNew, uniforms.NAN, bad)',
      m: 'mNew',
      v: 'vNew',
      vHat: 'vHatNew',
      eta: '1.0 / denom',
    };
    return `
      ${NON_FINITE_WGSL}
      fn main(index : i32) {
        ${
          // v̂ is an input of every adaptive variant (one binding layout); the Adam variant does
          // not read it, and an unread binding would leave the pipeline's automatic layout
          v.adaptive && !v.amsgrad ? 'if (index < 0) { result[0] = vHat[0]; }' : ''
        }
        if (index < uniforms.size) {
          let gi = g[index];
          // 4.4 m = β1·m + (1−β1)·g
          let mNew = m[index] * uniforms.beta1 + gi * uniforms.oneMinusBeta1;
          ${second}
          result[index] = ${value[this.#out]};
        }
      }`;
  }
}
