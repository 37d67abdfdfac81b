/**
 * The speed-up experiment's numbers (paper Figure 1, Corollary 3.7): per batch size b the steps
 * T_b it needed to bring the training rows' loss to the target, and T_b·b, which a linear
 * speed-up keeps about constant. Plain data and arithmetic, shared by the worker, the page and
 * the exports.
 */

/** One batch size of the experiment. */
export interface SpeedupResult {
  batch: number;
  lr: number;
  /** f_B(x_t) per step trained */
  losses: number[];
  /** the training rows' loss (no dropout) after `step` steps, at each check */
  checks: { step: number; trainLoss: number }[];
  /** the first checked step at or below the target; null: not reached within the cap */
  T: number | null;
  status: 'reached' | 'capped' | 'diverged' | 'stopped';
}

/** The batch sizes of the paper's Figure 1. */
export const SPEEDUP_BATCHES = [4, 8, 16, 32] as const;

export interface SpeedupRow {
  batch: number;
  lr: number;
  T: number | null;
  /** T·b: the training rows seen until the target */
  Tb: number | null;
  /** T_b / T_{b/2} of the batch size before (0.5: a linear speed-up) */
  ratio: number | null;
  status: SpeedupResult['status'];
}

export function speedupRows(results: readonly SpeedupResult[]): SpeedupRow[] {
  return results.map((r, k) => {
    const prev = k > 0 ? results[k - 1].T : null;
    return {
      batch: r.batch,
      lr: r.lr,
      T: r.T,
      Tb: r.T === null ? null : r.T * r.batch,
      ratio: r.T !== null && prev ? r.T / prev : null,
      status: r.status,
    };
  });
}
