import { describe, expect, it } from 'vitest';
import { getLandscape } from '../../lib/landscapes';
import { recipe } from '../../lib/optim/config';
import { deterministic, runVec } from '../../lib/optim/run';
import type { RaceResult } from '../../lib/pageState/ExplainerState.svelte';
import { basinTable, lossTable, trajectoryTable } from './raceData';

const quadratic = getLandscape('quadratic')!;

/** A race result made by hand: a run of the optimizer, its losses and gradient evaluations. */
function result(family: 'sgd' | 'adasam', steps: number): RaceResult {
  const run = runVec(
    recipe(family, 'paper', { lr: 0.1 }),
    [1, 1],
    steps,
    deterministic(quadratic.f, quadratic.grad),
  );
  const perStep = family === 'adasam' ? 2 : 1;
  return {
    run,
    loss: run.xs.map(quadratic.f),
    evals: run.xs.map((_, t) => perStep * t),
    endsIn: -1,
    error: null,
  };
}

describe('the 2-D page as tables', () => {
  it('loss: one row per step t = 0 … T, each run its loss and gradient evaluations', () => {
    const t = lossTable([result('sgd', 5), result('adasam', 3)], 'loss-quadratic');
    expect(t.columns).toEqual([
      'step',
      '1 SGD loss',
      '1 SGD gradient evaluations',
      '2 AdaSAM loss',
      '2 AdaSAM gradient evaluations',
    ]);
    expect(t.rows).toHaveLength(6);
    // x₀ = (1, 1) on the quadratic: f(x₀) by the landscape itself; AdaSAM costs two per step
    expect(t.rows[0]).toEqual([0, quadratic.f([1, 1]), 0, quadratic.f([1, 1]), 0]);
    expect(t.rows[3][4]).toBe(6);
    // the shorter run has no values past its end
    expect(t.rows[5].slice(3)).toEqual([null, null]);
  });

  it('trajectories: every point of every run, with its loss', () => {
    const r = result('sgd', 4);
    const t = trajectoryTable([r], 'trajectories');
    expect(t.rows).toHaveLength(5);
    expect(t.rows[4]).toEqual(['1 SGD', 4, r.run.xs[4][0], r.run.xs[4][1], r.loss[4]]);
  });

  it('basin maps: one row per start, at the cell centre, with the minimum it ends in', () => {
    const land = {
      ...quadratic,
      domain: [
        [0, 4],
        [0, 2],
      ] as [[number, number], [number, number]],
    };
    const classes = Int8Array.from([0, -1, -1, 0]);
    const t = basinTable(land, ['1 SGD'], [{ nx: 2, classes }], 'basins');
    const name = land.minima[0].label ?? land.minima[0].kind;
    expect(t.rows).toEqual([
      ['1 SGD', 1, 0.5, name],
      ['1 SGD', 3, 0.5, 'none'],
      ['1 SGD', 1, 1.5, 'none'],
      ['1 SGD', 3, 1.5, name],
    ]);
  });
});
