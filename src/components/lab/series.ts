/**
 * Pure helpers for the lab's charts: which x a metric has under the chosen axis, smoothing of the
 * noisy minibatch loss, and thinning long series to what a chart can show.
 */
import type { EvalMetrics, StepMetrics } from '../../lib/lab/types';

/** One line of a LineChart. */
export interface ChartSeries {
  label: string;
  color: string;
  points: [number, number][];
  /** thin and translucent: the raw values behind a smoothed line */
  faint?: boolean;
  dashed?: boolean;
  /** stroke-dasharray of the run's style (the palette's dash for its variant) */
  dash?: string;
  /** a point to mark with a cross, e.g. where the run diverged */
  marker?: [number, number] | null;
  /** a shaded band under the line, [x, low, high] per point (the range between seeds) */
  band?: [number, number, number][];
}

export type XAxis = 'steps' | 'gradEvals' | 'wallMs';

export const X_LABEL: Record<XAxis, string> = {
  steps: 'step t',
  gradEvals: 'gradient evaluations',
  wallMs: 'training time (s)',
};

/** The x of a point: step, gradient evaluations, or the run's own training time in seconds. */
export function xOf(
  m: Pick<StepMetrics | EvalMetrics, 'step' | 'gradEvals' | 'wallMs'>,
  axis: XAxis,
): number {
  if (axis === 'steps') return m.step;
  if (axis === 'gradEvals') return m.gradEvals;
  return m.wallMs / 1000;
}

/**
 * Exponential moving average with bias correction (as in TensorBoard's smoothing), so the first
 * points are not dragged towards zero. Non-finite values are skipped and keep the last average.
 */
export function ema(values: readonly number[], weight: number): number[] {
  const out: number[] = new Array(values.length);
  let avg = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      avg = weight * avg + (1 - weight) * v;
      count++;
    }
    out[i] = count > 0 ? avg / (1 - weight ** count) : NaN;
  }
  return out;
}

/** At most about `max` points: every k-th one, always keeping the last. */
export function thin<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return [...points];
  const k = Math.ceil(points.length / max);
  const out: T[] = [];
  for (let i = 0; i < points.length; i += k) out.push(points[i]);
  if ((points.length - 1) % k !== 0) out.push(points[points.length - 1]);
  return out;
}

/** Short number text for axes and read-outs: 3 significant digits, exponent form when tiny or huge. */
export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return x.toExponential(2);
  return String(Number(x.toPrecision(3)));
}
