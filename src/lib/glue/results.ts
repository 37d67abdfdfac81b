/**
 * The GLUE page's results table from the dev evaluations of a race (decisions.md "GLUE"): per run
 * the task's headline metric (the first of glue.md §3: MRPC F1, STS-B Pearson, MNLI matched …)
 * after the last step and at its best evaluation (AdaSAM − AMSGrad over seeds: seeds.ts).
 */
import { DISTILROBERTA_DEV } from './reference';
import { TASKS, type MetricName, type TaskName } from './tasks';

export interface EvalPoint {
  step: number;
  metrics: Record<string, number>;
}

export interface ResultRow {
  run: number;
  /** the headline metric after the run's last evaluation, and its best over the run */
  final: number | null;
  best: number | null;
  bestStep: number | null;
}

export const METRIC_LABEL: Record<MetricName, string> = {
  mcc: 'Matthews corr.',
  accuracy: 'accuracy',
  f1: 'F1',
  pearson: 'Pearson',
  spearman: 'Spearman',
};

/** The metric a task is compared on: the first of its list (its key in the metrics objects). */
export function headline(task: TaskName): MetricName {
  return TASKS[task].metrics[0];
}

export function resultRows(task: TaskName, evals: readonly (readonly EvalPoint[])[]): ResultRow[] {
  const key = headline(task);
  return evals.map((points, run) => {
    const values = points
      .map((p) => ({ step: p.step, v: p.metrics[key] }))
      .filter((p) => Number.isFinite(p.v));
    if (values.length === 0) return { run, final: null, best: null, bestStep: null };
    // the first of equal best values: the earliest step that reached it
    const best = values.reduce((a, b) => (b.v > a.v ? b : a));
    return { run, final: values[values.length - 1].v, best: best.v, bestStep: best.step };
  });
}

export const referenceScore = (task: TaskName): number => DISTILROBERTA_DEV[task];
