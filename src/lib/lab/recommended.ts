/**
 * The lab's recommended race: what a lab link of version 2 opens with (state/defaults.ts), with
 * the reasons, as landscapes/recommended.ts does for the 2-D page. Version-1 lab links keep
 * version 1's defaults.
 *
 * - x axis: gradient evaluations. A SAM-type step (SAM, AdaSAM) takes two gradients, one at x and
 *   one at x + δ, so per step it costs twice an AMSGrad or SGD step; against steps it would look
 *   twice as cheap as it is.
 */

/** The view settings of the recommended race. */
export const LAB_RECOMMENDED = {
  view: { xAxis: 'gradEvals' },
} as const;
