/**
 * The GLUE page's results as files: one CSV row per optimizer and weights x_t (the training loss
 * f_B(x_t) of step t and the dev metrics of x_t where they were evaluated), and one JSON document
 * with the settings, the series and the results table.
 */
import { resultRows, type EvalPoint, type ResultRow } from './results';
import type { TaskName } from './tasks';

export interface StepPoint {
  step: number;
  lr: number;
  loss: number;
  sNorm: number;
  lossPerturbed: number | null;
  gradEvals: number;
}

const cell = (v: string | number | null | undefined): string => {
  if (v == null) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * Columns: optimizer, t, gradient evaluations spent before x_t, lr_t, f_B(x_t), ‖s_t‖,
 * f_B(x_t+δ_t), then each dev metric of x_t. Rows by optimizer, then t.
 */
export function curvesCsv(
  labels: readonly string[],
  steps: readonly (readonly StepPoint[])[],
  evals: readonly (readonly EvalPoint[])[],
  metrics: readonly string[],
): string {
  const head = ['optimizer', 't', 'gradEvals', 'lr', 'loss', 'sNorm', 'lossPerturbed', ...metrics];
  const lines = [head.join(',')];
  labels.forEach((label, run) => {
    const byT = new Map<number, { s?: StepPoint; e?: EvalPoint }>();
    for (const s of steps[run] ?? []) byT.set(s.step, { ...byT.get(s.step), s });
    for (const e of evals[run] ?? []) byT.set(e.step, { ...byT.get(e.step), e });
    const perStep = (steps[run]?.[0]?.gradEvals ?? 0) / ((steps[run]?.[0]?.step ?? 0) + 1);
    for (const t of [...byT.keys()].sort((a, b) => a - b)) {
      const { s, e } = byT.get(t)!;
      lines.push(
        [
          label,
          t,
          perStep ? t * perStep : null,
          s?.lr,
          s?.loss,
          s?.sNorm,
          s?.lossPerturbed,
          ...metrics.map((m) => e?.metrics[m]),
        ]
          .map(cell)
          .join(','),
      );
    }
  });
  return lines.join('\n') + '\n';
}

export interface ResultsJson {
  task: TaskName;
  settings: unknown;
  runs: {
    label: string;
    config: unknown;
    steps: readonly StepPoint[];
    evals: readonly EvalPoint[];
    result: ResultRow;
  }[];
}

export function resultsJson(
  task: TaskName,
  settings: { runs: readonly { label: string; config: unknown }[] } & Record<string, unknown>,
  steps: readonly (readonly StepPoint[])[],
  evals: readonly (readonly EvalPoint[])[],
): ResultsJson {
  const rows = resultRows(task, evals);
  const { runs, ...rest } = settings;
  return {
    task,
    settings: rest,
    runs: runs.map((r, i) => ({
      label: r.label,
      config: r.config,
      steps: steps[i] ?? [],
      evals: evals[i] ?? [],
      result: rows[i],
    })),
  };
}
