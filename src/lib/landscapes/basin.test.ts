/**
 * The "where does it end?" map. Its oracle is the generic float64 core: the scalar loop
 * `endPoint` must end where runVec ends (to 1e-12) for every family member, both presets and
 * the remaining knobs, on several landscapes, with exact and with minibatch gradients.
 */
import { describe, expect, it } from 'vitest';
import { FAMILY_NAMES, recipe, ConfigError, type OptimizerConfig } from '../optim/config';
import { runVec } from '../optim/run';
import { getLandscape, type Landscape } from './index';
import { basinMap, classifyEnd, endPoint, endRadius, gridStart, NO_MINIMUM } from './basin';
import { DEFAULT_RACE, raceConfigs } from './race';
import { makeObjective, noiseSchedule, type StochasticSettings } from './stochastic';
import { wells } from './wells';
import { saddle } from './saddle';

const land = (id: string): Landscape => getLandscape(id)!;

/** Per-landscape learning rates in the range the golden files use (spec §9.3). */
const LR: Record<string, number> = {
  wells: 0.05,
  quadratic: 0.1,
  rosenbrock: 1e-3,
  himmelblau: 0.02,
  saddle: 0.05,
  ravine: 0.1,
  bumpyBowl: 0.05,
};

const expectSameEnd = (
  l: Landscape,
  c: OptimizerConfig,
  x0: number[],
  steps: number,
  stochastic: StochasticSettings | null = null,
) => {
  const ref = runVec(c, x0, steps, makeObjective(l, stochastic));
  const noise = stochastic ? noiseSchedule(stochastic, steps) : null;
  const fast = endPoint(l, c, x0, steps, noise);
  const last = ref.xs[ref.xs.length - 1];
  expect(fast.diverged).toBe(ref.status === 'diverged');
  expect(fast.steps).toBe(ref.xs.length - 1);
  for (let k = 0; k < 2; k++)
    expect(Math.abs(fast.x[k] - last[k])).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(last[k])));
};

describe('endPoint equals runVec', () => {
  const cases = ['wells', 'quadratic', 'rosenbrock', 'himmelblau', 'bumpyBowl', 'saddle'].flatMap(
    (id) =>
      FAMILY_NAMES.flatMap((family) =>
        (['paper', 'torch'] as const).map((preset) => ({ id, family, preset })),
      ),
  );
  it.each(cases)('$id / $family / $preset', ({ id, family, preset }) => {
    const l = land(id);
    const c = recipe(family, preset, { lr: LR[id] });
    for (const x0 of [l.x0, gridStart(l.domain, 5, 5, 1, 3), gridStart(l.domain, 5, 5, 4, 0)])
      expectSameEnd(l, c, x0, 120);
  });

  const knobs: [string, Partial<OptimizerConfig>][] = [
    ['weight decay', { weightDecay: 0.1 }],
    ['floor with bias correction', { epsMode: 'floor', biasCorrection: true }],
    ['add without bias correction', { epsMode: 'add', biasCorrection: false }],
    ['Adam variant, floor', { amsgrad: false, epsMode: 'floor' }],
    ['Adam variant, add', { amsgrad: false, epsMode: 'add', biasCorrection: true }],
    [
      'β2 = 1, ε = 1 (SAM with momentum)',
      { beta2: 1, eps: 1, epsMode: 'floor', biasCorrection: false },
    ],
    ['β1 = 0, large ρ', { beta1: 0, rho: 0.4 }],
    ['ASAM, adaptive', { perturbation: 'asam', rho: 0.5, asamEta: 0.01 }],
    ['ASAM, η_A = 0, ξ = 0', { perturbation: 'asam', rho: 0.5, asamEta: 0, perturbEps: 0 }],
    ['β2 = 0', { beta2: 0 }],
  ];
  it.each(knobs)('%s', (_, overrides) => {
    for (const family of ['adasam', 'sam', 'amsgrad'] as const) {
      for (const id of ['wells', 'quadratic'])
        expectSameEnd(
          land(id),
          recipe(family, 'paper', { lr: LR[id], ...overrides }),
          land(id).x0,
          80,
        );
    }
  });

  it('with minibatch noise', () => {
    const s: StochasticSettings = { sigma: 0.4, batch: 4, samples: 64, seed: 5 };
    for (const family of FAMILY_NAMES) {
      for (const id of ['wells', 'himmelblau'])
        expectSameEnd(land(id), recipe(family, 'torch', { lr: LR[id] }), land(id).x0, 100, s);
    }
  });

  it('stops where runVec stops when a run diverges', () => {
    // SGD with γ = 1 on the quadratic (λ_max = 10) grows by 9× per step until it overflows
    const c = recipe('sgd', 'paper', { lr: 1 });
    const e = endPoint(land('quadratic'), c, [-2, 1], 1000);
    expect(e.diverged).toBe(true);
    expect(e.steps).toBeLessThan(1000);
    expectSameEnd(land('quadratic'), c, [-2, 1], 1000);
    // β2 = 1 with ε = 1e-8 in floor mode: step γ/ε = 1e7·γ (spec §7.2)
    expectSameEnd(
      land('rosenbrock'),
      recipe('adasam', 'paper', { lr: 0.05, beta2: 1, eps: 1e-8 }),
      [-1.2, 1],
      400,
    );
  });

  it('keeps a start at a stationary point exactly put (spec §7.1)', () => {
    for (const preset of ['paper', 'torch'] as const) {
      const e = endPoint(land('quadratic'), recipe('adasam', preset, { lr: 0.1 }), [0, 0], 20);
      expect(e).toEqual({ x: [0, 0], steps: 20, diverged: false });
    }
  });
});

