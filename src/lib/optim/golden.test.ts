/**
 * The float64 core replays every run of the golden files (an independent PyTorch float64
 * implementation) and matches every stored array at 1e-11 + 1e-10·|b| (spec §9.4).
 */
import { describe, expect, it } from 'vitest';
import { getLandscape } from '../landscapes';
import { mlpValueAndGrad } from '../problems/mlp';
import { regressionValueAndGrad, type Dataset } from '../problems/regression';
import { F64_TOL, firstMismatch, loadGolden, traceArrays, type GoldenRun } from '../testing/golden';
import { deterministic, runVec } from './run';
import type { Vec } from '../math/vec';

const analytic = loadGolden('analytic2d.json');

function expectTraceMatches(
  run: ReturnType<typeof runVec>,
  golden: GoldenRun,
  extra: Record<string, ArrayLike<number> | ArrayLike<number>[]> = {},
) {
  const ours = { ...traceArrays(run), ...extra };
  const keys = Object.keys(golden.trace);
  expect(keys.length).toBeGreaterThan(0);
  for (const key of keys) {
    expect(ours, `missing ${key}`).toHaveProperty(key);
    expect(
      firstMismatch(ours[key] as ArrayLike<number>[], golden.trace[key] as number[][], F64_TOL),
      key,
    ).toBeNull();
  }
}

describe('float64 core vs golden analytic2d.json', () => {
  const cases = Object.entries(
    analytic.problems as Record<
      string,
      { x0: number[]; steps: number; runs: Record<string, GoldenRun> }
    >,
  ).flatMap(([problem, p]) =>
    Object.entries(p.runs).map(([name, run]) => ({ problem, name, x0: p.x0, steps: p.steps, run })),
  );
  it('covers every stored run', () => expect(cases.length).toBe(22));
  it.each(cases)('$problem / $name', ({ problem, x0, steps, run }) => {
    const land = getLandscape(problem)!;
    const result = runVec(run.config, x0, steps, deterministic(land.f, land.grad));
    expect(result.status).toBe('ok');
    expectTraceMatches(result, run, { loss: result.xs.map(land.f) });
  });
});

describe.each(['regression.json', 'mlp.json'])('float64 core vs golden %s', (file) => {
  const g = loadGolden(file);
  const data: Dataset = g.data;
  const vg = g.kind === 'mlp' ? mlpValueAndGrad : regressionValueAndGrad;
  const all = data.y.map((_, i) => i);
  it.each(
    Object.entries(g.runs as Record<string, GoldenRun>).map(([name, run]) => ({ name, run })),
  )('$name', ({ run }) => {
    const result = runVec(run.config, g.x0, g.steps, (t) => (x: Vec) => vg(data, g.batches[t], x));
    expect(result.status).toBe('ok');
    expectTraceMatches(result, run, {
      loss: result.steps.map((r) => r.loss),
      fullLoss: result.xs.map((x) => vg(data, all, x).loss),
    });
  });
});
