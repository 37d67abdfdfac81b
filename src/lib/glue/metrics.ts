/**
 * GLUE metrics (spec glue.md §3), reported ×100 as in GLUE tables. Rows whose label is −1 (test
 * splits) are never scored.
 */
import { fail } from './errors';
import type { MetricName, TaskSpec } from './tasks';

export function accuracy(predictions: ArrayLike<number>, labels: ArrayLike<number>): number {
  let right = 0;
  for (let i = 0; i < labels.length; i++) if (predictions[i] === labels[i]) right++;
  return labels.length ? right / labels.length : NaN;
}

/** Confusion counts with class 1 as the positive class. */
function confusion(predictions: ArrayLike<number>, labels: ArrayLike<number>) {
  let tp = 0;
  let tn = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = predictions[i] === 1;
    const y = labels[i] === 1;
    if (p && y) tp++;
    else if (p) fp++;
    else if (y) fn++;
    else tn++;
  }
  return { tp, tn, fp, fn };
}

/** F1 of the positive class 1: 2tp / (2tp + fp + fn); 0 when there is no positive at all. */
export function f1(predictions: ArrayLike<number>, labels: ArrayLike<number>): number {
  const { tp, fp, fn } = confusion(predictions, labels);
  return tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
}

/** Matthews correlation (tp·tn − fp·fn)/√((tp+fp)(tp+fn)(tn+fp)(tn+fn)); 0 when a factor is 0. */
export function matthews(predictions: ArrayLike<number>, labels: ArrayLike<number>): number {
  const { tp, tn, fp, fn } = confusion(predictions, labels);
  const denominator = (tp + fp) * (tp + fn) * (tn + fp) * (tn + fn);
  return denominator ? (tp * tn - fp * fn) / Math.sqrt(denominator) : 0;
}

/** Pearson correlation; NaN when either side is constant (as scipy). */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxx && syy ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** Ranks 1…n; tied values share the mean of their ranks. */
export function averageRanks(values: ArrayLike<number>): number[] {
  const order = Array.from({ length: values.length }, (_, i) => i).sort(
    (a, b) => values[a] - values[b],
  );
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length;) {
    let end = start + 1;
    while (end < order.length && values[order[end]] === values[order[start]]) end++;
    const mean = (start + 1 + end) / 2; // ranks start+1 … end
    for (let k = start; k < end; k++) ranks[order[k]] = mean;
    start = end;
  }
  return ranks;
}

/** Spearman = Pearson of the average ranks. */
export const spearman = (x: ArrayLike<number>, y: ArrayLike<number>): number =>
  pearson(averageRanks(x), averageRanks(y));

const METRIC: Record<MetricName, (p: ArrayLike<number>, y: ArrayLike<number>) => number> = {
  accuracy,
  f1,
  mcc: matthews,
  pearson,
  spearman,
};

/**
 * The task's metrics ×100, in the order of spec §3 (the first is the headline). Predictions are
 * class ids, or scores for STS-B. Rows labelled −1 are left out; with none left this is an error.
 * For MNLI, `split` 'matched' / 'mismatched' names the accuracy `accuracy_m` / `accuracy_mm`.
 */
export function metricsFor(
  task: TaskSpec,
  predictions: ArrayLike<number>,
  labels: ArrayLike<number>,
  split?: 'matched' | 'mismatched',
): Record<string, number> {
  if (predictions.length !== labels.length)
    fail(task.name, `${predictions.length} predictions for ${labels.length} labels`);
  const keep = Array.from({ length: labels.length }, (_, i) => i).filter((i) => labels[i] !== -1);
  if (!keep.length) fail(task.name, 'no labelled rows to score (a test split has none)');
  const p = keep.map((i) => predictions[i]);
  const y = keep.map((i) => labels[i]);
  const suffix = task.name === 'MNLI' && split ? (split === 'matched' ? '_m' : '_mm') : '';
  return Object.fromEntries(task.metrics.map((m) => [m + suffix, 100 * METRIC[m](p, y)]));
}
