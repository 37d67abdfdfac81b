import { describe, expect, it } from 'vitest';
import { fixtureJson } from '../testing/roberta';
import { accuracy, averageRanks, f1, matthews, metricsFor, pearson, spearman } from './metrics';
import { TASKS } from './tasks';

describe('metrics by hand (spec §3)', () => {
  // tp 2, fn 1, fp 1, tn 2.
  const p = [1, 1, 0, 1, 0, 0];
  const y = [1, 1, 1, 0, 0, 0];
  it('accuracy, F1 of class 1, Matthews', () => {
    expect(accuracy(p, y)).toBe(4 / 6);
    expect(f1(p, y)).toBe(4 / 6); // 2·2 / (2·2 + 1 + 1)
    expect(matthews(p, y)).toBeCloseTo((2 * 2 - 1 * 1) / Math.sqrt(3 * 3 * 3 * 3), 15);
  });
  it('Matthews is 0 when a factor is 0, F1 is 0 without positives', () => {
    expect(matthews([1, 1, 1], [1, 0, 1])).toBe(0); // no predicted negatives
    expect(matthews([0, 1], [0, 0])).toBe(0); // no true positives in the labels
    expect(f1([0, 0], [0, 0])).toBe(0);
  });
  it('average ranks share the mean rank among ties', () => {
    expect(averageRanks([10, 20, 20, 5, 20])).toEqual([2, 4, 4, 1, 4]);
  });
  it('Pearson and Spearman', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 15);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 15);
    // x = [1,2,3,4], y = [1,3,2,4]: cov 1·… → r = 0.8 (Σ dx·dy = 4, Σ dx² = Σ dy² = 5).
    expect(pearson([1, 2, 3, 4], [1, 3, 2, 4])).toBeCloseTo(0.8, 15);
    // Monotone but not linear: Spearman 1.
    expect(spearman([1, 2, 3, 4], [1, 8, 27, 1000])).toBeCloseTo(1, 15);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN();
  });
  it('metricsFor reports ×100 in the order of §3 and leaves out −1 labels', () => {
    const mrpc = metricsFor(TASKS.MRPC, [...p, 1, 0], [...y, -1, -1]);
    expect(Object.keys(mrpc)).toEqual(['f1', 'accuracy']);
    expect(mrpc.f1).toBeCloseTo((100 * 4) / 6, 12);
    expect(mrpc.accuracy).toBeCloseTo((100 * 4) / 6, 12);
    expect(Object.keys(metricsFor(TASKS.QQP, p, y))).toEqual(['accuracy', 'f1']);
    expect(Object.keys(metricsFor(TASKS['STS-B'], [1, 2, 3], [1, 2, 4]))).toEqual([
      'pearson',
      'spearman',
    ]);
    expect(metricsFor(TASKS.CoLA, p, y).mcc).toBeCloseTo((100 * 3) / 9, 12);
    expect(metricsFor(TASKS.MNLI, [0, 1, 2], [0, 1, 1], 'matched').accuracy_m).toBeCloseTo(
      (100 * 2) / 3,
      12,
    );
    expect(Object.keys(metricsFor(TASKS.MNLI, [0, 1, 2], [0, 2, 2], 'mismatched'))).toEqual([
      'accuracy_mm',
    ]);
    expect(() => metricsFor(TASKS.RTE, [0, 1], [-1, -1])).toThrow(/RTE: no labelled rows to score/);
    expect(() => metricsFor(TASKS.RTE, [0], [0, 1])).toThrow(/1 predictions for 2 labels/);
  });
});

interface OracleCase {
  kind: string;
  predictions: number[];
  labels: number[];
  [metric: string]: number | number[] | string;
}

describe('metrics against sklearn 1.2.1 / scipy 1.10.1 on the same predictions', () => {
  const { cases } = fixtureJson<{ cases: OracleCase[] }>('metrics/sklearn_scipy.json');
  const ours = { accuracy, f1, mcc: matthews, pearson, spearman } as const;
  for (const c of cases) {
    it(`${c.kind}, n = ${c.labels.length}`, () => {
      const names = Object.keys(ours).filter((k) => k in c) as (keyof typeof ours)[];
      expect(names.length).toBeGreaterThan(0);
      for (const name of names)
        expect(ours[name](c.predictions, c.labels), name).toBeCloseTo(c[name] as number, 12);
    });
  }
});
