import type { Landscape } from './types';
import { quadratic } from './quadratic';
import { rosenbrock } from './rosenbrock';
import { wells } from './wells';

export type { Landscape, Minimum } from './types';

/** Every built-in landscape, in menu order. Adding one here adds it to the URL, the page and `trace`. */
export const LANDSCAPES: readonly Landscape[] = [wells, quadratic, rosenbrock];

export const LANDSCAPE_IDS = LANDSCAPES.map((l) => l.id);

export function getLandscape(id: string): Landscape | undefined {
  return LANDSCAPES.find((l) => l.id === id);
}
