/**
 * One iteration of the AdaSAM family, in the normative order of spec §4, generic over the
 * parameter representation (see math/space.ts).
 *
 * Symbols (paper, arXiv:2303.00565, Algorithm 1 → code):
 *   x_t → x      s_t = ∇f_B(x_t) → s      δ_t → delta      g_t = ∇f_B(x_t + δ_t) → g
 *   m_t → m      v_t → v                  v̂_t → vHat       η_t → eta      γ → lr   ρ → rho
 *   k = t + 1 (torch's step count, used only by bias correction)
 *
 * The step is a proposal: it returns the would-be state and a finiteness flag, and the caller
 * commits it only when the flag holds (spec §7.5), so the state never holds NaN or ±Inf.
 * For tensors the flag stays on the device until the caller reads it.
 */
import { powInt } from '../math/detmath';
import type { Space } from '../math/space';
import type { OptimizerConfig } from './config';
import { perturb } from './perturb';
import { initSecondMoment, precondition, type SecondMoment } from './precondition';

/** Optimizer state (spec §2), without x itself. `second` is null for non-adaptive runs. */
export interface OptState<P> {
  k: number;
  m: P;
  second: SecondMoment<P> | null;
}

/** A loss and its gradient at a point, on the step's minibatch. */
export type ValueAndGrad<P, N> = (x: P) => { loss: N; grad: P };

/** Everything one iteration computes, for committing and for drawing. */
export interface StepProposal<P, N, B> {
  /** x_{t+1} */
  x: P;
  state: OptState<P>;
  /** f_B(x_t), from the clean pass */
  loss: N;
  s: P;
  /** f_B(x_t + δ_t), the perturbed pass's loss (sharpness = this − loss); null when ρ = 0 */
  lossPerturbed: N | null;
  /** ‖s‖ for SAM (‖T⊙s‖ for ASAM); null when ρ = 0 */
  sNorm: N | null;
  delta: P | null;
  g: P;
  /** η_t; null for non-adaptive runs (η ≡ 1) */
  eta: P | null;
  /** gradient evaluations this step took: 2 with a perturbation, else 1 */
  gradEvals: number;
  /** loss, s, g, x_{t+1} and the new state are all finite: commit only then */
  ok: B;
}

export function initState<P, N, B>(space: Space<P, N, B>, c: OptimizerConfig, x0: P): OptState<P> {
  return {
    k: 0,
    m: space.zerosLike(x0),
    second: c.adaptive ? initSecondMoment(space, c, x0) : null,
  };
}

/** What spec §4.1–4.3 compute: the clean pass, the ascent and the gradient g_t that feeds m, v, v̂. */
export interface Ascent<P, N> {
  loss: N;
  s: P;
  lossPerturbed: N | null;
  sNorm: N | null;
  delta: P | null;
  g: P;
  gradEvals: number;
}

/** Spec §4.1–4.3: s_t at x_t, δ_t, g_t at the temporary point x_t + δ_t (x_t itself is untouched). */
export function ascend<P, N, B>(
  space: Space<P, N, B>,
  c: OptimizerConfig,
  x: P,
  valueAndGrad: ValueAndGrad<P, N>,
): Ascent<P, N> {
  // 4.1 clean gradient
  const { loss, grad: s } = valueAndGrad(x);

  // 4.2–4.3 climb to x + δ and take the gradient there, without touching x
  const ascent = perturb(space, c, x, s);
  const perturbed = ascent ? valueAndGrad(space.add(x, ascent.delta)) : null;
  let g = perturbed ? perturbed.grad : s;
  if (c.weightDecay > 0) g = space.add(g, space.scale(x, c.weightDecay)); // coupled L2 at the unperturbed x
  return {
    loss,
    s,
    lossPerturbed: perturbed ? perturbed.loss : null,
    sNorm: ascent ? ascent.norm : null,
    delta: ascent ? ascent.delta : null,
    g,
    gradEvals: ascent ? 2 : 1,
  };
}

/**
 * Spec §4.4–4.7 from g_t: the new state, η_t and x_{t+1}. Every operation is element-wise, so
 * a caller may run it one parameter tensor at a time (TensorOptimizer does, to bound memory).
 */
export function update<P, N, B>(
  space: Space<P, N, B>,
  c: OptimizerConfig,
  x: P,
  state: OptState<P>,
  g: P,
): { x: P; state: OptState<P>; eta: P | null } {
  const k = state.k + 1;
  // 4.4 EMA momentum: m_t = β1·m_{t−1} + (1−β1)·g_t
  const m = space.add(space.scale(state.m, c.beta1), space.scale(g, 1 - c.beta1));
  if (!c.adaptive || !state.second) {
    // x_{t+1} = x_t − γ·m_t   (η ≡ 1)
    return { x: space.sub(x, space.scale(m, c.lr)), state: { k, m, second: null }, eta: null };
  }
  // 4.6 bias corrections in float64 scalars, never in float32 tensors (powInt: the same bits in every engine)
  const bc1 = c.biasCorrection ? 1 - powInt(c.beta1, k) : 1;
  const bc2 = c.biasCorrection ? 1 - powInt(c.beta2, k) : 1;
  const p = precondition(space, c, state.second, g, bc2);
  // 4.7 x_{t+1} = x_t − (γ/bc1)·(m_t / denom), torch's evaluation order
  return {
    x: space.sub(x, space.scale(space.div(m, p.denom), c.lr / bc1)),
    state: { k, m, second: { v: p.v, vHat: p.vHat } },
    eta: p.eta,
  };
}

/**
 * §7.5 names loss, s, g and x_{t+1}; m, v and v̂ are checked too so that the state never holds
 * ±Inf (g² can overflow while g and x_{t+1} stay finite).
 */
export function stepFinite<P, N, B>(
  space: Space<P, N, B>,
  scalars: N[],
  s: P,
  g: P,
  next: { x: P; state: OptState<P> },
): B {
  const { m, second } = next.state;
  return space.allFinite(
    scalars,
    second ? [s, g, next.x, m, second.v, second.vHat] : [s, g, next.x, m],
  );
}

/** Spec §4.1–4.7. `c` must have passed validateConfig. */
export function proposeStep<P, N, B>(
  space: Space<P, N, B>,
  c: OptimizerConfig,
  x: P,
  state: OptState<P>,
  valueAndGrad: ValueAndGrad<P, N>,
): StepProposal<P, N, B> {
  const a = ascend(space, c, x, valueAndGrad);
  const next = update(space, c, x, state, a.g);
  // the fields written out, not `...a`: the spread made the 2-D page's races about 70× slower
  // in V8 (npm run bench, core: 158 ms against 2 ms for 8 × 1000 steps)
  return {
    loss: a.loss,
    s: a.s,
    lossPerturbed: a.lossPerturbed,
    sNorm: a.sNorm,
    delta: a.delta,
    g: a.g,
    gradEvals: a.gradEvals,
    x: next.x,
    state: next.state,
    eta: next.eta,
    ok: stepFinite(space, [a.loss], a.s, a.g, next),
  };
}