describe('classifyEnd', () => {
  it('returns the nearest declared minimum within the capture radius, else −1', () => {
    expect(endRadius(wells)).toBeCloseTo(0.3, 12);
    expect(classifyEnd(wells, [-0.7905, 0])).toBe(0);
    expect(classifyEnd(wells, [0.7, 0.1])).toBe(1);
    expect(classifyEnd(wells, [-0.29, 0])).toBe(NO_MINIMUM);
    expect(classifyEnd(wells, [0.8, 0.31])).toBe(NO_MINIMUM);
    expect(classifyEnd(wells, [NaN, 0])).toBe(NO_MINIMUM);
    expect(classifyEnd(wells, [0.8, 0.31], 0.5)).toBe(1);
  });

  it('captures never overlap', () => {
    for (const id of ['wells', 'himmelblau', 'bumpyBowl', 'saddle']) {
      const l = land(id),
        r = endRadius(l);
      for (const a of l.minima)
        for (const b of l.minima)
          if (a !== b) expect(Math.hypot(a.x[0] - b.x[0], a.x[1] - b.x[1])).toBeGreaterThan(2 * r);
    }
  });

  it('SGD started at the sharp minimum stays there; DEFAULT_RACE AdaSAM from its start ends flat', () => {
    const sharp = wells.minima.findIndex((m) => m.kind === 'sharp');
    const e = endPoint(wells, recipe('sgd', 'paper', { lr: 0.05 }), wells.minima[sharp].x, 200);
    expect(classifyEnd(wells, e.x)).toBe(sharp);
    const adasam =
      raceConfigs(DEFAULT_RACE)[DEFAULT_RACE.runs.findIndex((r) => r.family === 'adasam')];
    const end = endPoint(wells, adasam, DEFAULT_RACE.x0, DEFAULT_RACE.steps);
    expect(wells.minima[classifyEnd(wells, end.x)].kind).toBe('flat');
  });
});

