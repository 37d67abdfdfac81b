/**
 * Visual constants shared by every view: the same colour means the same vector in the
 * equations (katex), the 2-D plots and the 3-D surface.
 */
import { interpolateViridis } from 'd3';

/** One colour per run of a race, by its index (MAX_RUNS = 8). */
export const RUN_COLORS = [
  '#e6550d',
  '#3182bd',
  '#31a354',
  '#d6336c',
  '#7b4fc9',
  '#8c6d31',
  '#17a2b8',
  '#555555',
] as const;

export const runColor = (i: number): string => RUN_COLORS[i % RUN_COLORS.length];

/** The vectors of one AdaSAM step (Algorithm 1). */
export const VECTOR_COLORS = {
  /** s_t = ∇f(x_t), the clean gradient */
  s: '#1f77b4',
  /** δ_t, the ascent to the edge of the ρ-ball */
  delta: '#d62728',
  /** g_t = ∇f(x_t + δ_t), the gradient SAM descends along */
  g: '#9467bd',
  /** η_t, the per-coordinate step size (bars) */
  eta: '#2ca02c',
  /** x_{t+1} − x_t */
  update: '#ff7f0e',
} as const;

export type VectorName = keyof typeof VECTOR_COLORS;

/** Minima kinds, for markers and the basin map. */
export const KIND_COLORS = { sharp: '#c0392b', flat: '#2e86c1', none: '#b8bec7' } as const;

/** Colour of a normalized height h ∈ [0, 1] (low = dark), for the heatmap and the 3-D mesh. */
export const fieldColor = (h: number): string =>
  interpolateViridis(0.15 + 0.85 * Math.min(1, Math.max(0, h)));
