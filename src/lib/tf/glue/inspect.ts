/**
 * What the GLUE page draws inside a step, read from the step's own intermediates (FineTune.step's
 * `inspect`, no extra gradient pass): ‖s_t‖, ‖δ_t‖ and cos(s_t, g_t), and on request η_t as
 * per-layer log10 histograms (the lab's etaStatistics, by the model's parameter groups).
 */
import type { EtaHistogram } from '../../lab/types';
import type { OptimizerConfig } from '../../optim/config';
import { etaCeiling } from '../../optim/precondition';
import type { TensorStep } from '../optimizer';
import { stepDiagnostics, type StepDiagnostics } from '../train/diagnostics';
import { etaStatistics } from '../train/etaStats';

export interface Inspected {
  diag: StepDiagnostics;
  /** null unless asked for, and for non-adaptive runs */
  eta: { histograms: EtaHistogram[]; ceiling: number } | null;
}

/**
 * The scalars of a step and, with `eta`, its η histograms. `k` is the number of updates made
 * with this step (t + 1), which sets the largest possible η (bias correction).
 */
export async function inspectStep(
  info: TensorStep,
  o: { config: OptimizerConfig; groups: Record<string, string>; k: number; eta: boolean },
): Promise<Inspected> {
  const diag = await stepDiagnostics(info);
  if (!o.eta || !info.eta) return { diag, eta: null };
  const ceiling = etaCeiling(o.config, o.k);
  const { histograms } = await etaStatistics(info.eta, o.groups, null, 40, ceiling);
  return { diag, eta: { histograms, ceiling } };
}
