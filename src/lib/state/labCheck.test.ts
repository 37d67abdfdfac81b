/**
 * The lab's one validation: the page, the link codec and the worker agree on every limit because
 * all read it from the rows. Cases are hand-written from the rows and spec §7, not from the code.
 */
import { describe, expect, it } from 'vitest';
import { recipe } from '../optim/config';
import type { LabSettings } from '../lab/types';
import { DEFAULT_LAB } from './defaults';
import { checkBatches, checkLabSettings, labProblems, nearestLength } from './labCheck';
import { LAB_SETTINGS } from './schema';
import { parseSetting } from './settings';
import { decodeLink, toLabSettings } from './url';

const base = (over: Partial<LabSettings> = {}): LabSettings => ({
  ...toLabSettings(DEFAULT_LAB),
  ...over,
});

describe('lab defaults', () => {
  it('are what a v1 link without lab keys has always meant', () => {
    // The literal defaults of the first lab links (defaults.ts before the rows became the source).
    const { runs, ...rest } = decodeLink('#v=1&page=lab').link.lab!;
    expect(rest).toEqual({
      task: 'modadd',
      p: 23,
      trainFraction: 0.5,
      length: 8,
      alphabet: 10,
      trainSize: 2000,
      testSize: 500,
      seqLen: 32,
      layers: 2,
      dModel: 64,
      heads: 4,
      mlp: 128,
      dropout: 0,
      batch: 64,
      steps: 300,
      evalEvery: 25,
      seed: 1,
      seeds: 1,
      backend: 'auto',
      xAxis: 'steps',
      curve: 'train',
      everySeed: false,
    });
    expect(runs.map((r) => [r.family, r.preset, r.config.lr, r.config.rho])).toEqual([
      ['adasam', 'torch', 1e-3, 0.05],
      ['amsgrad', 'torch', 1e-3, 0],
      ['sam', 'paper', 0.1, 0.05],
      ['sgd', 'paper', 0.1, 0],
    ]);
  });
});

describe('one limit per setting', () => {
  // Each limit as the rows state it; the link, the page and the worker must all enforce it.
  const limits: [name: string, lo: number, hi: number][] = [
    ['mlp', 8, 512],
    ['batch', 1, 512],
    ['dModel', 32, 128],
    ['layers', 1, 4],
    ['steps', 1, 20000],
  ];

  const MODEL_FIELDS = ['layers', 'dModel', 'heads', 'mlp', 'dropout'];

  it.each(limits)(
    '%s: the link and the worker accept [%d, %d] and nothing outside',
    (name, lo, hi) => {
      const row = LAB_SETTINGS.find((r) => r.name === name)!;
      const withValue = (v: number) =>
        MODEL_FIELDS.includes(name)
          ? base({ model: { ...base().model, [name]: v } })
          : base({ [name]: v });
      // dModel must stay a multiple of the 4 heads for the cross-row rule: 32 and 128 are.
      for (const v of [lo, hi]) {
        expect(parseSetting(row, String(v)).ok).toBe(true);
        expect(checkLabSettings(withValue(v))).toEqual([]);
      }
      for (const v of [lo - 1, hi + 1]) {
        expect(parseSetting(row, String(v)).ok).toBe(false);
        const problems = checkLabSettings(withValue(v));
        expect(problems).toHaveLength(1);
        expect(problems[0]).toContain(`${name} must be an integer in [${lo}, ${hi}]`);
        const { link, ignored } = decodeLink(`#page=lab&${row.url}=${v}`);
        expect(ignored.map((i) => i.key)).toEqual([row.url]);
        expect(link.lab![name as keyof typeof DEFAULT_LAB]).toBe(
          DEFAULT_LAB[name as keyof typeof DEFAULT_LAB],
        );
      }
    },
  );

  it('names the setting for a value of the wrong kind', () => {
    expect(checkLabSettings(base({ batch: '64' as unknown as number }))).toEqual([
      'batch must be an integer in [1, 512]; got "64"',
    ]);
    expect(checkLabSettings(base({ backend: 'tpu' as LabSettings['backend'] }))).toEqual([
      'backend must be one of auto, webgpu, webgl, wasm, cpu; got "tpu"',
    ]);
    expect(
      checkLabSettings(base({ task: { kind: 'chess' } as unknown as LabSettings['task'] })),
    ).toEqual([
      'task must be one of modadd, reverse, sort, brackets, majority, charlm; got "chess"',
    ]);
  });

  it("checks only the fields the message's task uses", () => {
    // modadd carries no length; reverse carries no p
    expect(
      checkLabSettings(base({ task: { kind: 'modadd', p: 113, trainFraction: 0.3 } })),
    ).toEqual([]);
    const reverse = { kind: 'reverse', length: 33, alphabet: 4, trainSize: 100, testSize: 20 };
    expect(checkLabSettings(base({ task: reverse as LabSettings['task'] }))).toEqual([
      'reverse needs a length of at most 32 (the model sees 2·length ≤ 64 tokens); got 33.',
    ]);
    expect(
      checkLabSettings(base({ task: { kind: 'modadd', p: 114, trainFraction: 0.5 } })),
    ).toEqual(['p must be an integer in [2, 113]; got 114']);
  });

  it('counts runs, checks each config (spec §7) and the rules across rows', () => {
    expect(checkLabSettings(base({ runs: [] }))).toEqual(['add at least one optimizer.']);
    const nine = Array.from({ length: 9 }, () => base().runs[0]);
    expect(checkLabSettings(base({ runs: nine }))).toEqual([
      'a race has at most 8 optimizers; got 9.',
    ]);
    const bad = { label: 'mine', config: { ...recipe('adam', 'torch'), beta1: 1 } };
    expect(checkLabSettings(base({ runs: [bad] }))[0]).toMatch(/^mine: .*beta1/);
    expect(checkLabSettings(base({ model: { ...base().model, dModel: 50, heads: 4 } }))).toEqual([
      'd_model (50) must be a multiple of the number of heads (4).',
    ]);
  });

  it('the page and the worker give the same words for the same problem', () => {
    const lab = { ...DEFAULT_LAB, task: 'majority' as const, length: 8 };
    expect(checkLabSettings(toLabSettings(lab))).toEqual(labProblems(lab));
    expect(labProblems(lab)).toEqual(['majority needs an odd length in [3, 63]; got 8.']);
  });

  it('speed-up batch sizes follow the batch row', () => {
    expect(checkBatches([4, 8, 16, 32])).toBeNull();
    expect(checkBatches([])).toBe('give at least one batch size');
    expect(checkBatches([4, 1024])).toBe('batch must be an integer in [1, 512]; got 1024');
  });
});

describe('nearestLength', () => {
  it('moves a length to the nearest one the task accepts', () => {
    expect(nearestLength('majority', 8)).toBe(9);
    expect(nearestLength('majority', 64)).toBe(63);
    expect(nearestLength('brackets', 7)).toBe(8);
    expect(nearestLength('brackets', 2)).toBe(4);
    expect(nearestLength('reverse', 40)).toBe(32);
    expect(nearestLength('modadd', 40)).toBe(40);
  });
});
