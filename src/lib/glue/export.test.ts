import { describe, expect, it } from 'vitest';
import { curvesCsv, resultsJson } from './export';

const step = (t: number, loss: number, perStep: number) => ({
  step: t,
  lr: 0.001,
  loss,
  sNorm: 2,
  lossPerturbed: perStep === 2 ? loss + 0.5 : null,
  gradEvals: (t + 1) * perStep,
});

describe('GLUE exports', () => {
  it('CSV: one row per optimizer and x_t, the dev metrics where x_t was scored', () => {
    const csv = curvesCsv(
      ['AdaSAM', 'Adam, "torch"'],
      [[step(0, 0.7, 2), step(1, 0.6, 2)], [step(0, 0.9, 1)]],
      [
        [
          { step: 0, metrics: { f1: 50, accuracy: 60 } },
          { step: 2, metrics: { f1: 80, accuracy: 70 } },
        ],
        [],
      ],
      ['f1', 'accuracy'],
    );
    expect(csv).toBe(
      [
        'optimizer,t,gradEvals,lr,loss,sNorm,lossPerturbed,f1,accuracy',
        'AdaSAM,0,0,0.001,0.7,2,1.2,50,60',
        'AdaSAM,1,2,0.001,0.6,2,1.1,,',
        'AdaSAM,2,4,,,,,80,70',
        '"Adam, ""torch""",0,0,0.001,0.9,2,,,',
        '',
      ].join('\n'),
    );
  });

  it('JSON: settings, series and the results row of each run', () => {
    const j = resultsJson(
      'MRPC',
      { task: 'MRPC', batch: 4, runs: [{ label: 'AdaSAM', config: { lr: 1 } }] },
      [[step(0, 0.7, 2)]],
      [[{ step: 1, metrics: { f1: 70, accuracy: 60 } }]],
    );
    expect(j.settings).toEqual({ task: 'MRPC', batch: 4 });
    expect(j.runs[0].result).toEqual({ run: 0, final: 70, best: 70, bestStep: 1 });
    expect(j.runs[0].steps).toHaveLength(1);
  });
});
