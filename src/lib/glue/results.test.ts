import { describe, expect, it } from 'vitest';
import { headline, resultRows } from './results';
import { adasamGap, seedRows } from './seeds';

describe('GLUE results table', () => {
  it('compares on the first metric of glue.md §3 for each task', () => {
    expect(headline('MRPC')).toBe('f1');
    expect(headline('STS-B')).toBe('pearson');
    expect(headline('CoLA')).toBe('mcc');
    expect(headline('MNLI')).toBe('accuracy');
  });

  it('final and best (earliest step of equal bests) per run, and AdaSAM − AMSGrad', () => {
    const evals = [
      [
        { step: 0, metrics: { f1: 50, accuracy: 60 } },
        { step: 10, metrics: { f1: 80, accuracy: 70 } },
        { step: 20, metrics: { f1: 80, accuracy: 75 } },
        { step: 30, metrics: { f1: 78, accuracy: 77 } },
      ],
      [{ step: 30, metrics: { f1: 81.5, accuracy: 79 } }],
      [],
    ];
    const rows = resultRows('MRPC', evals);
    expect(rows).toEqual([
      { run: 0, final: 78, best: 80, bestStep: 10 },
      { run: 1, final: 81.5, best: 81.5, bestStep: 30 },
      { run: 2, final: null, best: null, bestStep: null },
    ]);
    // one seed: AdaSAM − AMSGrad is the difference of the final values, null without both
    const one = seedRows('MRPC', evals);
    expect(adasamGap(['adasam', 'amsgrad', 'sgd'], one)?.mean).toBe(78 - 81.5);
    expect(adasamGap(['sam', 'amsgrad'], one)).toBeNull();
    expect(adasamGap(['sgd', 'amsgrad', 'adasam'], one)).toBeNull();
  });
});
