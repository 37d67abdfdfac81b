/**
 * Visual constants shared by every view: the same colour means the same vector in the
 * equations (katex), the 2-D plots and the 3-D surface.
 */
import { interpolateViridis } from 'd3';
import { runStyles, VECTOR_COLORS, type RunStyle } from '../../lib/color/palette';
import { familyOf, type OptimizerConfig } from '../../lib/optim/config';

export { markerPath, VECTOR_COLORS, type RunStyle } from '../../lib/color/palette';

// The same families give the same array of styles: a change that leaves every run's family as
// it was (a dragged knob) then leaves every legend, swatch and line style alone.
const styleCache = new Map<string, RunStyle[]>();

/** Run styles by optimizer family (lib/color/palette.ts), from what each config is. */
export function stylesOf(configs: readonly OptimizerConfig[]): RunStyle[] {
  const families = configs.map(familyOf);
  const key = families.join(' ');
  let styles = styleCache.get(key);
  if (!styles) {
    if (styleCache.size >= 64) styleCache.clear();
    styles = runStyles(families);
    styleCache.set(key, styles);
  }
  return styles;
}

export type VectorName = keyof typeof VECTOR_COLORS;

/** Minima kinds, for markers and the basin map. */
export const KIND_COLORS = { sharp: '#b83227', flat: '#1f6aa0', none: '#b8bec7' } as const;

/** Colour of a normalized height h ∈ [0, 1] (low = dark), for the heatmap and the 3-D mesh. */
export const fieldColor = (h: number): string =>
  interpolateViridis(0.15 + 0.85 * Math.min(1, Math.max(0, h)));
