/**
 * Recommended settings per landscape: the defaults a link of version 2 or 3 has on each landscape
 * (decisions.md "Links and defaults"), so that switching the landscape gives a race worth
 * watching. Each was chosen by running the four-run race (SGD, AMSGrad, SAM, AdaSAM, paper
 * preset, exact gradients) with `npm run --silent trace`:
 *
 * - wells: γ 0.05 for all, ρ 0.12 for SAM and AdaSAM alike, from (−0.5, 0.3), 200 steps. SGD,
 *   AMSGrad and SAM end in the sharp well (SAM's steps shrink with the gradient, so it rocks at
 *   the well's bottom); AdaSAM's step does not shrink with the gradient and carries it over the
 *   ridge to the flat well (from 75 of 81 starts within ±0.04 of x₀; with ρ ≥ 0.15 SAM stalls on
 *   the ridge instead, with ρ ≤ 0.1 AdaSAM often stays sharp).
 * - rosenbrock: SGD-type runs γ 0.0015 (stable: 2/λ_max ≈ 0.002 at the minimum, ≈ 0.0015 at the
 *   start), adaptive runs γ 0.05, ρ 0.01, 1000 steps, from (−1.2, 1): no run diverges (with γ 0.05
 *   SGD and SAM blew up at step 5); at step 1000 AMSGrad is at f ≈ 1.6e−3, AdaSAM 6.4e−3, SGD
 *   and SAM 0.16, still crawling along the valley. A log axis shows the crawl.
 * - himmelblau: SGD-type γ 0.02, adaptive γ 0.1, ρ 0.3, from (1, −1), 200 steps: SGD and SAM follow
 *   the gradient to the south-east minimum (3.58, −1.85), the sharper one (λ_max ≈ 10.5), while the
 *   per-coordinate steps of AMSGrad and AdaSAM take them to the flatter north-east one (3, 2),
 *   λ_max ≈ 8.2. From the landscape's own start (0, 0) every run ended at (3, 2).
 * - quadratic, saddle, ravine, bumpyBowl: the version-1 race's γ 0.05 already tells each story
 *   (no divergence; ravine: SGD crawls, adaptive runs walk down; bumpy bowl: SGD and AMSGrad end in
 *   dips, AdaSAM at the broad bottom); ρ 0.05 for SAM and AdaSAM alike.
 *
 * A log loss axis (log₁₀(f − f*)) where the runs approach one minimum and its depth is the story;
 * a linear one where which minimum a run ends in is the story (wells, saddle, bumpy bowl).
 */
import { recipe, type FamilyName, type OptimizerConfig, type Preset } from '../optim/config';

export interface Recommended {
  /** γ of the runs without an adaptive step (SGD, SAM, …) */
  lrPlain: number;
  /** γ of the adaptive runs (AMSGrad, AdaSAM, Adam, …) */
  lrAdaptive: number;
  /** ρ of every run with SAM's perturbation (ASAM keeps its own scale) */
  rho: number;
  steps: number;
  x0: [number, number];
  /** plot the loss as log₁₀(f − f*) */
  logLoss: boolean;
}

const plain = (x0: [number, number], logLoss: boolean): Recommended => ({
  lrPlain: 0.05,
  lrAdaptive: 0.05,
  rho: 0.05,
  steps: 200,
  x0,
  logLoss,
});

export const RECOMMENDED: Readonly<Record<string, Readonly<Recommended>>> = {
  wells: { ...plain([-0.5, 0.3], false), rho: 0.12 },
  quadratic: plain([-2, 1], true),
  rosenbrock: {
    lrPlain: 0.0015,
    lrAdaptive: 0.05,
    rho: 0.01,
    steps: 1000,
    x0: [-1.2, 1],
    logLoss: true,
  },
  himmelblau: { lrPlain: 0.02, lrAdaptive: 0.1, rho: 0.3, steps: 200, x0: [1, -1], logLoss: true },
  saddle: plain([-1.8, 0.01], false),
  ravine: plain([-2.5, 1], true),
  bumpyBowl: plain([-1.6, -0.3], false),
};

/** The race every landscape opens with in versions 2 and 3. */
export const RACE_FAMILIES = ['sgd', 'amsgrad', 'sam', 'adasam'] as const satisfies FamilyName[];

/** The recommended settings of a landscape (the wells' for an unknown id). */
export const recommendedFor = (id: string): Readonly<Recommended> =>
  RECOMMENDED[id] ?? RECOMMENDED.wells;

/** A family member's knobs on a landscape: its recipe with the landscape's γ and ρ. */
export function recommendedConfig(id: string, family: FamilyName, preset: Preset): OptimizerConfig {
  const r = recommendedFor(id);
  const base = recipe(family, preset);
  const usesRho = base.rho > 0 && base.perturbation === 'sam';
  return recipe(family, preset, {
    lr: base.adaptive ? r.lrAdaptive : r.lrPlain,
    ...(usesRho ? { rho: r.rho } : {}),
  });
}
