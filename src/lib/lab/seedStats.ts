/**
 * A race over several seeds, summed up: the mean curve with the band of the seeds' range, and
 * each run's final numbers as mean ± standard deviation (issue 11, item 5). Plain arithmetic on
 * numbers, so the page, the `trace` command and the tests share it.
 */

/** Mean, sample standard deviation (n − 1; 0 for one value), range and count of some numbers. */
export interface Spread {
  mean: number;
  sd: number;
  min: number;
  max: number;
  n: number;
}

/** The spread of `values` (non-finite ones left out; NaN everywhere when none is left). */
export function spreadOf(values: readonly number[]): Spread {
  const v = values.filter(Number.isFinite);
  const n = v.length;
  if (n === 0) return { mean: NaN, sd: NaN, min: NaN, max: NaN, n: 0 };
  const mean = v.reduce((a, b) => a + b, 0) / n;
  const ss = v.reduce((a, b) => a + (b - mean) ** 2, 0);
  return {
    mean,
    sd: n > 1 ? Math.sqrt(ss / (n - 1)) : 0,
    min: Math.min(...v),
    max: Math.max(...v),
    n,
  };
}

/** One x of a curve over seeds: the mean x (the seeds' x differ only on a time axis) and the spread of y. */
export interface BandPoint extends Spread {
  x: number;
}

/**
 * The seeds' curves point by point: the k-th point of every seed (the same step or evaluation)
 * summed up. Only as far as every seed has come, so a seed that stopped early (diverged) or is
 * still behind never makes the mean jump.
 */
export function bandOf(perSeed: readonly (readonly (readonly [number, number])[])[]): BandPoint[] {
  if (perSeed.length === 0) return [];
  const len = Math.min(...perSeed.map((s) => s.length));
  const out: BandPoint[] = [];
  for (let k = 0; k < len; k++) {
    const x = perSeed.reduce((a, s) => a + s[k][0], 0) / perSeed.length;
    out.push({ x, ...spreadOf(perSeed.map((s) => s[k][1])) });
  }
  return out;
}

/**
 * A gap between two runs over paired seeds (seed k of both started from the same weights and saw
 * the same batches): the per-seed differences a_k − b_k, their mean, and whether the mean gap is
 * within the spread between seeds, i.e. no larger than the larger of the two runs' standard
 * deviations (then these seeds do not tell the two apart).
 */
export interface Gap {
  perSeed: number[];
  mean: number;
  withinSpread: boolean;
}

export function gapOf(a: readonly number[], b: readonly number[]): Gap {
  const n = Math.min(a.length, b.length);
  const perSeed = Array.from({ length: n }, (_, k) => a[k] - b[k]);
  const mean = spreadOf(perSeed).mean;
  const spread = Math.max(spreadOf(a.slice(0, n)).sd, spreadOf(b.slice(0, n)).sd);
  return { perSeed, mean, withinSpread: n < 2 || Math.abs(mean) <= spread };
}
