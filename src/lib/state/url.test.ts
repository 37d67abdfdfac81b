/**
 * The share-link codec: round trips, short links, and hostile input that must never throw and
 * must say what it ignored.
 */
import { describe, expect, it } from 'vitest';
import { recipe } from '../optim/config';
import { DEFAULT_LINK, DEFAULT_LINK_V1, linkDefaults } from './defaults';
import { MAX_RUNS, OPTIMIZER_SETTINGS, SCHEMA_VERSION } from './schema';
import {
  decodeLink,
  defaultAnatomyRun,
  encodeLink,
  MAX_LINK_LENGTH,
  paramsOf,
  runSpec,
  type PlaygroundLink,
} from './url';

const withRuns = (
  runs: PlaygroundLink['runs'],
  scene: Partial<PlaygroundLink['scene']> = {},
): PlaygroundLink => ({
  ...DEFAULT_LINK,
  scene: { ...DEFAULT_LINK.scene, ...scene },
  view: { ...DEFAULT_LINK.view, anatomyRun: defaultAnatomyRun(runs) },
  runs,
});

describe('encodeLink / decodeLink', () => {
  it('the default state encodes to just the version, and decodes back to the defaults', () => {
    expect(encodeLink(DEFAULT_LINK)).toBe(`v=${SCHEMA_VERSION}`);
    const { link, ignored } = decodeLink('');
    expect(ignored).toEqual([]);
    expect(link).toEqual(DEFAULT_LINK);
  });

  it('round-trips a race with every knob changed, exactly', () => {
    const runs = [
      runSpec('adasam', 'torch', {
        lr: 0.0123456789,
        rho: 0.3,
        beta1: 0.5,
        beta2: 0.99,
        eps: 1e-6,
        epsMode: 'floor',
        weightDecay: 1e-4,
        perturbEps: 0,
        asamEta: 0.2,
      }),
      runSpec('asam', 'paper', { rho: 0.7, perturbation: 'asam' }),
      runSpec('sgd', 'paper', { lr: 1 / 3 }),
      runSpec('samAdam', 'paper', {
        adaptive: true,
        amsgrad: false,
        biasCorrection: true,
        beta2: 0.9,
      }),
    ];
    const link = withRuns(runs, {
      problem: 'rosenbrock',
      x0: [-1.5, 2.25],
      steps: 321,
      sigma: 0.5,
      batch: 8,
      seed: 42,
    });
    link.view = { ...link.view, view: '3d', anatomyRun: 2, anatomyStep: 17, anatomyPhase: 3 };
    const text = encodeLink(link);
    const decoded = decodeLink('#' + text);
    expect(decoded.ignored).toEqual([]);
    expect(decoded.link).toEqual(link);
  });

  it('a landscape’s recommended settings encode to just its name; without x0 a link starts at the recommended start', () => {
    const d = linkDefaults(SCHEMA_VERSION, 'rosenbrock');
    const rosenbrock: PlaygroundLink = {
      ...DEFAULT_LINK,
      scene: d.scene,
      view: d.view,
      runs: d.runs,
    };
    expect(encodeLink(rosenbrock)).toBe(`v=${SCHEMA_VERSION}&land=rosenbrock`);
    expect(decodeLink(encodeLink(rosenbrock))).toEqual({ link: rosenbrock, ignored: [] });
    expect(decodeLink('land=wells').link.scene.x0).toEqual([-0.5, 0.3]);
    // wells from its own (spec) start: an explicit empty x0
    const wellsOwn = withRuns(DEFAULT_LINK.runs, { problem: 'wells', x0: null });
    expect(encodeLink(wellsOwn)).toBe(`v=${SCHEMA_VERSION}&x0=`);
    expect(decodeLink(encodeLink(wellsOwn))).toEqual({ link: wellsOwn, ignored: [] });
    // a malformed x0 falls back to the same default
    expect(decodeLink('land=quadratic&x0=1,2,3').link.scene.x0).toEqual([-2, 1]);
  });

  it('the step anatomy shows the race’s AdaSAM run unless the link names another', () => {
    expect(decodeLink('').link.view.anatomyRun).toBe(
      DEFAULT_LINK.runs.findIndex((r) => r.family === 'adasam'),
    );
    expect(decodeLink('r0=sgd&r1=adasam').link.view.anatomyRun).toBe(1);
    expect(decodeLink('r0=sgd&r1=sam').link.view.anatomyRun).toBe(0);
    expect(decodeLink('r0=sgd&r1=adasam&ar=0').link.view.anatomyRun).toBe(0);
    const tooFar = decodeLink('r0=sgd&r1=adasam&ar=5');
    expect(tooFar.link.view.anatomyRun).toBe(1);
    expect(tooFar.ignored.map((i) => i.key)).toEqual(['ar']);
    expect(encodeLink(decodeLink('r0=sgd&r1=adasam').link)).toBe(
      `v=${SCHEMA_VERSION}&r0=sgd&r1=adasam`,
    );
  });

  it('omits knobs equal to the landscape’s defaults for the run and presets equal to paper', () => {
    // wells recommends γ 0.05 and ρ 0.12: only what differs is written
    const text = encodeLink(withRuns([runSpec('adasam', 'paper', { lr: 0.05, rho: 0.12 })]));
    expect(text).toBe(`v=${SCHEMA_VERSION}&r0=adasam`);
    const other = encodeLink(withRuns([runSpec('adasam', 'torch', { lr: 0.01, rho: 0.12 })]));
    expect(other).toBe(`v=${SCHEMA_VERSION}&r0=adasam&r0.preset=torch&r0.lr=0.01`);
  });

  it('accepts a whole URL, a ?query, a #hash or bare parameters', () => {
    const bare = 'r0=sgd&r0.lr=0.5&T=7';
    for (const input of [
      bare,
      '#' + bare,
      '?' + bare,
      `https://example.org/app/?x=1#${bare}`,
      `http://localhost:5173/#?${bare}`,
    ]) {
      const { link, ignored } = decodeLink(input);
      expect(ignored).toEqual([]);
      expect(link.scene.steps).toBe(7);
      expect(link.runs).toEqual([runSpec('sgd', 'paper', { lr: 0.5 })]);
    }
    expect(paramsOf('https://h/p?a=1')).toBe('a=1');
  });

  it('every optimizer row round-trips through its URL key', () => {
    for (const row of OPTIMIZER_SETTINGS) {
      const base = recipe('adasam', 'paper');
      const value =
        row.kind === 'bool'
          ? !base[row.name]
          : row.kind === 'enum'
            ? row.values.find((v) => v !== base[row.name])!
            : (base[row.name] as number) === 0
              ? 0.125
              : (base[row.name] as number) / 2;
      const link = withRuns([
        { family: 'adasam', preset: 'paper', config: { ...base, [row.name]: value } },
      ]);
      const decoded = decodeLink(encodeLink(link));
      expect(decoded.link.runs[0].config[row.name], row.name).toBe(value);
    }
  });
});

