/**
 * TensorOptimizer's op path (webgl, and every backend with `fused: false`: the reference for the
 * fused WebGPU programs and the host step on cpu and wasm), written so that a large model holds
 * few parameter-sized tensors at once. The values are those of lib/optim's ascend and update
 * over tensorSpace, bit for bit: the same operations on the same operands, only grouped by
 * parameter tensor and freed as soon as nothing needs them.
 *
 * In parameter-sized copies (P = one copy of every trainable tensor), besides x, m, v, v̂:
 *   first pass          s, being built
 *   ascent              s shrinks as x + δ grows, tensor by tensor (δ is a temporary)
 *   second pass         x + δ and g (s and δ only when the caller keeps them)
 *   update              g, freed tensor by tensor as each one is committed; the update's
 *                       temporaries exist for one piece of one tensor (UPDATE_PIECE elements)
 * The old code held s, δ, x + δ and every leaf's s² through the second pass, then s, δ, g and the
 * new x, m, v, v̂ and η of every tensor until the finiteness flag was read.
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerConfig } from '../optim/config';
import { ascentDelta, ascentDirection } from '../optim/perturb';
import { stepFinite, update, type OptState, type ValueAndGrad } from '../optim/step';
import { leafwiseNorm, tensorSpace, type TensorMap } from './tensorSpace';

/** Spec §4.1–4.3 as the op path computes it; `finite` covers loss, s and g (0-d bool). */
export interface LeafAscent {
  loss: tf.Scalar;
  /** null unless kept: freed as soon as x + δ is formed */
  s: TensorMap | null;
  /** ‖s‖ (‖T⊙s‖ for ASAM); null when ρ = 0 */
  sNorm: tf.Scalar | null;
  lossPerturbed: tf.Scalar | null;
  /** null unless kept, and when ρ = 0 */
  delta: TensorMap | null;
  /** g_t, weight decay included (the same tensors as s when ρ = λ = 0) */
  g: TensorMap;
  /** ‖s_t‖ when asked for */
  gradNorm: tf.Scalar | null;
  finite: tf.Scalar;
  gradEvals: number;
}

const leaf = (m: TensorMap, key: string): TensorMap => ({ [key]: m[key] });

/** A pass of valueAndGrad with its garbage freed (the loss and the gradient map survive). */
const pass = (vg: ValueAndGrad<TensorMap, tf.Scalar>, at: TensorMap) =>
  tf.tidy(() => vg(at) as unknown as tf.TensorContainer) as unknown as ReturnType<typeof vg>;

/** g + λ·x tensor by tensor (spec §4.3, coupled L2 at x_t), freeing each g unless it is kept. */
function withDecay(c: OptimizerConfig, x: TensorMap, g: TensorMap, keepOld: boolean): TensorMap {
  const out: TensorMap = {};
  for (const k of Object.keys(g)) {
    out[k] = tf.tidy(
      () => tensorSpace.add(leaf(g, k), tensorSpace.scale(leaf(x, k), c.weightDecay))[k],
    );
    if (!keepOld) g[k].dispose();
  }
  return out;
}

/**
 * Spec §4.1–4.3 (lib/optim's ascend): the clean gradient s at x, δ from the global norm, the
 * gradient g at the temporary point x + δ (x itself untouched). With `keep` false, s and δ are
 * freed as soon as they are used.
 */
