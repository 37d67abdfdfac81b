/**
 * Spec §4.3 (weight decay) and §4.4–4.7 for one parameter tensor as one loop over float32 arrays,
 * computing what lib/optim's update over tensorSpace computes on cpu and wasm, bit for bit: every
 * operation is the same IEEE float32 operation in the same order (each double result rounded by
 * Math.fround, which for +, −, ×, ÷ and √ of float32 operands gives the correctly rounded float32
 * result, as both backends' kernels do), with the same float32 scalars (tf.scalar(c) rounds c the
 * same way).
 *
 *   g_t   = g + λ·x_t                                                   4.3 (λ > 0)
 *   m_t   = β1·m_{t−1} + (1−β1)·g_t                                     4.4
 *   v_t   = β2·v_{t−1} + ((1−β2)·g_t)·g_t                               4.5
 *   v̂_t   = amsgrad ? max(v̂_{t−1}, v_t) : floor ? max(v_t, ε²) : v_t
 *   denom = √v̂_t / √bc2 (+ ε in add mode);  η_t = 1/denom                4.6
 *   x_{t+1} = x_t − (γ/bc1)·(m_t / denom)   (x_t − γ·m_t without η)      4.7
 *
 * It also tells whether g_t, m_t, v_t, v̂_t and x_{t+1} are all finite (stepFinite's test). Nothing
 * is written into its inputs: the caller commits only after every tensor's step is known finite.
 */
import { powInt } from '../../math/detmath';
import type { OptimizerConfig } from '../../optim/config';

const fr = Math.fround;

