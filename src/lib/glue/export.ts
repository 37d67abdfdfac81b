/**
 * The GLUE page's results as files: one CSV row per optimizer, seed and weights x_t (the training
 * loss f_B(x_t) of step t, the step's diagnostics and the dev metrics of x_t where they were
 * evaluated), and one JSON document with the settings, the series, the η samples, the results
 * table (over seeds: mean ± sd) and the speed-up experiment.
 */
import type { EtaHistogram } from '../lab/types';
import type { Spread } from '../lab/seedStats';
import type { EvalPoint, ResultRow } from './results';
import { bySeed, seedRows } from './seeds';
import { speedupRows, type SpeedupResult, type SpeedupRow } from './speedup';
import type { TaskName } from './tasks';

export interface StepPoint {
  step: number;
  lr: number;
  loss: number;
  sNorm: number;
  lossPerturbed: number | null;
  gradEvals: number;
  /** which seed (absent: the first) */
  seed?: number;
  deltaNorm?: number | null;
  cosSG?: number | null;
  sharpness?: number | null;
}

type SeedEval = EvalPoint & { seed?: number };

const cell = (v: string | number | null | undefined): string => {
  if (v == null) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * Columns: optimizer, the seed (over several seeds only), t, gradient evaluations spent before
 * x_t, lr_t, f_B(x_t), ‖s_t‖, f_B(x_t+δ_t), ‖δ_t‖, cos(s_t, g_t), f_B(x_t+δ_t) − f_B(x_t), then
 * each dev metric of x_t. Rows by optimizer, seed, then t. `seed` is the race's first seed (the
 * k-th seed is seed + k).
 */
export function curvesCsv(
  labels: readonly string[],
  steps: readonly (readonly StepPoint[])[],
  evals: readonly (readonly SeedEval[])[],
  metrics: readonly string[],
  seeds: { count: number; seed: number } = { count: 1, seed: 0 },
): string {
  const many = seeds.count > 1;
  const head = [
    'optimizer',
    ...(many ? ['seed'] : []),
    't',
    'gradEvals',
    'lr',
    'loss',
    'sNorm',
    'lossPerturbed',
    'deltaNorm',
    'cosSG',
    'sharpness',
    ...metrics,
  ];
  const lines = [head.join(',')];
  labels.forEach((label, run) => {
    const stepsBySeed = bySeed(steps[run] ?? [], seeds.count);
    const evalsBySeed = bySeed(evals[run] ?? [], seeds.count);
    for (let k = 0; k < Math.max(stepsBySeed.length, evalsBySeed.length); k++) {
      const byT = new Map<number, { s?: StepPoint; e?: SeedEval }>();
      for (const s of stepsBySeed[k] ?? []) byT.set(s.step, { ...byT.get(s.step), s });
      for (const e of evalsBySeed[k] ?? []) byT.set(e.step, { ...byT.get(e.step), e });
      const first = stepsBySeed[k]?.[0];
      const perStep = first ? first.gradEvals / (first.step + 1) : 0;
      for (const t of [...byT.keys()].sort((a, b) => a - b)) {
        const { s, e } = byT.get(t)!;
        lines.push(
          [
            label,
            ...(many ? [seeds.seed + k] : []),
            t,
            perStep ? t * perStep : null,
            s?.lr,
            s?.loss,
            s?.sNorm,
            s?.lossPerturbed,
            s?.deltaNorm,
            s?.cosSG,
            s?.sharpness,
            ...metrics.map((m) => e?.metrics[m]),
          ]
            .map(cell)
            .join(','),
        );
      }
    }
  });
  return lines.join('\n') + '\n';
}

/** η of one sampled step with plain arrays (typed arrays do not survive JSON.stringify). */
export interface EtaJson {
  step: number;
  ceiling: number;
  histograms: {
    group: string;
    edges: number[];
    counts: number[];
    min: number;
    max: number;
    median: number;
    atCeiling: number;
  }[];
}

const etaJson = (e: { step: number; ceiling: number; histograms: EtaHistogram[] }): EtaJson => ({
  step: e.step,
  ceiling: e.ceiling,
  histograms: e.histograms.map((h) => ({
    ...h,
    edges: Array.from(h.edges),
    counts: Array.from(h.counts),
  })),
});

export interface SpeedupJson {
  /** the optimizer trained, its lr at `baseBatch` */
  label: string;
  baseBatch: number;
  target: number;
  cap: number;
  results: readonly SpeedupResult[];
  /** T, T·b and the ratio per batch size */
  rows: SpeedupRow[];
}

export interface ResultsJson {
  task: TaskName;
  settings: unknown;
  runs: {
    label: string;
    config: unknown;
    steps: readonly StepPoint[];
    evals: readonly SeedEval[];
    /** the first seed's row */
    result: ResultRow;
    /** the headline metric over the seeds: final and best as mean, sd, min, max, n */
    seeds: { final: Spread; best: Spread; perSeed: ResultRow[] };
    eta: EtaJson[];
  }[];
  speedup: SpeedupJson | null;
}

export interface ResultsExtra {
  eta?: readonly (readonly { step: number; ceiling: number; histograms: EtaHistogram[] }[])[];
  speedup?: Omit<SpeedupJson, 'rows'> | null;
}

export function resultsJson(
  task: TaskName,
  settings: { runs: readonly { label: string; config: unknown }[] } & Record<string, unknown>,
  steps: readonly (readonly StepPoint[])[],
  evals: readonly (readonly SeedEval[])[],
  extra: ResultsExtra = {},
): ResultsJson {
  const rows = seedRows(task, evals);
  const { runs, ...rest } = settings;
  const empty: ResultRow = { run: 0, final: null, best: null, bestStep: null };
  return {
    task,
    settings: rest,
    runs: runs.map((r, i) => ({
      label: r.label,
      config: r.config,
      steps: steps[i] ?? [],
      evals: evals[i] ?? [],
      result: rows[i].perSeed[0] ?? { ...empty, run: i },
      seeds: { final: rows[i].final, best: rows[i].best, perSeed: rows[i].perSeed },
      eta: (extra.eta?.[i] ?? []).map(etaJson),
    })),
    speedup: extra.speedup ? { ...extra.speedup, rows: speedupRows(extra.speedup.results) } : null,
  };
}
