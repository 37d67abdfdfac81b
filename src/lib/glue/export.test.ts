import { describe, expect, it } from 'vitest';
import { curvesCsv, resultsJson } from './export';

const step = (t: number, loss: number, perStep: number, seed = 0) => ({
  step: t,
  lr: 0.001,
  loss,
  sNorm: 2,
  lossPerturbed: perStep === 2 ? loss + 0.5 : null,
  gradEvals: (t + 1) * perStep,
  seed,
  deltaNorm: perStep === 2 ? 0.05 : 0,
  cosSG: perStep === 2 ? 0.9 : 1,
  sharpness: perStep === 2 ? 0.5 : null,
});

describe('GLUE exports', () => {
  it('CSV: one row per optimizer and x_t with the step diagnostics, the dev metrics where x_t was scored', () => {
    const csv = curvesCsv(
      ['AdaSAM', 'Adam, "torch"'],
      [[step(0, 0.7, 2), step(1, 0.6, 2)], [step(0, 0.9, 1)]],
      [
        [
          { step: 0, seed: 0, metrics: { f1: 50, accuracy: 60 } },
          { step: 2, seed: 0, metrics: { f1: 80, accuracy: 70 } },
        ],
        [],
      ],
      ['f1', 'accuracy'],
    );
    expect(csv).toBe(
      [
        'optimizer,t,gradEvals,lr,loss,sNorm,lossPerturbed,deltaNorm,cosSG,sharpness,f1,accuracy',
        'AdaSAM,0,0,0.001,0.7,2,1.2,0.05,0.9,0.5,50,60',
        'AdaSAM,1,2,0.001,0.6,2,1.1,0.05,0.9,0.5,,',
        'AdaSAM,2,4,,,,,,,,80,70',
        '"Adam, ""torch""",0,0,0.001,0.9,2,,0,1,,,',
        '',
      ].join('\n'),
    );
  });

  it('CSV over several seeds: a seed column (seed + k), rows by optimizer, seed, t', () => {
    const csv = curvesCsv(
      ['AMSGrad'],
      [[step(0, 0.9, 1, 0), step(0, 0.8, 1, 1)]],
      [[{ step: 1, seed: 1, metrics: { f1: 40 } }]],
      ['f1'],
      { count: 2, seed: 7 },
    );
    expect(csv.trim().split('\n')).toEqual([
      'optimizer,seed,t,gradEvals,lr,loss,sNorm,lossPerturbed,deltaNorm,cosSG,sharpness,f1',
      'AMSGrad,7,0,0,0.001,0.9,2,,0,1,,',
      'AMSGrad,8,0,0,0.001,0.8,2,,0,1,,',
      'AMSGrad,8,1,1,,,,,,,,40',
    ]);
  });

  it('JSON: settings, series, results over seeds, η samples as plain arrays and the speed-up', () => {
    const j = resultsJson(
      'MRPC',
      { task: 'MRPC', batch: 4, runs: [{ label: 'AdaSAM', config: { lr: 1 } }] },
      [[step(0, 0.7, 2), step(0, 0.6, 2, 1)]],
      [
        [
          { step: 1, seed: 0, metrics: { f1: 70, accuracy: 60 } },
          { step: 1, seed: 1, metrics: { f1: 80, accuracy: 60 } },
        ],
      ],
      {
        eta: [
          [
            {
              step: 0,
              ceiling: 1e8,
              histograms: [
                {
                  group: 'embed',
                  edges: new Float32Array([0, 0.5, 1]),
                  counts: new Uint32Array([3, 4]),
                  min: 0,
                  max: 1,
                  median: 0.5,
                  atCeiling: 0,
                },
              ],
            },
          ],
        ],
        speedup: {
          label: 'AdaSAM',
          baseBatch: 16,
          target: 0.3,
          cap: 100,
          results: [
            { batch: 4, lr: 0.5, losses: [1], checks: [], T: 40, status: 'reached' },
            { batch: 8, lr: 0.7, losses: [1], checks: [], T: 20, status: 'reached' },
          ],
        },
      },
    );
    expect(j.settings).toEqual({ task: 'MRPC', batch: 4 });
    expect(j.runs[0].result).toEqual({ run: 0, final: 70, best: 70, bestStep: 1 });
    expect(j.runs[0].steps).toHaveLength(2);
    // mean and sample sd of 70 and 80: 75 and √50
    expect(j.runs[0].seeds.final.mean).toBe(75);
    expect(j.runs[0].seeds.final.sd).toBeCloseTo(Math.sqrt(50), 12);
    const text = JSON.parse(JSON.stringify(j));
    expect(text.runs[0].eta[0].histograms[0].counts).toEqual([3, 4]);
    expect(text.runs[0].eta[0].histograms[0].edges).toEqual([0, 0.5, 1]);
    // T·b 160 and 160: the ratio T_8 / T_4 is 1/2 (a linear speed-up)
    expect(text.speedup.rows.map((r: { Tb: number }) => r.Tb)).toEqual([160, 160]);
    expect(text.speedup.rows[1].ratio).toBe(0.5);
  });
});
