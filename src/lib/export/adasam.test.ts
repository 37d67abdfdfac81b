/**
 * The exported PyTorch optimizer (python/adasam.py) against independent oracles: the golden files
 * replayed in float64 and torch.optim where spec §5/§6 say they are equal
 * (tests/python/test_adasam.py), and the TypeScript validation's messages and §12 schedules.
 * One Python process runs everything (importing torch takes seconds here).
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CONFIG, validateConfig, type OptimizerConfig } from '../optim/config';
import { scheduledLr, scheduleError, type Schedule } from '../optim/schedule';
import { PYTHON_DIR } from './nodeSources';
import { runPython, tempFile, type PythonResult } from './pythonRunner';

const root = (p: string) => fileURLToPath(new URL(`../../../${p}`, import.meta.url));

const bad: Partial<OptimizerConfig>[] = [
  { lr: 0 },
  { lr: -1e-9 },
  { rho: -0.5 },
  { beta1: 1 },
  { beta2: 1, biasCorrection: true },
  { beta2: 1.5 },
  { eps: 0 },
  { eps: -1e21 },
  { perturbEps: -1e-12 },
  { asamEta: -0.000001 },
  { weightDecay: -2 },
  { epsMode: 'both' as never },
  { perturbation: 'gsam' as never },
  { amsgrad: 'yes' as never },
  { lr: null as never },
];
const configs = bad.map((b) => ({ ...DEFAULT_CONFIG, ...b }));

const schedules: Schedule[] = [
  { kind: 'constant', warmup: 0, steps: 10 },
  { kind: 'linear', warmup: 0, steps: 7 },
  { kind: 'linear', warmup: 0.25, steps: 10 },
  { kind: 'linear', warmup: 0.99, steps: 5 },
];
const badSchedules: Schedule[] = [
  { kind: 'cosine' as never, warmup: 0, steps: 3 },
  { kind: 'linear', warmup: 1, steps: 3 },
  { kind: 'linear', warmup: 0, steps: 0 },
];

interface Report {
  checks: number;
  failures: string[];
  messages: ([string, string] | null)[];
  lrs: number[][];
  scheduleErrors: (string | null)[];
}

let run: PythonResult;
let report: Report;

beforeAll(async () => {
  run = await runPython([
    root('tests/python/test_adasam.py'),
    PYTHON_DIR + 'adasam.py',
    root('tests/fixtures/golden'),
    tempFile('cases.json', JSON.stringify({ configs, schedules, badSchedules })),
  ]);
  report = JSON.parse(run.stdout) as Report;
}, 120_000);

describe('adasam.py', () => {
  it('replays every golden run and equals torch.optim where the spec says so', () => {
    expect(run.stderr).toBe('');
    expect(report.failures).toEqual([]);
    // 22 analytic runs (up to 6 arrays each), 4 stochastic runs, the edge cases, 18 torch.optim comparisons, …
    expect(report.checks).toBeGreaterThan(180);
    expect(run.code).toBe(0);
  });

  it('rejects invalid configurations with the playground’s own messages', () => {
    const expected = configs.map((c) => {
      try {
        validateConfig(c);
        return null;
      } catch (e) {
        return e instanceof ConfigError ? [e.key, e.message] : String(e);
      }
    });
    expect(expected.every((e) => Array.isArray(e))).toBe(true);
    expect(report.messages).toEqual(expected);
  });

  it('follows the §12 schedules of optim/schedule.ts', () => {
    expect(report.lrs).toEqual(
      schedules.map((s) => Array.from({ length: s.steps }, (_, t) => scheduledLr(s, 0.3, t))),
    );
    expect(report.scheduleErrors).toEqual(badSchedules.map(scheduleError));
  });
});
