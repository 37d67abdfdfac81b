import { describe, expect, it } from 'vitest';
import { scheduledLr, scheduleError, warmupSteps } from './schedule';

describe('spec §12 learning-rate schedule', () => {
  it('constant keeps γ', () => {
    const s = { kind: 'constant', warmup: 0.5, steps: 10 } as const;
    expect([0, 5, 9].map((t) => scheduledLr(s, 0.1, t))).toEqual([0.1, 0.1, 0.1]);
  });

  it('linear: warm-up to γ at t = W−1, then decay to γ/(T−W) at the last step', () => {
    // T = 10, warmup 0.3 → W = 3: γ/3, 2γ/3, γ, then γ·7/7, 6/7, …, 1/7
    const s = { kind: 'linear', warmup: 0.3, steps: 10 } as const;
    expect(warmupSteps(s)).toBe(3);
    const got = Array.from({ length: 10 }, (_, t) => scheduledLr(s, 2, t));
    const want = [2 / 3, 4 / 3, 2, 2, 12 / 7, 10 / 7, 8 / 7, 6 / 7, 4 / 7, 2 / 7];
    got.forEach((g, i) => expect(g).toBeCloseTo(want[i], 15));
  });

  it('W rounds half up and never reaches T', () => {
    expect(warmupSteps({ kind: 'linear', warmup: 0.06, steps: 25 })).toBe(2); // 1.5 → 2
    expect(warmupSteps({ kind: 'linear', warmup: 0.06, steps: 8 })).toBe(0); // 0.48 → 0
    expect(warmupSteps({ kind: 'linear', warmup: 0.99, steps: 2 })).toBe(1);
    // without warm-up the first step already has the full γ
    expect(scheduledLr({ kind: 'linear', warmup: 0, steps: 4 }, 1, 0)).toBe(1);
  });

  it('rejects bad schedules by name', () => {
    expect(scheduleError({ kind: 'linear', warmup: 1, steps: 5 })).toMatch(/warmup/);
    expect(scheduleError({ kind: 'linear', warmup: 0.1, steps: 0 })).toMatch(/steps/);
    expect(scheduleError({ kind: 'linear', warmup: 0.1, steps: 5 })).toBeNull();
  });
});
