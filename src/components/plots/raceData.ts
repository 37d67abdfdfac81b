/**
 * The data behind the 2-D page's charts as tables for the CSV / JSON buttons (issue 12, item 6):
 * the loss curves (one row per step t = 0 … T), the trajectories (one row per run and step) and
 * the basin maps (one row per run and start point).
 */
import type { Landscape } from '../../lib/landscapes';
import { gridStart } from '../../lib/landscapes/basin';
import { FAMILY, familyOf } from '../../lib/optim/config';
import type { RaceResult } from '../../lib/pageState/ExplainerState.svelte';
import type { ChartTable } from '../common/chartData';

/** "1 AdaSAM": the run's place in the race and its family, unique even with two AdaSAMs */
export const runName = (r: RaceResult, i: number): string =>
  `${i + 1} ${FAMILY[familyOf(r.run.config)].label}`;

/** step, then each run's f(x_t) and gradient evaluations after t steps (empty past a divergence) */
export function lossTable(results: RaceResult[], name: string): ChartTable {
  const T = Math.max(0, ...results.map((r) => r.loss.length - 1));
  return {
    name,
    columns: [
      'step',
      ...results.flatMap((r, i) => [
        `${runName(r, i)} loss`,
        `${runName(r, i)} gradient evaluations`,
      ]),
    ],
    rows: Array.from({ length: T + 1 }, (_, t) => [
      t,
      ...results.flatMap((r) => [r.loss[t] ?? null, r.evals[t] ?? null]),
    ]),
  };
}

/** run, step, x_t and f(x_t): every point of every trajectory on the map */
export function trajectoryTable(results: RaceResult[], name: string): ChartTable {
  return {
    name,
    columns: ['run', 'step', 'x1', 'x2', 'loss'],
    rows: results.flatMap((r, i) =>
      r.run.xs.map((x, t) => [runName(r, i), t, x[0], x[1], r.loss[t] ?? null]),
    ),
  };
}

/** run, start x₀ (cell centre) and the minimum its run ends in ("none" when it ends in none) */
export function basinTable(
  land: Landscape,
  labels: string[],
  maps: ({ nx: number; classes: Int8Array } | null)[],
  name: string,
): ChartTable {
  const rows: (string | number)[][] = [];
  maps.forEach((m, i) => {
    if (!m) return;
    const ny = m.classes.length / m.nx;
    for (let j = 0; j < ny; j++)
      for (let k = 0; k < m.nx; k++) {
        const cls = m.classes[j * m.nx + k];
        const min = land.minima[cls];
        rows.push([
          labels[i],
          ...gridStart(land.domain, m.nx, ny, k, j),
          min ? (min.label ?? min.kind) : 'none',
        ]);
      }
  });
  return { name, columns: ['run', 'x0 1', 'x0 2', 'ends in'], rows };
}
