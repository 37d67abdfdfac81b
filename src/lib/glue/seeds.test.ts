import { describe, expect, it } from 'vitest';
import { adasamGap, bySeed, seedRows } from './seeds';

const ev = (seed: number, step: number, f1: number) => ({ seed, step, metrics: { f1 } });

describe('GLUE results over seeds', () => {
  it('splits a run’s records by seed, a seed without records empty', () => {
    const r = [
      { seed: 1, v: 'b' },
      { seed: 0, v: 'a' },
      { seed: 1, v: 'c' },
    ];
    expect(bySeed(r, 3)).toEqual([[{ seed: 0, v: 'a' }], [r[0], r[2]], []]);
    expect(bySeed<{ seed?: number; v: number }>([{ v: 1 }])).toEqual([[{ v: 1 }]]);
  });

  it('final and best per seed as mean ± sample sd (hand-computed)', () => {
    // seed 0: 60 then 70 (final 70, best 70); seed 1: 90 then 80 (final 80, best 90)
    const [row] = seedRows('MRPC', [[ev(0, 0, 60), ev(1, 0, 90), ev(0, 5, 70), ev(1, 5, 80)]]);
    expect(row.perSeed.map((r) => [r.final, r.best, r.bestStep])).toEqual([
      [70, 70, 5],
      [80, 90, 0],
    ]);
    expect(row.final).toMatchObject({ mean: 75, n: 2, min: 70, max: 80 });
    expect(row.final.sd).toBeCloseTo(Math.sqrt(50), 12);
    expect(row.best).toMatchObject({ mean: 80, n: 2 });
    expect(row.best.sd).toBeCloseTo(Math.sqrt(200), 12);
  });

  it('AdaSAM − AMSGrad over paired seeds, and whether it is within the spread', () => {
    const rows = seedRows('MRPC', [
      [ev(0, 3, 80), ev(1, 3, 84)],
      [ev(0, 3, 70), ev(1, 3, 72)],
      [ev(0, 3, 10)],
    ]);
    const gap = adasamGap(['adasam', 'amsgrad', 'sgd'], rows)!;
    expect(gap.perSeed).toEqual([10, 12]);
    expect(gap.mean).toBe(11);
    // sds √8 and √2 are below the gap of 11
    expect(gap.withinSpread).toBe(false);
    expect(adasamGap(['adasam', 'sgd', 'sgd'], rows)).toBeNull();
    // only seeds both runs finished are paired
    const partial = seedRows('MRPC', [[ev(0, 3, 80), ev(1, 3, 84)], [ev(0, 3, 81)]]);
    expect(adasamGap(['adasam', 'amsgrad'], partial)).toMatchObject({ perSeed: [-1], mean: -1 });
  });
});
