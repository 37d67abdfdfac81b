/**
 * etaCeiling (the right end of the lab's η histograms) against the optimizer itself: a
 * coordinate with a zero gradient keeps v̂ at its floor, so its η is the largest any coordinate
 * can have, in every placement of ε and with or without bias correction.
 */
import { describe, expect, it } from 'vitest';
import { getLandscape } from '../landscapes';
import { recipe, type OptimizerConfig } from './config';
import { etaCeiling } from './precondition';
import { deterministic, runVec } from './run';

const quadratic = getLandscape('quadratic')!;
// the quadratic's minimum is at the origin: the gradient there is exactly zero at every step
const objective = deterministic(quadratic.f, quadratic.grad);

describe('etaCeiling', () => {
  const configs: [string, OptimizerConfig][] = [
    ['paper (floor, no bias correction)', recipe('adasam', 'paper', { lr: 0.1 })],
    ['torch (add, bias correction)', recipe('adasam', 'torch', { lr: 0.1 })],
    [
      'floor with bias correction',
      { ...recipe('adasam', 'paper', { lr: 0.1 }), biasCorrection: true },
    ],
    [
      'add without bias correction, ε = 1e-3',
      { ...recipe('adasam', 'torch', { lr: 0.1, eps: 1e-3 }), biasCorrection: false },
    ],
  ];
  it.each(configs)('%s: η of a zero-gradient coordinate at step k', (_, c) => {
    const run = runVec(c, [0, 0], 6, objective);
    run.steps.forEach((r, i) => {
      const k = i + 1;
      for (const eta of r.eta!) expect(eta).toBeCloseTo(etaCeiling(c, k), 6);
    });
  });

  it('is 1/ε without bias correction, and √(1 − β2^k)/ε in floor mode with it', () => {
    expect(
      etaCeiling({ eps: 1e-8, epsMode: 'floor', biasCorrection: false, beta2: 0.999 }, 3),
    ).toBe(1e8);
    // 1 − 0.999² = 0.001999; √ = 0.04471…
    expect(
      etaCeiling({ eps: 1e-8, epsMode: 'floor', biasCorrection: true, beta2: 0.999 }, 2),
    ).toBeCloseTo(0.0447101778 * 1e8, 0);
    expect(etaCeiling({ eps: 1e-8, epsMode: 'add', biasCorrection: true, beta2: 0.999 }, 2)).toBe(
      1e8,
    );
  });
});
