/**
 * The data behind the lab's charts as tables for the CSV / JSON buttons (issue 12, item 6): the
 * per-step curves and diagnostics, the evaluations, the η histograms of the shown step, λ_max,
 * the loss slice and the speed-up curves. Runs are named as on the page.
 */
import type { EtaSnapshot, HessianState } from '../../lib/pageState/LabState.svelte';
import type { EvalMetrics, SliceResult, SpeedupCurve, StepMetrics } from '../../lib/lab/types';
import type { ChartTable } from '../common/chartData';

/** `run`, then `seed` (1-based) when the race has several seeds: which curve a row belongs to. */
function seedColumns<M>(perSeed: M[][][]): {
  columns: string[];
  rows: (label: string, seed: number) => (string | number)[];
} {
  const many = perSeed.length > 1;
  return {
    columns: many ? ['run', 'seed'] : ['run'],
    rows: (label, seed) => (many ? [label, seed + 1] : [label]),
  };
}

/**
 * Every step of every run (of every seed, given per seed): the minibatch loss and the
 * diagnostics of spec §4 (‖s‖, ‖δ‖, …).
 */
export function stepsTable(perSeed: StepMetrics[][][], labels: string[]): ChartTable {
  const id = seedColumns(perSeed);
  return {
    name: 'lab-steps',
    columns: [
      ...id.columns,
      'step',
      'gradient evaluations',
      'wall ms',
      'minibatch loss',
      '‖s‖',
      '‖δ‖',
      'cos(s, g)',
      'sharpness',
    ],
    rows: perSeed.flatMap((steps, seed) =>
      steps.flatMap((run, i) =>
        run.map((m) => [
          ...id.rows(labels[i], seed),
          m.step,
          m.gradEvals,
          m.wallMs,
          m.loss,
          m.sNorm,
          m.deltaNorm,
          m.cosSG,
          m.sharpness,
        ]),
      ),
    ),
  };
}

/** Every evaluation of every run (of every seed): test and (sampled) training loss and accuracy. */
export function evalsTable(perSeed: EvalMetrics[][][], labels: string[]): ChartTable {
  const id = seedColumns(perSeed);
  return {
    name: 'lab-evaluations',
    columns: [
      ...id.columns,
      'step',
      'gradient evaluations',
      'wall ms',
      'test loss',
      'test accuracy',
      'train loss',
      'train accuracy',
    ],
    rows: perSeed.flatMap((evals, seed) =>
      evals.flatMap((run, i) =>
        run.map((m) => [
          ...id.rows(labels[i], seed),
          m.step,
          m.gradEvals,
          m.wallMs,
          m.testLoss,
          m.testAcc,
          m.trainLoss,
          m.trainAcc,
        ]),
      ),
    ),
  };
}

/** The η histograms of one run at one step: each group's bins in log10 η, with counts. */
export function etaTable(snap: EtaSnapshot, label: string): ChartTable {
  return {
    name: `lab-eta-step${snap.step}`,
    columns: ['run', 'step', 'group', 'log10 η from', 'log10 η to', 'coordinates'],
    rows: snap.histograms.flatMap((h) =>
      Array.from(h.counts, (c, i) => [label, snap.step, h.group, h.edges[i], h.edges[i + 1], c]),
    ),
  };
}

/** λ_max of each run where computed, with the step and the loss there. */
export function hessianTable(hessian: (HessianState | null)[], labels: string[]): ChartTable {
  const rows: (string | number)[][] = [];
  hessian.forEach((h, i) => {
    if (h?.state === 'done') rows.push([labels[i], h.step, h.loss, h.lambdaMax, h.iters]);
  });
  return { name: 'lab-hessian', columns: ['run', 'step', 'loss', 'λ_max', 'iterations'], rows };
}

/** The slice's grid: loss at x + a·d1 + b·d2 for every (a, b). */
export function sliceTable(r: SliceResult, label: string): ChartTable {
  const at = (i: number) => -r.span + (2 * r.span * i) / (r.n - 1);
  const rows: (string | number)[][] = [];
  for (let j = 0; j < r.n; j++)
    for (let i = 0; i < r.n; i++) rows.push([label, r.step, at(i), at(j), r.grid[j * r.n + i]]);
  return { name: `lab-slice-step${r.step}`, columns: ['run', 'step', 'a', 'b', 'loss'], rows };
}

/** The speed-up experiment: the training loss of each batch size per iteration. */
export function speedupTable(curves: SpeedupCurve[]): ChartTable {
  return {
    name: 'lab-speedup',
    columns: ['batch', 'lr', 'iteration', 'loss'],
    rows: curves.flatMap((c) => Array.from(c.losses, (l, k) => [c.batch, c.lr, k, l])),
  };
}