describe('hostile and malformed links', () => {
  it('falls back per setting and lists each ignored part with a reason', () => {
    const { link, ignored } = decodeLink(
      '#v=1&T=-5&land=atlantis&r0=adasam&r0.lr=abc&r0.b1=1&r0.rho=0x10&r0.eps=0&sigma=NaN&zzz=1&x0=1,2,3',
    );
    expect(link.scene).toEqual(DEFAULT_LINK_V1.scene);
    expect(link.runs).toEqual([runSpec('adasam', 'paper')]);
    const keys = ignored.map((i) => i.key).sort();
    expect(keys).toEqual(
      ['T', 'land', 'r0.b1', 'r0.eps', 'r0.lr', 'r0.rho', 'sigma', 'x0', 'zzz'].sort(),
    );
    expect(ignored.find((i) => i.key === 'r0.b1')!.reason).toMatch(
      /beta1 must be a number in \[0, 1\)/,
    );
    expect(ignored.find((i) => i.key === 'zzz')!.reason).toBe('unknown setting');
  });

  it('a cross-field violation (β2 = 1 with bias correction) reverts the key the optimizer names', () => {
    const { link, ignored } = decodeLink('r0=adasam&r0.preset=torch&r0.b2=1');
    expect(link.runs[0].config.beta2).toBe(0.999);
    expect(link.runs[0].config.biasCorrection).toBe(true);
    expect(ignored).toHaveLength(1);
    expect(ignored[0].key).toBe('r0.b2');
    expect(ignored[0].reason).toMatch(/biasCorrection/);
  });

  it('an unknown optimizer falls back to AdaSAM; run keys without a run, or beyond the limit, are reported', () => {
    const { link, ignored } = decodeLink(`r0=gsam&r3.lr=1&r${MAX_RUNS}=sgd`);
    expect(link.runs).toHaveLength(1);
    expect(link.runs[0].family).toBe('adasam');
    expect(ignored.map((i) => i.key).sort()).toEqual(['r0', 'r3.lr', `r${MAX_RUNS}`].sort());
  });

  it('markup, prototype keys, duplicates, odd encodings and huge input never throw', () => {
    const inputs = [
      '#land=%3Cscript%3Ealert(1)%3C%2Fscript%3E&__proto__=1&constructor=2&r0.__proto__.lr=3',
      '#%E0%A4%A&%%%&=&==&r0=&&&',
      '#T=1&T=2',
      '#' + 'a=1&'.repeat(5000),
      '#r0=sgd&r0.lr=1e400&r0.rho=-0&r0.b1=.5',
      'javascript:alert(1)',
      '\u0000\uffff#v=99',
    ];
    for (const input of inputs) {
      const { link, ignored } = decodeLink(input);
      expect(link.scene.problem).toBe('wells');
      expect(Array.isArray(ignored)).toBe(true);
      expect(({} as Record<string, unknown>).lr).toBeUndefined();
    }
    expect(decodeLink('#T=1&T=2').link.scene.steps).toBe(1);
    expect(decodeLink('#T=1&T=2').ignored[0].reason).toMatch(/more than once/);
    expect(decodeLink('#' + 'a=1&'.repeat(5000)).ignored[0].reason).toMatch(
      String(MAX_LINK_LENGTH),
    );
    expect(decodeLink('#r0=sgd&r0.lr=1e400').ignored[0].key).toBe('r0.lr');
    expect(decodeLink('#v=99').ignored[0].key).toBe('v');
  });
});