export function leafAscend(
  c: OptimizerConfig,
  x: TensorMap,
  vg: ValueAndGrad<TensorMap, tf.Scalar>,
  opts: { keep: boolean; gradNorm: boolean },
): LeafAscent {
  const keys = Object.keys(x);
  // 4.1
  const { loss, grad: s } = pass(vg, x);
  const sFinite = tf.tidy(() => tensorSpace.allFinite([loss], [s]));
  const gradNorm = opts.gradNorm ? tensorSpace.norm(s) : null;
  const finish = (
    g: TensorMap,
    rest: Pick<LeafAscent, 'sNorm' | 'lossPerturbed' | 'delta' | 'gradEvals'>,
  ): LeafAscent => {
    const finite = tf.tidy(
      () => tf.logicalAnd(sFinite, tensorSpace.allFinite([], [g])) as tf.Scalar,
    );
    sFinite.dispose();
    return { loss, s: opts.keep ? s : null, g, gradNorm, finite, ...rest };
  };
  if (c.rho === 0) {
    // g_t = s_t (+ λx_t); s itself is needed afterwards only when kept
    const g = c.weightDecay > 0 ? withDecay(c, x, s, opts.keep) : s;
    return finish(g, { sNorm: null, lossPerturbed: null, delta: null, gradEvals: 1 });
  }
  // 4.2: the global norm, then δ and x + δ one tensor at a time
  const sNorm = leafwiseNorm(
    keys.map((k) => () => ascentDirection(tensorSpace, c, leaf(x, k), leaf(s, k))[k]),
  );
  const delta: TensorMap = {};
  const shifted: TensorMap = {};
  for (const k of keys) {
    const d = tf.tidy(() => ascentDelta(tensorSpace, c, leaf(x, k), leaf(s, k), sNorm)[k]);
    shifted[k] = tf.tidy(() => tensorSpace.add(leaf(x, k), { [k]: d })[k]);
    if (opts.keep) delta[k] = d;
    else tf.dispose([d, s[k]]);
  }
  // 4.3
  const perturbed = pass(vg, shifted);
  tf.dispose(Object.values(shifted));
  const g = c.weightDecay > 0 ? withDecay(c, x, perturbed.grad, false) : perturbed.grad;
  return finish(g, {
    sNorm,
    lossPerturbed: perturbed.loss,
    delta: opts.keep ? delta : null,
    gradEvals: 2,
  });
}

/** The state of one parameter tensor, as the optimizer holds it. */
export interface LeafState {
  x: tf.Variable;
  m: tf.Variable;
  v: tf.Variable | null;
  vHat: tf.Variable | null;
}

/**
 * [Σ|g|, Σ|m|, Σ|x|, Σ|v|, min v̂] over every parameter tensor (optim/overflow.ts's sums), as a
 * [5] tensor. Sums, not maxima: they carry a NaN through.
 */
export function updateSums(leaves: LeafState[], g: tf.Tensor[]): tf.Tensor1D {
  const rows = leaves.map((l, i) =>
    tf.tidy(() => {
      // each |t| freed at once: four of a word embedding's size would otherwise coexist
      const sumAbs = (t: tf.Tensor | null) => (t ? tf.tidy(() => tf.sum(tf.abs(t))) : tf.scalar(0));
      return tf.stack([
        sumAbs(g[i]),
        sumAbs(l.m),
        sumAbs(l.x),
        sumAbs(l.v),
        l.vHat ? tf.min(l.vHat) : tf.scalar(Infinity),
      ]);
    }),
  );
  const out = tf.tidy(() => {
    const all = tf.stack(rows) as tf.Tensor2D;
    return tf.concat([
      tf.sum(tf.slice(all, [0, 0], [-1, 4]), 0),
      tf.min(tf.slice(all, [0, 4], [-1, 1]), 0),
    ]) as tf.Tensor1D;
  });
  tf.dispose(rows);
  return out;
}

/**
 * Elements per piece of a parameter tensor in the update: the update's dozen temporaries then
 * take tens of MB, not a dozen copies of a whole word embedding.
 */
export const UPDATE_PIECE = 1 << 18;

/** The update (spec §4.4–4.7) of one piece of one parameter tensor. */
function updatePiece(
  c: OptimizerConfig,
  k: number,
  l: LeafState,
  g: tf.Tensor,
  cut: (t: tf.Tensor) => tf.Tensor,
) {
  const one = (t: tf.Tensor): TensorMap => ({ p: cut(t) });
  const state: OptState<TensorMap> = {
    k,
    m: one(l.m),
    second: l.v && l.vHat ? { v: one(l.v), vHat: one(l.vHat) } : null,
  };
  const gPiece = one(g);
  return { g: gPiece, next: update(tensorSpace, c, one(l.x), state, gPiece) };
}

