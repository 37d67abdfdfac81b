/**
 * The seed summaries against numbers worked out by hand (mean, sample standard deviation with
 * n − 1, range), including the three-seed example of AdaSAM − AMSGrad gaps.
 */
import { describe, expect, it } from 'vitest';
import { bandOf, gapOf, spreadOf } from './seedStats';

describe('spreadOf', () => {
  it('mean, sample sd, range and count', () => {
    // mean 2.5; squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5; sd = √(5/3)
    const s = spreadOf([1, 2, 3, 4]);
    expect(s.mean).toBe(2.5);
    expect(s.sd).toBeCloseTo(1.2909944487358056, 14);
    expect([s.min, s.max, s.n]).toEqual([1, 4, 4]);
  });

  it('one value has no spread; non-finite values are left out; none gives NaN', () => {
    expect(spreadOf([0.7])).toEqual({ mean: 0.7, sd: 0, min: 0.7, max: 0.7, n: 1 });
    expect(spreadOf([NaN, 2, Infinity, 4]).mean).toBe(3);
    expect(spreadOf([]).n).toBe(0);
    expect(spreadOf([]).mean).toBeNaN();
  });
});

describe('bandOf', () => {
  it('sums up the k-th point of every seed', () => {
    const band = bandOf([
      [
        [0, 0.2],
        [5, 0.5],
      ],
      [
        [0, 0.4],
        [7, 0.9],
      ],
      [
        [0, 0.6],
        [6, 0.7],
      ],
    ]);
    expect(band).toHaveLength(2);
    // point 0: 0.2, 0.4, 0.6 → mean 0.4, sd √((0.04 + 0 + 0.04)/2) = 0.2
    expect(band[0].x).toBe(0);
    expect(band[0].mean).toBeCloseTo(0.4, 12);
    expect(band[0].sd).toBeCloseTo(0.2, 12);
    expect([band[0].min, band[0].max]).toEqual([0.2, 0.6]);
    // point 1: 0.5, 0.9, 0.7 → mean 0.7, sd 0.2; x is the mean of 5, 7, 6 (a time axis)
    expect(band[1].x).toBe(6);
    expect(band[1].mean).toBeCloseTo(0.7, 12);
    expect(band[1].sd).toBeCloseTo(0.2, 12);
    expect([band[1].min, band[1].max]).toEqual([0.5, 0.9]);
  });

  it('stops where the shortest seed stops', () => {
    const band = bandOf([
      [
        [0, 1],
        [1, 2],
        [2, 3],
      ],
      [[0, 3]],
    ]);
    expect(band.map((p) => [p.x, p.mean, p.n])).toEqual([[0, 2, 2]]);
    expect(bandOf([])).toEqual([]);
  });
});

describe('gapOf', () => {
  it('the issue’s example: gaps +0.20, −0.06, +0.14 are within the seeds’ spread', () => {
    const g = gapOf([0.8, 0.5, 0.74], [0.6, 0.56, 0.6]);
    g.perSeed.forEach((d, k) => expect(d).toBeCloseTo([0.2, -0.06, 0.14][k], 12));
    expect(g.mean).toBeCloseTo(0.28 / 3, 12);
    // sd of the first run: √(((0.12)² + (0.18)² + (0.06)²)/2) ≈ 0.159 > 0.093
    expect(g.withinSpread).toBe(true);
  });

  it('a gap far beyond both runs’ spread is not within it', () => {
    const g = gapOf([0.9, 0.92, 0.94], [0.5, 0.52, 0.48]);
    expect(g.mean).toBeCloseTo(0.42, 12);
    expect(g.withinSpread).toBe(false);
  });
});
