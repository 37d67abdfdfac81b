/**
 * The GLUE race's records in the shapes the lab's panels draw (through the lab's types, so its
 * components are reused, not copied): a step record as the lab's StepMetrics at the x of f(x_t),
 * η samples as the lab's EtaSnapshot, and the tables behind the GLUE panels' data buttons.
 */
import type { ChartTable } from '../common/chartData';
import { speedupRows, type SpeedupResult } from '../../lib/glue/speedup';
import type { StepMetrics } from '../../lib/lab/types';
import type { GlueEval, GlueStep } from '../../lib/worker/glueProtocol';

/** The GLUE curves' x axes (GLUE_VIEW_SETTINGS). */
export type GlueXAxis = 'steps' | 'gradEvals' | 'wallMs';

export const GLUE_X_LABEL: Record<GlueXAxis, string> = {
  steps: 'step t',
  gradEvals: 'gradient evaluations',
  wallMs: 'training time (s)',
};

/**
 * The x of f(x_t) for one run's records of one seed, in order: t, the gradient evaluations spent
 * before x_t, or the run's training time before x_t in seconds (a record's wallMs is the time
 * after its step, so x_t's is the record before's).
 */
export function stepXs(records: readonly GlueStep[], axis: GlueXAxis): number[] {
  return records.map((s, i) => {
    if (axis === 'steps') return s.step;
    if (axis === 'gradEvals') return (s.gradEvals / (s.step + 1)) * s.step;
    return i > 0 ? records[i - 1].wallMs / 1000 : 0;
  });
}

/** The x of a dev evaluation of x_t (NaN on the time axis for points kept without a time). */
export const evalX = (e: GlueEval, axis: GlueXAxis): number =>
  axis === 'steps' ? e.step : axis === 'gradEvals' ? e.gradEvals : (e.wallMs ?? NaN) / 1000;

/**
 * Step t of run `run` as the lab's StepMetrics: s_t, δ_t, g_t belong to x_t, so they sit at
 * x = t (or the gradient evaluations, or the training time, spent before x_t; `before` is the
 * wallMs of the record before), as f(x_t) does in the GLUE curves.
 */
export function stepMetricsOf(run: number, s: GlueStep, before = 0): StepMetrics {
  const perStep = s.gradEvals / (s.step + 1);
  return {
    run,
    seed: s.seed,
    step: s.step,
    gradEvals: perStep * s.step,
    wallMs: before,
    loss: s.loss,
    sharpness: s.sharpness,
    sNorm: s.sNorm,
    deltaNorm: s.deltaNorm ?? NaN,
    cosSG: s.cosSG ?? NaN,
  };
}

/** Per batch size: lr, T, T·b, the ratio to the batch before, and how it ended. */
export function speedupTable(results: readonly SpeedupResult[]): ChartTable {
  return {
    name: 'glue-speedup',
    columns: ['batch', 'lr', 'T', 'T·b', 'T / T of b/2', 'status'],
    rows: speedupRows(results).map((r) => [r.batch, r.lr, r.T, r.Tb, r.ratio, r.status]),
  };
}
