/**
 * The race's sentences follow its numbers: hand-made final evaluations where AdaSAM wins on test
 * accuracy only, where it loses, and a run stuck at the chance loss; the table's mean ± sd by hand.
 */
import { describe, expect, it } from 'vitest';
import { recipe } from '../optim/config';
import { meanSd, raceStory, summarize, type RaceInput } from './raceStory';
import type { EvalMetrics } from './types';

const ev = (run: number, testAcc: number, trainLoss: number, step = 100): EvalMetrics => ({
  run,
  step,
  gradEvals: run === 0 ? 2 * step : step,
  wallMs: 0,
  testLoss: 1,
  testAcc,
  trainLoss,
  trainAcc: 0,
});

/** AdaSAM (run 0), AMSGrad (run 1), SGD (run 2) over seeds given as [acc0, loss0, acc1, loss1, loss2]. */
function race(seeds: number[][], chance = Math.log(23)): RaceInput {
  return {
    labels: ['AdaSAM', 'AMSGrad', 'SGD'],
    configs: [recipe('adasam', 'torch'), recipe('amsgrad', 'torch'), recipe('sgd')],
    seedEvals: seeds.map(([a0, l0, a1, l1, l2]) => [
      [ev(0, 0.01, 3.1, 0), ev(0, a0, l0)],
      [ev(1, a1, l1)],
      [ev(2, 0.04, l2)],
    ]),
    steps: 100,
    chanceLoss: chance,
  };
}

describe('summarize', () => {
  it('the last evaluation of each seed, as mean ± sd', () => {
    const rows = summarize(
      race([
        [0.8, 1.0, 0.6, 0.9, 3.14],
        [0.5, 1.2, 0.56, 0.8, 3.13],
        [0.74, 1.1, 0.6, 0.7, 3.12],
      ]),
    );
    // AdaSAM's accuracies 0.8, 0.5, 0.74: mean 0.68, sd √((0.0144 + 0.0324 + 0.0036)/2) = 0.1587…
    expect(meanSd(rows[0].testAcc)).toBe('0.680 ± 0.159');
    expect(rows[0].gradEvals).toBe(200);
    expect(rows[1].gradEvals).toBe(100);
    expect(rows[0].stoppedSeeds).toEqual([]);
  });
});

describe('raceStory', () => {
  it('AdaSAM ahead in test accuracy, not in training loss, within the seeds’ spread; SGD at chance', () => {
    const lines = raceStory(
      race([
        [0.8, 1.0, 0.6, 0.9, 3.14],
        [0.5, 1.2, 0.56, 0.8, 3.13],
        [0.74, 1.1, 0.6, 0.7, 3.12],
      ]),
    );
    expect(lines[0]).toMatch(/AdaSAM’s advantage shows in test accuracy, not in training loss/);
    expect(lines[0]).toMatch(/Watch the test-accuracy curves/);
    expect(lines[1]).toMatch(/\+0\.09 \(per seed \+0\.20, −0\.06, \+0\.14\), is within the spread/);
    expect(lines[2]).toMatch(/^SGD is still at the chance loss ln 23 ≈ 3\.14/);
    expect(lines).toHaveLength(3);
  });

  it('says so when AMSGrad ends ahead, and when the gap is beyond the spread', () => {
    const lines = raceStory(
      race([
        [0.5, 1.0, 0.9, 0.9, 1],
        [0.52, 1.2, 0.92, 0.8, 1],
        [0.48, 1.1, 0.94, 0.7, 1],
      ]),
    );
    expect(lines[0]).toMatch(/^On these seeds AMSGrad ends with the higher test accuracy/);
    expect(lines[1]).toMatch(/−0\.42 .* is larger than the spread between seeds/);
    expect(lines).toHaveLength(2);
  });

  it('a ρ grid: names the ρ with the best mean test accuracy and says it was picked on the test set', () => {
    const at = (rho: number) => recipe('adasam', 'torch', { rho });
    const evals = (accs: number[]) => [accs.map((a, run) => [ev(run, a, 1)])];
    const lines = raceStory({
      labels: ['AdaSAM #1', 'AdaSAM #2', 'AdaSAM #3'],
      configs: [at(0.01), at(0.05), at(0.1)],
      seedEvals: [...evals([0.3, 0.5, 0.4]), ...evals([0.32, 0.6, 0.38])],
      steps: 100,
      chanceLoss: null,
    });
    expect(lines).toHaveLength(1);
    // ρ 0.05: mean 0.55, sd |0.5 − 0.6|/√2 ≈ 0.071; its lead over ρ 0.1 (0.39) is 0.16 > 0.071
    expect(lines[0]).toMatch(
      /^Of AdaSAM at ρ 0\.01, 0\.05, 0\.1, ρ = 0\.05 ends with the highest mean test accuracy \(0\.550 ± 0\.071\); its lead over ρ = 0\.1 is larger than the spread/,
    );
    expect(lines[0]).toMatch(/picks ρ on the test set/);
  });

  it('one seed: no claim about chance', () => {
    const lines = raceStory(race([[0.8, 0.5, 0.6, 0.9, 1]]));
    expect(lines[0]).toMatch(/ahead of AMSGrad in both training loss/);
    expect(lines[1]).toMatch(/One seed cannot say/);
  });
});