/** The step's scalars, float32-rounded as tf.scalar would round them. */
export interface UpdateAttrs {
  adaptive: boolean;
  amsgrad: boolean;
  /** v̂ = max(v, ε²) (floor mode without AMSGrad) */
  floor: boolean;
  /** λ, or 0: no weight decay (then g_t is g, with no operation at all) */
  weightDecay: number;
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

/** The attributes of step k (counted from 1) of `c`, which must have passed validateConfig. */
export function updateAttrs(c: OptimizerConfig, k: number): UpdateAttrs {
  // 4.6 bias corrections in float64 scalars, as lib/optim's update computes them
  const bc1 = c.adaptive && c.biasCorrection ? 1 - powInt(c.beta1, k) : 1;
  const bc2 = c.adaptive && c.biasCorrection ? 1 - powInt(c.beta2, k) : 1;
  return {
    adaptive: c.adaptive,
    amsgrad: c.amsgrad,
    floor: c.epsMode === 'floor',
    weightDecay: c.weightDecay > 0 ? fr(c.weightDecay) : 0,
    beta1: fr(c.beta1),
    oneMinusBeta1: fr(1 - c.beta1),
    beta2: fr(c.beta2),
    oneMinusBeta2: fr(1 - c.beta2),
    eps2: fr(c.eps * c.eps),
    sqrtBc2: bc2 === 1 ? 1 : fr(Math.sqrt(bc2)),
    epsAdd: c.epsMode === 'add' ? fr(c.eps) : null,
    stepScale: fr(c.adaptive ? c.lr / bc1 : c.lr),
  };
}

/** One tensor's state before the step, and its gradient g (without weight decay). */
export interface UpdateInputs {
  x: Float32Array;
  g: Float32Array;
  m: Float32Array;
  /** null for non-adaptive runs */
  v: Float32Array | null;
  vHat: Float32Array | null;
}

/** Where the new values go; null: only check them (nothing is written). */
export interface UpdateOutputs {
  x: Float32Array;
  m: Float32Array;
  v: Float32Array | null;
  vHat: Float32Array | null;
  /** η_t, when wanted (adaptive runs only) */
  eta: Float32Array | null;
  /** g_t with weight decay, when wanted (λ > 0 only) */
  g: Float32Array | null;
}

/**
 * The update of one tensor (into `out`, unless null); true when all of it is finite. The
 * attributes are copied into locals and each case has a loop of its own, so V8 compiles every
 * loop for one shape of its operands (the loops are most of a small model's step).
 */
export function updateArrays(a: UpdateAttrs, t: UpdateInputs, out: UpdateOutputs | null): boolean {
  if (!a.adaptive) return sgdArrays(a, t, out);
  const { x, g, m } = t;
  const v = t.v!;
  const vHat = t.vHat!;
  const n = x.length;
  const lambda = a.weightDecay;
  const beta1 = a.beta1;
  const oneMinusBeta1 = a.oneMinusBeta1;
  const beta2 = a.beta2;
  const oneMinusBeta2 = a.oneMinusBeta2;
  // 0: v̂ = max(v̂, v) (AMSGrad); 1: max(v, ε²) (floor mode); 2: v
  const vHatRule = a.amsgrad ? 0 : a.floor ? 1 : 2;
  const eps2 = a.eps2;
  const sqrtBc2 = a.sqrtBc2;
  const divide = sqrtBc2 !== 1;
  const epsAdd = a.epsAdd ?? 0;
  const add = a.epsAdd !== null;
  const stepScale = a.stepScale;
  const xOut = out?.x ?? SCRATCH;
  const mOut = out?.m ?? SCRATCH;
  const vOut = out?.v ?? SCRATCH;
  const vHatOut = out?.vHat ?? SCRATCH;
  const etaOut = out?.eta ?? SCRATCH;
  const gOut = out?.g ?? SCRATCH;
  const write = out !== null;
  const writeEta = out?.eta != null;
  const writeG = out?.g != null;
  let finite = true;
  for (let i = 0; i < n; i++) {
    const gi = lambda === 0 ? g[i] : fr(g[i] + fr(lambda * x[i]));
    const mi = fr(fr(beta1 * m[i]) + fr(oneMinusBeta1 * gi));
    const vi = fr(fr(beta2 * v[i]) + fr(fr(oneMinusBeta2 * gi) * gi));
    // Math.max of a NaN is NaN, as tf.maximum's is; the step is then refused anyway
    const vHatI = vHatRule === 0 ? Math.max(vHat[i], vi) : vHatRule === 1 ? Math.max(vi, eps2) : vi;
    const root = fr(Math.sqrt(vHatI));
    const scaled = divide ? fr(root / sqrtBc2) : root;
    const denom = add ? fr(scaled + epsAdd) : scaled;
    const xi = fr(x[i] - fr(stepScale * fr(mi / denom)));
    if (write) {
      mOut[i] = mi;
      vOut[i] = vi;
      vHatOut[i] = vHatI;
      xOut[i] = xi;
      if (writeEta) etaOut[i] = fr(1 / denom);
      if (writeG) gOut[i] = gi;
    }
    // x − x is 0 exactly when x is finite; one test for the five values
    if (gi - gi + (mi - mi) + (vi - vi) + (vHatI - vHatI) + (xi - xi) !== 0) finite = false;
  }
  return finite;
}

/** A stand-in output that is never written (the loops then keep one shape). */
const SCRATCH = new Float32Array(0);

/** updateArrays for non-adaptive runs: x_{t+1} = x_t − γ·m_t. */
function sgdArrays(a: UpdateAttrs, t: UpdateInputs, out: UpdateOutputs | null): boolean {
  const { x, g, m } = t;
  const n = x.length;
  const lambda = a.weightDecay;
  const beta1 = a.beta1;
  const oneMinusBeta1 = a.oneMinusBeta1;
  const stepScale = a.stepScale;
  const xOut = out?.x ?? SCRATCH;
  const mOut = out?.m ?? SCRATCH;
  const gOut = out?.g ?? SCRATCH;
  const write = out !== null;
  const writeG = out?.g != null;
  let finite = true;
  for (let i = 0; i < n; i++) {
    const gi = lambda === 0 ? g[i] : fr(g[i] + fr(lambda * x[i]));
    const mi = fr(fr(beta1 * m[i]) + fr(oneMinusBeta1 * gi));
    const xi = fr(x[i] - fr(stepScale * mi));
    if (write) {
      mOut[i] = mi;
      xOut[i] = xi;
      if (writeG) gOut[i] = gi;
    }
    if (gi - gi + (mi - mi) + (xi - xi) !== 0) finite = false;
  }
  return finite;
}

/**
 * Σ|g_t| (with weight decay), Σ|m|, Σ|x|, Σ|v| and the smallest v̂ of one tensor, in doubles:
 * optim/overflow.ts's bound holds for exact sums as for float32 ones (a sum of non-negative terms
 * is never below its largest), and a NaN carries through the sums.
 */
export function sumArrays(
  lambda: number,
  t: UpdateInputs,
): { g: number; m: number; x: number; v: number; vHatMin: number } {
  const { x, g, m, v, vHat } = t;
  let gs = 0;
  let ms = 0;
  let xs = 0;
  for (let i = 0; i < x.length; i++) {
    gs += Math.abs(lambda === 0 ? g[i] : fr(g[i] + fr(lambda * x[i])));
    ms += Math.abs(m[i]);
    xs += Math.abs(x[i]);
  }
  let vs = 0;
  let vHatMin = Infinity;
  if (v && vHat)
    for (let i = 0; i < v.length; i++) {
      vs += Math.abs(v[i]);
      // a NaN must not be skipped by the comparison
      vHatMin = vHat[i] < vHatMin || vHat[i] !== vHat[i] ? vHat[i] : vHatMin;
    }
  return { g: gs, m: ms, x: xs, v: vs, vHatMin };
}
