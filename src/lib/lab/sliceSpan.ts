/**
 * The half-width of a loss slice taken from the run's path (issue 12, item 9): random directions
 * in a space of thousands of weights catch little of the training motion, so a fixed ±1 often
 * shows the path as a speck; 1.5 × its farthest projected snapshot frames it with a margin.
 */
export function fitSpan(reach: number): number {
  return reach > 0 && Number.isFinite(reach) ? Number((1.5 * reach).toPrecision(2)) : 1;
}
