import type { Landscape } from './types';
import { quadratic } from './quadratic';
import { rosenbrock } from './rosenbrock';
import { wells } from './wells';
import { himmelblau } from './himmelblau';
import { saddle } from './saddle';
import { ravine } from './ravine';
import { bumpyBowl } from './bumpyBowl';

export type { Landscape, Minimum } from './types';
export { lowestMinimum } from './types';

/** Every built-in landscape, in menu order. Adding one here adds it to the URL, the page and `trace`. */
export const LANDSCAPES: readonly Landscape[] = [
  wells,
  quadratic,
  rosenbrock,
  himmelblau,
  saddle,
  ravine,
  bumpyBowl,
];

export const LANDSCAPE_IDS = LANDSCAPES.map((l) => l.id);

export function getLandscape(id: string): Landscape | undefined {
  return LANDSCAPES.find((l) => l.id === id);
}
