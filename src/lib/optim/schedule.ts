/**
 * Learning-rate schedules (spec §12): the step of §4 uses γ_t in place of γ; nothing else
 * changes (bias correction still counts k from the first step).
 *
 *   W = ⌊warmup·T + 1/2⌋, 0 ≤ W < T
 *   constant: γ_t = γ
 *   linear:   γ_t = γ·(t+1)/W        for t < W    (warm-up reaches γ at t = W−1)
 *             γ_t = γ·(T−t)/(T−W)    for t ≥ W    (decay; the last step is γ/(T−W), never 0)
 */

export const SCHEDULES = ['constant', 'linear'] as const;
export type ScheduleKind = (typeof SCHEDULES)[number];

export interface Schedule {
  kind: ScheduleKind;
  /** share of the T steps spent warming up, in [0, 1) */
  warmup: number;
  /** T, the total number of steps */
  steps: number;
}

/** W = ⌊warmup·T + 1/2⌋, kept below T so that at least one step decays. */
export function warmupSteps(s: Schedule): number {
  return Math.min(Math.floor(s.warmup * s.steps + 0.5), s.steps - 1);
}

/** γ_t for iteration t = 0 … T−1. */
export function scheduledLr(s: Schedule, lr: number, t: number): number {
  if (s.kind === 'constant') return lr;
  const T = s.steps;
  const W = warmupSteps(s);
  return t < W ? (lr * (t + 1)) / W : (lr * (T - t)) / (T - W);
}

/** A message naming the bad field, or null when the schedule is valid. */
export function scheduleError(s: Schedule): string | null {
  if (!SCHEDULES.includes(s.kind)) return `schedule must be one of ${SCHEDULES.join(', ')}`;
  if (!Number.isInteger(s.steps) || s.steps < 1) return 'steps must be a positive integer';
  if (!(s.warmup >= 0 && s.warmup < 1)) return `warmup must be in [0, 1); got ${s.warmup}`;
  return null;
}
