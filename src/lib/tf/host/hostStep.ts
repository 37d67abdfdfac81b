/**
 * TensorOptimizer's step on cpu and wasm (spec §4): the two gradient passes are tfjs's, and
 * everything else is plain JavaScript over the tensors' own arrays (./hostArrays), with the op
 * path's bits (leafStep.ts, the oracle: ./ascentArrays and ./updateArrays say how). The op path
 * runs some 1,500 small kernels for the benchmark transformer's 30 parameter tensors, each paying
 * tfjs's per-kernel cost; here the work is a few loops per tensor and no readback at all (the
 * arrays are already in the page's memory).
 *
 * Memory is that of the op path: x + δ is made one tensor at a time and each s freed as soon as
 * it is used (unless kept); the update of each tensor is committed as soon as it is made, once
 * sums of |g|, |m|, |x| and |v| show that no update can overflow (optim/overflow.ts), and a step
 * they do not clear is first checked tensor by tensor without keeping anything (spec §7.5:
 * all or nothing).
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerConfig } from '../../optim/config';
import { updateCannotOverflow } from '../../optim/overflow';
import type { ValueAndGrad } from '../../optim/step';
import type { LeafState } from '../leafStep';
import type { TensorMap } from '../tensorSpace';
import {
  radiusScale,
  shiftArrays,
  sqrt32,
  sumPartials,
  sumSquares,
  type Asam,
} from './ascentArrays';
import type { HostArrays } from './hostArrays';
import { sumArrays, updateArrays, updateAttrs, type UpdateInputs } from './updateArrays';

/** Spec §4.1–4.3 on the host: the scalars as numbers, the tensors owned by the caller. */
export interface HostAscent {
  /** f_B(x_t) */
  loss: number;
  /** s_t when kept, and always when ρ = 0 (it is then the gradient g) */
  s: TensorMap | null;
  /** ‖s‖ (‖T⊙s‖ for ASAM); null when ρ = 0 */
  sNorm: number | null;
  lossPerturbed: number | null;
  /** null unless kept, and when ρ = 0 */
  delta: TensorMap | null;
  /** the last pass's gradient, without weight decay (the same tensors as s when ρ = 0) */
  g: TensorMap;
  /** ‖s_t‖ when asked for */
  gradNorm: number | null;
  /** the loss and every s are finite (g is checked with the update) */
  finite: boolean;
  gradEvals: number;
}

/** A pass of valueAndGrad with its garbage freed (the loss and the gradient map survive). */
const pass = (vg: ValueAndGrad<TensorMap, tf.Scalar>, at: TensorMap) =>
  tf.tidy(() => vg(at) as unknown as tf.TensorContainer) as unknown as ReturnType<typeof vg>;

/** Reads a scalar tensor's value and frees it. */
function take(host: HostArrays, t: tf.Scalar): number {
  const value = host.read(t)[0];
  t.dispose();
  return value;
}

/** The global norm of s (asam null) or of T⊙s, reduced as the op path reduces it; and s's finiteness. */
function globalNorm(
  host: HostArrays,
  keys: string[],
  x: TensorMap,
  s: TensorMap,
  asam: Asam | null,
) {
  let finite = true;
  const parts = keys.map((k) => {
    const r = sumSquares(host.sum, host.read(s[k]), host.read(x[k]), asam);
    finite &&= r.finite;
    return r.sum;
  });
  return { total: sumPartials(host.sum, parts), finite };
}

/**
 * Spec §4.1–4.3: s at x, δ from the global norm, the gradient at the temporary point x + δ (x
 * itself untouched). With `keep` false, each s is freed as soon as its x + δ is made.
 */
