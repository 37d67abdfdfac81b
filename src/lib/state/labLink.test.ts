/**
 * The transformer lab's part of the share link: its rows round-trip, junk falls back to the
 * defaults and is listed, defaults are omitted, the 2-D page's keys are unaffected, and the one
 * mapping to the worker's LabSettings says what the link says.
 */
import { describe, expect, it } from 'vitest';
import { recipe } from '../optim/config';
import { DEFAULT_LAB, DEFAULT_LAB_V1, DEFAULT_LINK } from './defaults';
import { labProblems } from './labCheck';
import { LAB_SETTINGS, LAB_VIEW_SETTINGS } from './schema';
import {
  decodeLink,
  encodeLink,
  labRunLabels,
  runSpec,
  toLabSettings,
  type LabLinkSettings,
  type PlaygroundLink,
} from './url';

const withLab = (lab: Partial<LabLinkSettings>): PlaygroundLink => ({
  ...DEFAULT_LINK,
  page: 'lab',
  lab: { ...DEFAULT_LAB, ...lab },
});

describe('lab link codec', () => {
  it('fills in the lab defaults when the link says nothing, and writes nothing for them', () => {
    const { link, ignored } = decodeLink('#v=3&page=lab');
    expect(ignored).toEqual([]);
    expect(link.lab).toEqual(DEFAULT_LAB);
    expect(encodeLink(link)).toBe('v=3&page=lab');
    // the lab's defaults changed in version 3: versions 1 and 2 mean version 1's race
    expect(decodeLink('#v=1&page=lab').link.lab).toEqual(DEFAULT_LAB_V1);
    expect(decodeLink('#v=2&page=lab').link.lab).toEqual(DEFAULT_LAB_V1);
  });

  it('reads a version-1 lab link with version 1’s defaults, and writes what it meant', () => {
    // Version 1's lab, as it was before version 2 (commit e6550d6): curves against steps, one
    // seed, adaptive runs at γ 1e-3 (torch preset), SAM and SGD at γ 0.1, ρ 0.05.
    const v1 = decodeLink('#v=1&page=lab&lab.steps=40').link.lab!;
    expect(v1.xAxis).toBe('steps');
    expect(v1.steps).toBe(40);
    expect(v1.runs.map((r) => [r.family, r.preset, r.config.lr, r.config.rho])).toEqual([
      ['adasam', 'torch', 1e-3, 0.05],
      ['amsgrad', 'torch', 1e-3, 0],
      ['sam', 'paper', 0.1, 0.05],
      ['sgd', 'paper', 0.1, 0],
    ]);
    // re-written as version 3, it names what differs from version 3's defaults
    const text = encodeLink({ ...DEFAULT_LINK, page: 'lab', lab: v1 });
    expect(text).toMatch(/^v=3&/);
    expect(text).toContain('lab.x=steps');
    expect(decodeLink('#' + text).link.lab).toEqual(v1);
  });

  it('reads a version-2 lab link with version 1’s lab defaults, as it was written', () => {
    // Version 2 changed the 2-D page's defaults only; while it was written the lab still opened
    // version 1's race: mod 23 on 2 blocks of d_model 64, one seed, SAM and SGD at γ 0.1.
    const v2 = decodeLink('#v=2&page=lab&lab.steps=40').link.lab!;
    expect(v2.xAxis).toBe('steps');
    expect([v2.task, v2.p, v2.layers, v2.dModel, v2.heads, v2.mlp]).toEqual([
      'modadd',
      23,
      2,
      64,
      4,
      128,
    ]);
    expect([v2.steps, v2.batch, v2.evalEvery, v2.seeds]).toEqual([40, 64, 25, 1]);
    expect(v2.runs.map((r) => [r.family, r.preset, r.config.lr, r.config.rho])).toEqual([
      ['adasam', 'torch', 1e-3, 0.05],
      ['amsgrad', 'torch', 1e-3, 0],
      ['sam', 'paper', 0.1, 0.05],
      ['sgd', 'paper', 0.1, 0],
    ]);
    // written again as version 3 it spells that race out, and reads back the same
    const text = encodeLink({ ...DEFAULT_LINK, page: 'lab', lab: v2 });
    expect(text).toMatch(/^v=3&page=lab&.*lab\.p=23/);
    expect(decodeLink('#' + text).link.lab).toEqual(v2);
  });

  it('reads a version-3 lab link with version 3’s defaults: curves against gradient evaluations', () => {
    const v3 = decodeLink('#v=3&page=lab&lab.steps=40').link.lab!;
    expect(v3.xAxis).toBe('gradEvals');
    // the recommended race of lab/recommended.ts, written out
    expect(v3.steps).toBe(40);
    expect([v3.task, v3.p, v3.trainFraction, v3.layers, v3.dModel, v3.heads, v3.mlp]).toEqual([
      'modadd',
      13,
      0.5,
      1,
      32,
      2,
      64,
    ]);
    expect([v3.batch, v3.evalEvery, v3.seed, v3.seeds, v3.dropout]).toEqual([32, 20, 1, 3, 0]);
    expect(v3.runs.map((r) => [r.family, r.preset, r.config.lr, r.config.rho])).toEqual([
      ['adasam', 'torch', 3e-3, 0.05],
      ['amsgrad', 'torch', 3e-3, 0],
      ['sam', 'paper', 0.3, 0.05],
      ['sgd', 'paper', 0.3, 0],
    ]);
    // 140 steps: three seeds in about a minute on a CPU (recommended.ts)
    expect(decodeLink('#v=3&page=lab').link.lab!.steps).toBe(140);
    expect(decodeLink('#page=lab').link.lab!.xAxis).toBe('gradEvals');
    expect(decodeLink('#v=3&page=lab&lab.x=steps').link.lab!.xAxis).toBe('steps');
  });

  it('a link without a lab field encodes like one with the defaults', () => {
    const { lab: _, ...noLab } = DEFAULT_LINK;
    expect(encodeLink(noLab)).toBe(encodeLink(DEFAULT_LINK));
  });

  it('round-trips every lab setting, the view and a custom race', () => {
    const link = withLab({
      task: 'majority',
      p: 31,
      trainFraction: 0.3,
      length: 11,
      alphabet: 5,
      trainSize: 300,
      testSize: 100,
      seqLen: 16,
      layers: 3,
      dModel: 96,
      heads: 6,
      mlp: 200,
      dropout: 0.1,
      batch: 16,
      steps: 1234,
      evalEvery: 7,
      seed: 42,
      seeds: 4,
      backend: 'wasm',
      xAxis: 'wallMs',
      curve: 'testAcc',
      everySeed: true,
      runs: [
        runSpec('adasam', 'torch', { lr: 3e-4, rho: 0.1 }),
        runSpec('sgd', 'paper', { lr: 0.2 }),
      ],
    });
    const text = encodeLink(link);
    for (const row of [...LAB_SETTINGS, ...LAB_VIEW_SETTINGS])
      expect(text).toContain(encodeURIComponent(row.url) + '=');
    expect(text).toContain('lab.r0=adasam');
    expect(text).toContain('lab.r0.preset=torch');
    expect(text).toContain('lab.r1.lr=0.2');
    const back = decodeLink('#' + text);
    expect(back.ignored).toEqual([]);
    expect(back.link).toEqual(link);
  });

  it('keeps the lab race apart from the 2-D race', () => {
    const { link } = decodeLink('#v=1&r0=sgd&r0.lr=0.3&lab.r0=amsgrad&lab.r0.lr=0.002');
    expect(link.runs).toHaveLength(1);
    expect(link.runs[0].config.lr).toBe(0.3);
    expect(link.lab!.runs).toHaveLength(1);
    expect(link.lab!.runs[0].family).toBe('amsgrad');
    expect(link.lab!.runs[0].config).toEqual(recipe('amsgrad', 'paper', { lr: 0.002 }));
  });

  it('junk values fall back to the defaults and are each listed', () => {
    const { link, ignored } = decodeLink(
      '#v=1&page=lab&lab.task=%3Cscript%3E&lab.d=1e9&lab.be=cuda&lab.drop=-1&lab.r0=notAnOptimizer&lab.r0.lr=abc&lab.zz=1&lab.r1.lr=0.1',
    );
    expect(link.lab!.task).toBe(DEFAULT_LAB_V1.task);
    expect(link.lab!.dModel).toBe(DEFAULT_LAB_V1.dModel);
    expect(link.lab!.backend).toBe('auto');
    expect(link.lab!.dropout).toBe(0);
    expect(link.lab!.runs).toHaveLength(1);
    expect(link.lab!.runs[0].family).toBe('adasam');
    expect(link.lab!.runs[0].config.lr).toBe(recipe('adasam').lr);
    const keys = ignored.map((i) => i.key).sort();
    expect(keys).toEqual([
      'lab.be',
      'lab.d',
      'lab.drop',
      'lab.r0',
      'lab.r0.lr',
      'lab.r1.lr',
      'lab.task',
      'lab.zz',
    ]);
    expect(ignored.find((i) => i.key === 'lab.task')!.value).toBe('<script>');
    expect(ignored.find((i) => i.key === 'lab.r1.lr')!.reason).toContain('lab.r<i>=<optimizer>');
  });

  it('an invalid combination of knobs in a lab run reverts the key the optimizer names', () => {
    const { link, ignored } = decodeLink('#v=1&lab.r0=adasam&lab.r0.preset=torch&lab.r0.b2=1');
    expect(link.lab!.runs[0].config.beta2).toBe(recipe('adasam', 'torch').beta2);
    expect(ignored.map((i) => i.key)).toEqual(['lab.r0.b2']);
  });

  it('leaves the 2-D page decoding as it was', () => {
    const text = 'v=3&land=rosenbrock&T=50&r0=adasam&r0.lr=0.01';
    const { link, ignored } = decodeLink('#' + text);
    expect(ignored).toEqual([]);
    expect(link.scene.problem).toBe('rosenbrock');
    expect(encodeLink(link)).toBe(text);
  });
});

