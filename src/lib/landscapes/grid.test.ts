import { describe, expect, it } from 'vitest';
import { cellCentre, evaluateGrid, heightScale } from './grid';
import { rosenbrock } from './rosenbrock';
import { wells } from './wells';

describe('evaluateGrid', () => {
  it('samples cell centres row-major from ymin', () => {
    // f = x + 10y on [0,4]×[0,2] with a 4×2 grid: centres x ∈ {0.5,1.5,2.5,3.5}, y ∈ {0.5,1.5}
    const grid = evaluateGrid(
      {
        f: (p) => p[0] + 10 * p[1],
        domain: [
          [0, 4],
          [0, 2],
        ],
      },
      4,
      2,
    );
    expect(Array.from(grid.values)).toEqual([5.5, 6.5, 7.5, 8.5, 15.5, 16.5, 17.5, 18.5]);
    expect(grid.min).toBe(5.5);
    expect(grid.max).toBe(18.5);
    expect(cellCentre(grid, 3, 1)).toEqual([3.5, 1.5]);
  });

  it('matches f on a real landscape', () => {
    const grid = evaluateGrid(wells, 40, 30);
    const [x, y] = cellCentre(grid, 7, 21);
    expect(grid.values[21 * 40 + 7]).toBeCloseTo(wells.f([x, y]), 6);
  });

  it('keeps min and max finite when f overflows', () => {
    const grid = evaluateGrid(
      {
        f: (p) => (p[0] > 0 ? Infinity : p[0]),
        domain: [
          [-1, 1],
          [0, 1],
        ],
      },
      4,
      1,
    );
    expect(grid.min).toBe(-0.75);
    expect(grid.max).toBe(-0.25);
  });
});

describe('heightScale', () => {
  it('is linear for wells and maps min→0, max→1', () => {
    const grid = evaluateGrid(wells, 60, 40);
    const h = heightScale(grid);
    expect(h.log).toBe(false);
    expect(h.toUnit(grid.min)).toBe(0);
    expect(h.toUnit(grid.max)).toBe(1);
    expect(h.fromUnit(h.toUnit(-0.3))).toBeCloseTo(-0.3, 12);
  });

  it('is logarithmic for rosenbrock, monotone and invertible', () => {
    const grid = evaluateGrid(rosenbrock, 80, 80);
    const h = heightScale(grid);
    expect(h.log).toBe(true);
    expect(h.toUnit(grid.min)).toBe(0);
    expect(h.toUnit(grid.max)).toBeCloseTo(1, 6);
    expect(h.toUnit(1)).toBeGreaterThan(h.toUnit(0.5));
    expect(h.fromUnit(h.toUnit(10))).toBeCloseTo(10, 8);
    // the valley floor gets a visible share of the colour range
    expect(h.toUnit(grid.min + 1)).toBeGreaterThan(0.1);
  });
});
