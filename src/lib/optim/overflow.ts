/**
 * When the update of spec §4.4–4.7 cannot overflow in float32, from a few sums of the step's
 * inputs. With finite inputs every operation of the update is finite except by overflow (sums,
 * products and quotients of finite numbers, √ of a non-negative one), so bounding the magnitudes
 * shows the new m, v, v̂, η and x_{t+1} finite before any is computed: TensorOptimizer can then
 * commit each parameter tensor as soon as its update is made (spec §7.5 holds: a step that could
 * fail is checked in full before anything is committed).
 *
 * Each bound is loose (a sum of |·| over all coordinates bounds the largest one, and a float32
 * sum of non-negative numbers never falls below its largest term), and must stay below 2^125,
 * a factor 8 under the largest float32 (≈ 2^128), which covers the rounding of the ~10
 * operations and of the float32 constants. NaN anywhere makes a comparison false: not proven.
 */
import { powInt } from '../math/detmath';
import type { OptimizerConfig } from './config';

/** Sums over every coordinate of every parameter tensor, read from float32 tensors. */
export interface UpdateSums {
  /** Σ|g_t| (after weight decay) */
  g: number;
  /** Σ|m| before the step */
  m: number;
  /** Σ|x_t| */
  x: number;
  /** Σ|v| before the step (0 for non-adaptive runs) */
  v: number;
  /** the smallest v̂ before the step (used only for AMSGrad in floor mode) */
  vHatMin: number;
}

const LIMIT = 2 ** 125;
const below = (value: number): boolean => value < LIMIT;

/**
 * The smallest denominator √v̂/√bc2 (+ ε) any coordinate can have (spec §4.6), slightly
 * lowered for float32 rounding: v̂ ≥ ε² in floor mode (v̂₋₁ = ε² and the max keeps it; for AMSGrad
 * the state's own smallest v̂, since a loaded state may hold less), and the denominator ≥ ε in
 * add mode. √bc2 ≤ 1 only makes it larger.
 */
function smallestDenominator(c: OptimizerConfig, vHatMin: number): number {
  if (c.epsMode === 'add') return Math.fround(c.eps);
  const floor = c.amsgrad ? vHatMin : Math.fround(c.eps * c.eps);
  return Math.sqrt(floor) * (1 - 2 ** -20);
}

/**
 * True when x_{t+1}, m_t and (adaptive) v_t, v̂_t and η_t are certainly finite in float32 for the
 * step counted k (spec §4.1: k after the increment) with γ = c.lr. False means "not shown", not
 * "will overflow": the caller then checks the computed values themselves.
 */
export function updateCannotOverflow(c: OptimizerConfig, k: number, sums: UpdateSums): boolean {
  if (!(below(sums.g) && below(sums.m) && below(sums.x) && below(c.lr))) return false;
  // 4.4: |m_t| ≤ β1·|m| + (1−β1)·|g_t|
  const mNext = c.beta1 * sums.m + (1 - c.beta1) * sums.g;
  if (!c.adaptive) return below(sums.x + c.lr * mNext);
  // 4.5: v_t = β2·v + ((1−β2)·g_t)·g_t; v̂_t is a max of finite values (or v_t itself)
  if (!(below(sums.v) && below(c.beta2 * sums.v + (1 - c.beta2) * sums.g * sums.g))) return false;
  // 4.6: η_t = 1/denom ≤ 1/d; 4.7: |x_{t+1}| ≤ |x_t| + (γ/bc1)·|m_t|/d
  const d = smallestDenominator(c, sums.vHatMin);
  if (!(d > 1 / LIMIT)) return false;
  const bc1 = c.biasCorrection ? 1 - powInt(c.beta1, k) : 1;
  const stepSize = c.lr / bc1;
  return below(stepSize) && below(mNext / d) && below(sums.x + stepSize * (mNext / d));
}