describe('toLabSettings', () => {
  it('maps the version-1 default lab to the worker settings', () => {
    const s = toLabSettings(DEFAULT_LAB_V1);
    expect(s.task).toEqual({ kind: 'modadd', p: 23, trainFraction: 0.5 });
    expect(s.model).toEqual({ layers: 2, dModel: 64, heads: 4, mlp: 128, dropout: 0 });
    expect(s.runs.map((r) => r.label)).toEqual(['AdaSAM', 'AMSGrad', 'SAM', 'SGD']);
    expect(s.runs[0].config).toEqual(DEFAULT_LAB_V1.runs[0].config);
    expect(s.runs[0].config).not.toBe(DEFAULT_LAB_V1.runs[0].config);
    expect({
      batch: s.batch,
      steps: s.steps,
      evalEvery: s.evalEvery,
      seed: s.seed,
      seeds: s.seeds,
      backend: s.backend,
    }).toEqual({ batch: 64, steps: 300, evalEvery: 25, seed: 1, seeds: 1, backend: 'auto' });
  });

  it('passes only the parameters of the chosen task', () => {
    expect(toLabSettings({ ...DEFAULT_LAB, task: 'sort', length: 6, alphabet: 4 }).task).toEqual({
      kind: 'sort',
      length: 6,
      alphabet: 4,
      trainSize: 2000,
      testSize: 500,
    });
    expect(toLabSettings({ ...DEFAULT_LAB, task: 'brackets', length: 12 }).task).toEqual({
      kind: 'brackets',
      length: 12,
      trainSize: 2000,
      testSize: 500,
    });
    expect(toLabSettings({ ...DEFAULT_LAB, task: 'charlm', seqLen: 20 }).task).toEqual({
      kind: 'charlm',
      text: 'alice',
      seqLen: 20,
      testFraction: 0.1,
    });
  });

  it('numbers runs of the same family', () => {
    expect(
      labRunLabels([runSpec('sgd', 'paper'), runSpec('adasam', 'paper'), runSpec('sgd', 'paper')]),
    ).toEqual(['SGD #1', 'AdaSAM', 'SGD #3']);
  });
});

describe('labProblems', () => {
  it('accepts the defaults', () => {
    expect(labProblems(DEFAULT_LAB)).toEqual([]);
  });

  it('names settings that parse but do not fit together', () => {
    expect(labProblems({ ...DEFAULT_LAB, dModel: 50, heads: 4 })[0]).toMatch(
      /multiple of the number of heads/,
    );
    expect(labProblems({ ...DEFAULT_LAB, task: 'majority', length: 8 })[0]).toMatch(/odd length/);
    expect(labProblems({ ...DEFAULT_LAB, task: 'brackets', length: 7 })[0]).toMatch(/even length/);
    expect(labProblems({ ...DEFAULT_LAB, task: 'reverse', length: 40 })[0]).toMatch(/at most 32/);
    expect(labProblems({ ...DEFAULT_LAB, runs: [] })).toEqual(['add at least one optimizer.']);
  });
});
