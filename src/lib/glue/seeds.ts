/**
 * A GLUE race over several seeds, summed up: each run's records split by seed, the headline
 * metric's final and best value per seed as mean ± sd (the lab's seedStats), and AdaSAM − AMSGrad
 * over paired seeds (seed k of both saw the same rows in the same order from the same weights).
 */
import { gapOf, spreadOf, type Gap, type Spread } from '../lab/seedStats';
import { resultRows, type EvalPoint, type ResultRow } from './results';
import type { TaskName } from './tasks';

/** Records of one run, split by seed index (0 … seeds − 1; a seed with none gets []). */
export function bySeed<T extends { seed?: number }>(records: readonly T[], seeds = 0): T[][] {
  const out: T[][] = Array.from({ length: seeds }, () => []);
  for (const r of records) {
    const k = r.seed ?? 0;
    while (out.length <= k) out.push([]);
    out[k].push(r);
  }
  return out;
}

export interface SeedRow {
  run: number;
  /** one row per seed (resultRows of that seed's evaluations) */
  perSeed: ResultRow[];
  /** over the seeds with a value */
  final: Spread;
  best: Spread;
}

export function seedRows(
  task: TaskName,
  evals: readonly (readonly (EvalPoint & { seed?: number })[])[],
): SeedRow[] {
  return evals.map((points, run) => {
    const perSeed = resultRows(task, bySeed(points)).map((r) => ({ ...r, run }));
    const values = (f: (r: ResultRow) => number | null) =>
      perSeed.map(f).filter((v): v is number => v !== null);
    return {
      run,
      perSeed,
      final: spreadOf(values((r) => r.final)),
      best: spreadOf(values((r) => r.best)),
    };
  });
}

/**
 * AdaSAM − AMSGrad on the final headline metric over the seeds both finished (paired by seed);
 * null without one run of each or without a common seed.
 */
export function adasamGap(families: readonly string[], rows: readonly SeedRow[]): Gap | null {
  const a = rows[families.indexOf('adasam')];
  const b = rows[families.indexOf('amsgrad')];
  if (!a || !b || families.indexOf('adasam') < 0 || families.indexOf('amsgrad') < 0) return null;
  const pairs = a.perSeed
    .map((r, k) => [r.final, b.perSeed[k]?.final ?? null] as const)
    .filter((p): p is readonly [number, number] => p[0] !== null && p[1] !== null);
  if (pairs.length === 0) return null;
  return gapOf(
    pairs.map((p) => p[0]),
    pairs.map((p) => p[1]),
  );
}
