/** The ρ grid race: its runs and their cost, counted by hand. */
import { describe, expect, it } from 'vitest';
import { recipe } from '../optim/config';
import { DEFAULT_LAB_V1 } from './defaults';
import { gradEvalsPerStep, rhoGridRace } from './rhoGrid';

describe('rhoGridRace', () => {
  it('AdaSAM at ρ 0.01, 0.05, 0.1 with the race’s γ, and AMSGrad at the same γ', () => {
    const grid = rhoGridRace(DEFAULT_LAB_V1.runs);
    expect(grid.map((r) => [r.family, r.preset, r.config.lr, r.config.rho])).toEqual([
      ['adasam', 'torch', 1e-3, 0.01],
      ['adasam', 'torch', 1e-3, 0.05],
      ['adasam', 'torch', 1e-3, 0.1],
      ['amsgrad', 'torch', 1e-3, 0],
    ]);
    expect(grid[3].config).toEqual(recipe('amsgrad', 'torch', { lr: 1e-3 }));
  });

  it('costs 2 + 2 + 2 + 1 = 7 gradient evaluations per step; the v1 race 2 + 1 + 2 + 1 = 6', () => {
    expect(gradEvalsPerStep(rhoGridRace([]))).toBe(7);
    expect(gradEvalsPerStep(DEFAULT_LAB_V1.runs)).toBe(6);
  });
});