describe('link versions', () => {
  /** The version-1 opening race as the issue and race.ts describe it (written out, not computed). */
  const V1_RACE = [
    runSpec('sgd', 'paper', { lr: 0.05 }),
    runSpec('amsgrad', 'paper', { lr: 0.05 }),
    runSpec('sam', 'paper', { lr: 0.05, rho: 0.05 }),
    runSpec('adasam', 'paper', { lr: 0.05, rho: 0.15 }),
  ];

  it('a version-1 link keeps version 1’s defaults on every landscape', () => {
    const bare = decodeLink('#v=1');
    expect(bare.ignored).toEqual([]);
    expect(bare.link.scene).toMatchObject({ problem: 'wells', steps: 200, x0: [-0.5, 0.3] });
    expect(bare.link.runs).toEqual(V1_RACE);
    expect(bare.link.view.logLoss).toBe(false);
    const rosen = decodeLink('#v=1&land=rosenbrock').link;
    expect(rosen.scene).toMatchObject({ problem: 'rosenbrock', steps: 200, x0: null });
    expect(rosen.runs).toEqual(V1_RACE);
    // a run named by family alone is its bare recipe in version 1
    expect(decodeLink('#v=1&land=himmelblau&r0=sam').link.runs).toEqual([runSpec('sam', 'paper')]);
  });

  it('a version-2 link takes each landscape’s recommended settings as its defaults', () => {
    const rosen = decodeLink('#v=2&land=rosenbrock');
    expect(rosen.ignored).toEqual([]);
    expect(rosen.link.scene).toMatchObject({ steps: 1000, x0: [-1.2, 1] });
    expect(rosen.link.view.logLoss).toBe(true);
    expect(rosen.link.runs).toEqual([
      runSpec('sgd', 'paper', { lr: 0.0015 }),
      runSpec('amsgrad', 'paper', { lr: 0.05 }),
      runSpec('sam', 'paper', { lr: 0.0015, rho: 0.01 }),
      runSpec('adasam', 'paper', { lr: 0.05, rho: 0.01 }),
    ]);
    const himmel = decodeLink('#v=2&land=himmelblau&r0=sam&r1=asam&r2=adam&r2.lr=0.3').link;
    expect(himmel.scene).toMatchObject({ steps: 200, x0: [1, -1] });
    expect(himmel.runs).toEqual([
      runSpec('sam', 'paper', { lr: 0.02, rho: 0.3 }),
      // ASAM's ρ is on its own scale: only γ comes from the landscape
      runSpec('asam', 'paper', { lr: 0.02 }),
      runSpec('adam', 'paper', { lr: 0.3 }),
    ]);
    // the fair opening race: SAM and AdaSAM with the same ρ
    expect(decodeLink('#v=2').link.runs).toEqual([
      runSpec('sgd', 'paper', { lr: 0.05 }),
      runSpec('amsgrad', 'paper', { lr: 0.05 }),
      runSpec('sam', 'paper', { lr: 0.05, rho: 0.12 }),
      runSpec('adasam', 'paper', { lr: 0.05, rho: 0.12 }),
    ]);
  });

  it('a version-3 link means what version 2 means on the 2-D page, and the current version is 3', () => {
    expect(SCHEMA_VERSION).toBe(3);
    for (const rest of [
      '',
      '&land=rosenbrock',
      '&land=himmelblau&r0=sam&r1=asam&r2=adam&r2.lr=0.3',
      '&land=ravine&sigma=0.3&b=4&seed=5&x0=&T=50&ylog=true&tv=true',
      '&land=saddle&r0=adasam&r0.preset=torch&r1=sgdm&ar=0&at=3',
    ]) {
      const v2 = decodeLink('#v=2' + rest);
      const v3 = decodeLink('#v=3' + rest);
      expect(v3.ignored, rest).toEqual([]);
      expect(v2.ignored, rest).toEqual([]);
      const { lab: _2, ...v2Page } = v2.link;
      const { lab: _3, ...v3Page } = v3.link;
      expect(v3Page, rest).toEqual(v2Page);
    }
    // a link without v is read as the current version
    expect(decodeLink('land=rosenbrock').link).toEqual(decodeLink('#v=3&land=rosenbrock').link);
  });

  it('re-encoding an old link writes the current version with the old meaning spelled out', () => {
    for (const old of [
      '#v=1',
      '#v=1&land=rosenbrock&T=80&x0=-1.2,1&r0=adam&r0.preset=torch&r0.lr=0.02',
      '#v=1&land=himmelblau&r0=sam&r1=adasam&r1.lr=0.1',
      '#v=1&land=quadratic&sigma=0.5&b=2&seed=3',
      '#v=2&land=rosenbrock',
      '#v=2&page=lab&lab.steps=40',
    ]) {
      const { link } = decodeLink(old);
      const text = encodeLink(link);
      expect(text.startsWith(`v=${SCHEMA_VERSION}&`), text).toBe(true);
      expect(decodeLink(text), old).toEqual({ link, ignored: [] });
    }
  });

  it('an unknown version is read as the current one and said so', () => {
    const { link, ignored } = decodeLink('#v=7&land=rosenbrock');
    expect(ignored.map((i) => i.key)).toEqual(['v']);
    expect(ignored[0].reason).toMatch(/reads versions 1, 2 and 3 and read it as version 3/);
    expect(link.scene.steps).toBe(1000);
  });
});
