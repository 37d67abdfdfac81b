/**
 * Loading and comparing the golden files (tests/fixtures/golden, copied from shared/golden so
 * the project tests itself without ../shared). Used by the unit tests only.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { OptimizerConfig } from '../optim/config';
import type { StepRecord, VecRun } from '../optim/run';

const DIR = fileURLToPath(new URL('../../../tests/fixtures/golden/', import.meta.url));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test names the shape it reads
export const loadGolden = <T = any>(name: string): T =>
  JSON.parse(readFileSync(DIR + name, 'utf8')) as T;

export interface GoldenRun {
  config: OptimizerConfig;
  trace: Record<string, number[] | number[][]>;
  summary?: Record<string, unknown>;
}

/** Tolerances of spec §9.4: float64 at 1e-11 + 1e-10|b|; float32 tensors at 1e-4 + 1e-3|b| over the whole trace. */
export const F64_TOL = (b: number) => 1e-11 + 1e-10 * Math.abs(b);
export const F32_TOL = (b: number) => 1e-4 + 1e-3 * Math.abs(b);

/** The first element that breaks the tolerance, or null. */
export function firstMismatch(
  actual: ArrayLike<number | ArrayLike<number>>,
  expected: ArrayLike<number | ArrayLike<number>>,
  tol: (b: number, step: number) => number,
): string | null {
  if (actual.length !== expected.length) return `length ${actual.length} ≠ ${expected.length}`;
  for (let t = 0; t < expected.length; t++) {
    const a = actual[t];
    const b = expected[t];
    const as = typeof a === 'number' ? [a] : Array.from(a);
    const bs = typeof b === 'number' ? [b] : Array.from(b);
    if (as.length !== bs.length) return `[${t}] length ${as.length} ≠ ${bs.length}`;
    for (let i = 0; i < bs.length; i++) {
      if (!(Math.abs(as[i] - bs[i]) <= tol(bs[i], t))) return `[${t}][${i}] ${as[i]} vs ${bs[i]}`;
    }
  }
  return null;
}

/** The arrays of a float64 run under the golden files' names (spec §9.2). */
export function traceArrays(run: VecRun): Record<string, ArrayLike<number>[] | number[]> {
  const pick = (f: (r: StepRecord) => ArrayLike<number> | null) => run.steps.map((r) => f(r) ?? []);
  return {
    x: run.xs,
    s: pick((r) => r.s),
    delta: pick((r) => r.delta),
    g: pick((r) => r.g),
    m: pick((r) => r.m),
    v: pick((r) => r.v),
    vhat: pick((r) => r.vHat),
    eta: pick((r) => r.eta),
  };
}
