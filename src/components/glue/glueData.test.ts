import { describe, expect, it } from 'vitest';
import type { GlueStep } from '../../lib/worker/glueProtocol';
import { evalX, speedupTable, stepMetricsOf, stepXs } from './glueData';

/** A SAM-type run (2 gradient evaluations per step) whose steps took 100, 150 and 50 ms. */
const rec = (step: number, wallMs: number): GlueStep => ({
  step,
  lr: 1e-3,
  loss: 1 - step / 10,
  sNorm: 2,
  lossPerturbed: 1.5,
  gradEvals: 2 * (step + 1),
  wallMs,
  seed: 0,
  deltaNorm: 0.05,
  cosSG: 0.9,
  sharpness: 0.5 + step / 10,
});
const run = [rec(0, 100), rec(1, 250), rec(2, 300)];

describe('GLUE chart data', () => {
  it('puts f(x_t) at t, at the gradient evaluations or the training time spent before x_t', () => {
    expect(stepXs(run, 'steps')).toEqual([0, 1, 2]);
    expect(stepXs(run, 'gradEvals')).toEqual([0, 2, 4]);
    expect(stepXs(run, 'wallMs')).toEqual([0, 0.1, 0.25]);
    const e = { step: 3, gradEvals: 6, seed: 0, wallMs: 300, metrics: { f1: 1 } };
    expect([evalX(e, 'steps'), evalX(e, 'gradEvals'), evalX(e, 'wallMs')]).toEqual([3, 6, 0.3]);
    expect(evalX({ ...e, wallMs: undefined }, 'wallMs')).toBeNaN();
  });

  it('a step as the lab’s StepMetrics, at the same x as its f(x_t)', () => {
    expect(stepMetricsOf(1, run[1], run[0].wallMs)).toEqual({
      run: 1,
      seed: 0,
      step: 1,
      gradEvals: 2,
      wallMs: 100,
      loss: 0.9,
      sharpness: 0.6,
      sNorm: 2,
      deltaNorm: 0.05,
      cosSG: 0.9,
    });
    const off = stepMetricsOf(0, { ...run[0], deltaNorm: null, cosSG: null });
    expect([off.deltaNorm, off.cosSG]).toEqual([NaN, NaN]);
  });

  it('the speed-up table: T·b and the ratio to the batch before', () => {
    const t = speedupTable([
      { batch: 4, lr: 1, losses: [], checks: [], T: 40, status: 'reached' },
      { batch: 8, lr: 1.5, losses: [], checks: [], T: 24, status: 'reached' },
      { batch: 16, lr: 2, losses: [], checks: [], T: null, status: 'capped' },
    ]);
    expect(t.rows).toEqual([
      [4, 1, 40, 160, null, 'reached'],
      [8, 1.5, 24, 192, 0.6, 'reached'],
      [16, 2, null, null, null, 'capped'],
    ]);
  });
});