describe('basinMap', () => {
  const sgd = recipe('sgd', 'paper', { lr: 0.05 });

  it('puts grid starts at cell centres, row 0 at y_min', () => {
    expect(
      gridStart(
        [
          [-2, 2],
          [-1, 1],
        ],
        4,
        2,
        0,
        0,
      ),
    ).toEqual([-1.5, -0.5]);
    expect(
      gridStart(
        [
          [-2, 2],
          [-1, 1],
        ],
        4,
        2,
        3,
        1,
      ),
    ).toEqual([1.5, 0.5]);
  });

  it('is row-major with rows from y_min up', () => {
    // on the saddle, SGD from y < 0 ends in the lower minimum, from y > 0 in the upper one
    const nx = 6,
      ny = 8;
    const map = basinMap({ landscape: saddle, config: sgd, nx, ny, steps: 300 });
    expect(map.length).toBe(nx * ny);
    const upper = saddle.minima.findIndex((m) => m.x[1] > 0),
      lower = saddle.minima.findIndex((m) => m.x[1] < 0);
    for (let i = 0; i < nx; i++) {
      expect(map[i]).toBe(lower);
      expect(map[(ny - 1) * nx + i]).toBe(upper);
    }
  });

  it('classifies each cell as runVec from that cell would', () => {
    const l = land('himmelblau'),
      nx = 7,
      ny = 5,
      steps = 150;
    const c = recipe('adasam', 'paper', { lr: 0.1, rho: 0.1 });
    const map = basinMap({ landscape: l, config: c, nx, ny, steps });
    const seen = new Set<number>();
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const run = runVec(c, gridStart(l.domain, nx, ny, i, j), steps, makeObjective(l, null));
        expect(map[j * nx + i]).toBe(classifyEnd(l, run.xs[run.xs.length - 1]));
        seen.add(map[j * nx + i]);
      }
    }
    expect(seen.size).toBeGreaterThan(2);
  });

  it('computes bands of rows that join into the whole map, reporting each row', () => {
    const job = { landscape: wells, config: sgd, nx: 9, ny: 6, steps: 100 };
    const whole = basinMap(job);
    const rowsDone: number[] = [];
    const a = basinMap({ ...job, rows: [0, 4], onRow: (d) => rowsDone.push(d) });
    const b = basinMap({ ...job, rows: [4, 6] });
    expect(rowsDone).toEqual([1, 2, 3, 4]);
    expect([...a, ...b]).toEqual([...whole]);
    expect(basinMap({ ...job, rows: [3, 3] }).length).toBe(0);
    expect(() => basinMap({ ...job, rows: [5, 7] })).toThrow(RangeError);
  });

  it('marks diverged runs −1', () => {
    // no start of this 4×3 grid lies on the λ = 1 eigenvector (1, −1), the one direction γ = 1 does not blow up
    const map = basinMap({
      landscape: land('quadratic'),
      config: recipe('sgd', 'paper', { lr: 1 }),
      nx: 4,
      ny: 3,
      steps: 400,
    });
    expect([...map].every((k) => k === NO_MINIMUM)).toBe(true);
  });

  it('uses the same minibatches for every start', () => {
    const s: StochasticSettings = { sigma: 0.6, batch: 2, samples: 32, seed: 9 };
    const nx = 5,
      ny = 4,
      steps = 120;
    const c = recipe('amsgrad', 'paper', { lr: 0.05 });
    const map = basinMap({ landscape: wells, config: c, nx, ny, steps, stochastic: s });
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const run = runVec(
          c,
          gridStart(wells.domain, nx, ny, i, j),
          steps,
          makeObjective(wells, s),
        );
        expect(map[j * nx + i]).toBe(classifyEnd(wells, run.xs[run.xs.length - 1]));
      }
    }
  });

  it('shows the story: AMSGrad ends sharp from more of the grid than AdaSAM', () => {
    const [, amsgrad, , adasam] = raceConfigs(DEFAULT_RACE);
    const share = (c: OptimizerConfig, kind: 'sharp' | 'flat') => {
      const map = basinMap({
        landscape: wells,
        config: c,
        nx: 24,
        ny: 16,
        steps: DEFAULT_RACE.steps,
      });
      return map.filter((k) => k >= 0 && wells.minima[k].kind === kind).length / map.length;
    };
    expect(share(amsgrad, 'sharp')).toBeGreaterThan(share(adasam, 'sharp') + 0.05);
    expect(share(adasam, 'flat')).toBeGreaterThan(0.5);
  });

  it('rejects an invalid config before any step', () => {
    expect(() =>
      basinMap({
        landscape: wells,
        config: recipe('adasam', 'paper', { beta1: 1 }),
        nx: 2,
        ny: 2,
        steps: 5,
      }),
    ).toThrow(ConfigError);
  });
});
