/**
 * The "test" view of a landscape (issue 11 item 1): the same surface shifted by a small, seeded
 * vector u, standing for the gap between the data a model is trained on and the data it is
 * tested on. A run's end point x_T is scored on both:
 *
 *   train loss f(x_T),   test loss f_test(x_T) = f(x_T − u)
 *
 * A sharp minimum's loss rises a lot under the shift, a flat one's barely (on `wells` with the
 * default seed 1: the sharp well's minimum goes from −1.10 to −0.42, the flat well's from −0.70 to
 * −0.65; seeds 1–8 give −0.39 to −0.49 and −0.65), which is why the flatter, higher minimum is
 * the one we want.
 *
 * u has length TEST_SHIFT_FRACTION of the domain's shorter side and a direction drawn from the
 * scene's seed (a normal pair, normalised: only +, ×, / and √, so every engine gives the same bits).
 */
import { makeRng, mixSeed } from '../math/rng';
import type { Vec } from '../math/vec';
import type { Landscape, Minimum } from './types';

/** |u| as a share of the domain's shorter side: 0.3 on wells, about the sharp well's width. */
export const TEST_SHIFT_FRACTION = 0.1;

/** The stream of the shift's direction (apart from the minibatch streams of stochastic.ts). */
const TEST_STREAM = 0x7e57;

/** The seeded shift u of a landscape's test view. */
export function testShift(land: Pick<Landscape, 'domain'>, seed: number): [number, number] {
  const [[x0, x1], [y0, y1]] = land.domain;
  const r = TEST_SHIFT_FRACTION * Math.min(x1 - x0, y1 - y0);
  const rng = makeRng(mixSeed(seed, TEST_STREAM));
  let a = 0;
  let b = 0;
  // a direction uniform on the circle; a (vanishingly rare) zero pair is drawn again
  while (a === 0 && b === 0) [a, b] = [rng.normal(), rng.normal()];
  const n = Math.sqrt(a * a + b * b);
  return [(r * a) / n, (r * b) / n];
}

/** The landscape x ↦ f(x − u): the test view, with its minima moved by u. */
export function shiftedLandscape(land: Landscape, u: [number, number]): Landscape {
  const back = (x: Vec): Vec => [x[0] - u[0], x[1] - u[1]];
  return {
    id: `${land.id}-test`,
    title: `${land.title} (test view)`,
    blurb: land.blurb,
    f: (x) => land.f(back(x)),
    grad: (x) => land.grad(back(x)),
    domain: land.domain,
    x0: land.x0,
    minima: land.minima.map((m): Minimum => ({ ...m, x: [m.x[0] + u[0], m.x[1] + u[1]] })),
  };
}

/** One end point scored on the training landscape and on its test view. */
export interface EndScore {
  train: number;
  test: number;
}

/** f(x) and f(x − u) at each point (a diverged run has no end point worth scoring: the page says so instead). */
export function scoreEnds(land: Landscape, u: [number, number], ends: readonly Vec[]): EndScore[] {
  return ends.map((x) => ({ train: land.f(x), test: land.f([x[0] - u[0], x[1] - u[1]]) }));
}