/**
 * The pieces of a tensor of `shape`, (t) => piece: blocks of whole rows (first axis) of about
 * UPDATE_PIECE elements, or the whole tensor when it is small. Rows, not a flattened view: a
 * reshaped view shares its buffer, yet tf.memory() counts it as a copy.
 */
function pieces(shape: number[]): ((t: tf.Tensor) => tf.Tensor)[] {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size <= UPDATE_PIECE) return [(t) => t];
  const rows = shape[0];
  const perRow = size / rows;
  const step = Math.max(1, Math.floor(UPDATE_PIECE / perRow));
  return Array.from({ length: Math.ceil(rows / step) }, (_, i) => {
    const begin = shape.map((_, axis) => (axis === 0 ? i * step : 0));
    const extent = shape.map((d, axis) => (axis === 0 ? Math.min(step, rows - i * step) : d));
    return (t: tf.Tensor) => tf.slice(t, begin, extent);
  });
}

/**
 * Whether the update of one parameter tensor gives finite m, v, v̂ and x_{t+1} (stepFinite), as a
 * 0-d bool tensor; nothing is kept. For a step whose sums did not rule out overflow.
 */
export function leafUpdateFinite(
  c: OptimizerConfig,
  k: number,
  l: LeafState,
  g: tf.Tensor,
): tf.Scalar {
  const flags = pieces(l.x.shape).map((cut) =>
    tf.tidy(() => {
      const p = updatePiece(c, k, l, g, cut);
      return stepFinite(tensorSpace, [], {}, p.g, p.next);
    }),
  );
  if (flags.length === 1) return flags[0];
  const all = tf.tidy(() => flags.reduce((acc, f) => tf.logicalAnd(acc, f)) as tf.Scalar);
  tf.dispose(flags);
  return all;
}

/**
 * Computes and commits the update of one parameter tensor (spec §4.4–4.7) into its variables,
 * piece by piece; returns η_t when asked for (adaptive runs), else null. The caller has shown
 * the result finite. k is the state's step count before this step. With `freeG`, g is freed as
 * soon as the new values are made, before they are joined.
 */
export function commitLeaf(
  c: OptimizerConfig,
  k: number,
  l: LeafState,
  g: tf.Tensor,
  opts: { withEta: boolean; freeG: boolean },
): tf.Tensor | null {
  const { withEta } = opts;
  const parts = pieces(l.x.shape);
  const out = parts.map((cut) =>
    tf.tidy(() => {
      const { next } = updatePiece(c, k, l, g, cut);
      const second = next.state.second;
      return [
        next.x.p,
        next.state.m.p,
        second?.v.p ?? null,
        second?.vHat.p ?? null,
        withEta ? (next.eta?.p ?? null) : null,
      ] as unknown as tf.TensorContainer;
    }),
  ) as unknown as (tf.Tensor | null)[][];
  if (opts.freeG) g.dispose();
  // one output can be another (Adam in add mode: v̂_t is v_t), so each is joined once
  const joined = new Map<tf.Tensor, tf.Tensor>();
  const join = (i: number): tf.Tensor | null => {
    const ps = out.map((o) => o[i]) as tf.Tensor[];
    if (!ps[0]) return null;
    let whole = joined.get(ps[0]);
    if (!whole) {
      whole = ps.length === 1 ? ps[0] : tf.concat(ps);
      if (ps.length > 1) tf.dispose(ps);
      joined.set(ps[0], whole);
    }
    return whole;
  };
  const values = [l.x, l.m, l.v, l.vHat].map((variable, i) => {
    const value = join(i);
    if (variable && value) variable.assign(value);
    return value;
  });
  const eta = join(4);
  // the variables hold their own references to the new values
  tf.dispose(values.filter((t): t is tf.Tensor => t !== null && t !== eta));
  return eta;
}
