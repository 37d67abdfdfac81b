/**
 * The test view: the shift's length and seeding, and end points scored on both views against a
 * hand computation (the wells and quadratic formulas written out here with Math.exp).
 */
import { describe, expect, it } from 'vitest';
import { getLandscape } from '.';
import { scoreEnds, shiftedLandscape, testShift, TEST_SHIFT_FRACTION } from './testView';

const wells = getLandscape('wells')!;
const quadratic = getLandscape('quadratic')!;

/** Spec §8.1's wells: −1·exp(−‖x − (−0.8, 0)‖²/(2·0.2²)) − 0.7·exp(−‖x − (0.8, 0)‖²/(2·0.8²)). */
const wellsByHand = (x: number, y: number) =>
  -Math.exp(-((x + 0.8) ** 2 + y ** 2) / 0.08) - 0.7 * Math.exp(-((x - 0.8) ** 2 + y ** 2) / 1.28);

describe('testShift', () => {
  it('has length TEST_SHIFT_FRACTION of the shorter side; the direction follows the seed', () => {
    expect(TEST_SHIFT_FRACTION).toBe(0.1);
    for (const seed of [0, 1, 2, 99]) {
      const u = testShift(wells, seed);
      // wells' domain is 4.5 × 3: |u| = 0.3
      expect(Math.hypot(u[0], u[1])).toBeCloseTo(0.3, 12);
      expect(testShift(wells, seed)).toEqual(u);
    }
    expect(testShift(wells, 1)).not.toEqual(testShift(wells, 2));
    // Himmelblau's 10 × 10 domain: |u| = 1
    const h = testShift(getLandscape('himmelblau')!, 1);
    expect(Math.hypot(h[0], h[1])).toBeCloseTo(1, 12);
  });
});

describe('scoreEnds', () => {
  it('scores an end point on both views, as the formula by hand gives', () => {
    const u: [number, number] = [0.3, 0];
    const [sharp, flat] = scoreEnds(wells, u, [
      [-0.8, 0],
      [0.8, 0],
    ]);
    expect(sharp.train).toBeCloseTo(wellsByHand(-0.8, 0), 12);
    expect(sharp.test).toBeCloseTo(wellsByHand(-1.1, 0), 12);
    expect(flat.test).toBeCloseTo(wellsByHand(0.5, 0), 12);
    // by hand: the sharp well loses −1 + e^{−0.09/0.08} = 0.675 of its depth, the flat one
    // 0.7·(1 − e^{−0.09/1.28}) = 0.0475 of its own
    expect(sharp.test - sharp.train).toBeGreaterThan(0.6);
    expect(flat.test - flat.train).toBeLessThan(0.06);
    expect(flat.test).toBeLessThan(sharp.test);
  });

  it('on the quadratic, f(x − u) at the minimum is ½uᵀAu', () => {
    // A = [[5.5, 4.5], [4.5, 5.5]]: ½(5.5·0.01 + 2·4.5·0.1·(−0.2) + 5.5·0.04) = ½·0.095
    const [s] = scoreEnds(quadratic, [0.1, -0.2], [[0, 0]]);
    expect(s.train).toBe(0);
    expect(s.test).toBeCloseTo(0.5 * (0.055 - 0.18 + 0.22), 14);
  });
});

describe('shiftedLandscape', () => {
  it('moves the surface and its minima by u', () => {
    const t = shiftedLandscape(wells, [0.3, -0.1]);
    expect(t.f([0.5, 0.4])).toBe(wells.f([0.2, 0.5]));
    expect(t.grad([0.5, 0.4])).toEqual(wells.grad([0.2, 0.5]));
    expect(t.minima.map((m) => m.x)).toEqual([
      [-0.7903430625784127 + 0.3, -0.1],
      [1.1, -0.1],
    ]);
  });
});