export function hostAscend(
  host: HostArrays,
  c: OptimizerConfig,
  x: TensorMap,
  vg: ValueAndGrad<TensorMap, tf.Scalar>,
  opts: { keep: boolean; gradNorm: boolean },
): HostAscent {
  const keys = Object.keys(x);
  // 4.1
  const first = pass(vg, x);
  const s = first.grad;
  const loss = take(host, first.loss);
  const asam: Asam | null = c.perturbation === 'asam' ? { eta: Math.fround(c.asamEta) } : null;
  // the norm of the ascent direction (s, or T⊙s for ASAM), and of s itself when asked for or
  // when there is no ascent (it then only shows s finite)
  const direction = c.rho > 0 ? globalNorm(host, keys, x, s, asam) : null;
  const plain =
    direction && !asam
      ? direction
      : opts.gradNorm || !direction
        ? globalNorm(host, keys, x, s, null)
        : null;
  const gradNorm = opts.gradNorm ? sqrt32(plain!.total) : null;
  const finite = Number.isFinite(loss) && (direction ?? plain)!.finite;
  if (!direction)
    return {
      loss,
      s,
      sNorm: null,
      lossPerturbed: null,
      delta: null,
      g: s,
      gradNorm,
      finite,
      gradEvals: 1,
    };
  // 4.2: the global norm (of T⊙s for ASAM), then δ and x + δ one tensor at a time
  const norm = sqrt32(direction.total);
  const scale = radiusScale(norm, c.rho, c.perturbEps);
  const shifted: TensorMap = {};
  const delta: TensorMap = {};
  for (const k of keys) {
    shifted[k] = host.alloc(x[k].shape);
    if (opts.keep) delta[k] = host.alloc(x[k].shape);
    const out = opts.keep ? host.read(delta[k]) : null;
    shiftArrays(host.read(x[k]), host.read(s[k]), scale, asam, host.read(shifted[k]), out);
    if (!opts.keep) s[k].dispose();
  }
  // 4.3
  const second = pass(vg, shifted);
  tf.dispose(Object.values(shifted));
  return {
    loss,
    s: opts.keep ? s : null,
    sNorm: norm,
    lossPerturbed: take(host, second.loss),
    delta: opts.keep ? delta : null,
    g: second.grad,
    gradNorm,
    finite,
    gradEvals: 2,
  };
}

const inputsOf = (host: HostArrays, l: LeafState, g: tf.Tensor): UpdateInputs => ({
  x: host.read(l.x),
  g: host.read(g),
  m: host.read(l.m),
  v: l.v && host.read(l.v),
  vHat: l.vHat && host.read(l.vHat),
});

/**
 * Whether the update of step k (counted from 1) of every tensor is finite: shown by the sums of
 * optim/overflow.ts, or else computed tensor by tensor and checked, nothing kept.
 */
export function hostUpdateFinite(
  host: HostArrays,
  c: OptimizerConfig,
  k: number,
  leaves: LeafState[],
  g: tf.Tensor[],
): boolean {
  const attrs = updateAttrs(c, k);
  const total = { g: 0, m: 0, x: 0, v: 0, vHatMin: Infinity };
  leaves.forEach((l, i) => {
    const s = sumArrays(attrs.weightDecay, inputsOf(host, l, g[i]));
    total.g += s.g;
    total.m += s.m;
    total.x += s.x;
    total.v += s.v;
    total.vHatMin = Math.min(total.vHatMin, s.vHatMin);
  });
  if (updateCannotOverflow(c, k, total)) return true;
  return leaves.every((l, i) => updateArrays(attrs, inputsOf(host, l, g[i]), null));
}

/**
 * Makes the update of step k of one tensor and commits it into its variables (the caller has
 * shown it finite). Returns η_t and g_t (with weight decay) as new tensors when asked for.
 */
export function hostCommit(
  host: HostArrays,
  c: OptimizerConfig,
  k: number,
  l: LeafState,
  g: tf.Tensor,
  want: { eta: boolean; g: boolean },
): { eta: tf.Tensor | null; g: tf.Tensor | null } {
  const attrs = updateAttrs(c, k);
  const adaptive = attrs.adaptive && l.v !== null && l.vHat !== null;
  const make = (wanted: boolean) => (wanted ? host.alloc(l.x.shape) : null);
  // every output is allocated before any array is read (a wasm allocation may move the heap)
  const fresh = [make(true), make(true), make(adaptive), make(adaptive)];
  const eta = make(want.eta && adaptive);
  const gOut = make(want.g && attrs.weightDecay > 0);
  const view = (t: tf.Tensor | null) => t && host.read(t);
  const [x, m, v, vHat] = fresh.map(view);
  updateArrays(attrs, inputsOf(host, l, g), {
    x: x!,
    m: m!,
    v,
    vHat,
    eta: view(eta),
    g: view(gOut),
  });
  [l.x, l.m, l.v, l.vHat].forEach((variable, i) => {
    if (variable && fresh[i]) {
      variable.assign(fresh[i]);
      fresh[i].dispose(); // the variable holds its own reference
    }
  });
  return { eta, g: gOut };
}
