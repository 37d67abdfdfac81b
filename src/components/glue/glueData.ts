/**
 * The GLUE race's records in the shapes the lab's panels draw (through the lab's types, so its
 * components are reused, not copied): a step record as the lab's StepMetrics at the x of f(x_t),
 * η samples as the lab's EtaSnapshot, and the tables behind the GLUE panels' data buttons.
 */
import type { ChartTable } from '../common/chartData';
import { speedupRows, type SpeedupResult } from '../../lib/glue/speedup';
import type { StepMetrics } from '../../lib/lab/types';
import type { GlueStep } from '../../lib/worker/glueProtocol';

/**
 * Step t of run `run` as the lab's StepMetrics: s_t, δ_t, g_t belong to x_t, so they sit at
 * x = t (or the gradient evaluations spent before x_t), as f(x_t) does in the GLUE curves.
 */
export function stepMetricsOf(run: number, s: GlueStep): StepMetrics {
  const perStep = s.gradEvals / (s.step + 1);
  return {
    run,
    seed: s.seed,
    step: s.step,
    gradEvals: perStep * s.step,
    wallMs: s.wallMs,
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
