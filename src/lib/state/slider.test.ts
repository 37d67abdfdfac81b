/**
 * Every slider of every settings row lands on round values and only on values its row accepts
 * (issue 12, item 7: β1's slider gave 0.899 and could not give 0.9).
 */
import { describe, expect, it } from 'vitest';
import { GLUE_LR_UI, LAB_SETTINGS, OPTIMIZER_SETTINGS, SCENE_SETTINGS } from './schema';
import { parseSetting, type NumberSetting, type Setting } from './settings';
import { sliderScale } from './slider';

type SliderRow = NumberSetting & { ui: NonNullable<NumberSetting['ui']> };
const lr = OPTIMIZER_SETTINGS.find((r) => r.name === 'lr')!;
/** the GLUE page's γ slider: the lr row on GLUE_LR_UI (GlueRunList) */
const glueLr = { ...lr, name: 'glueLr', ui: GLUE_LR_UI };
const rows: SliderRow[] = (
  [...OPTIMIZER_SETTINGS, ...SCENE_SETTINGS, ...LAB_SETTINGS, glueLr] as Setting[]
).filter((r): r is SliderRow => r.kind === 'number' && r.ui !== undefined);
const row = (name: string) => rows.find((r) => r.name === name)!;
const reachable = (name: string) => {
  const s = sliderScale(row(name).ui);
  return Array.from({ length: s.count + 1 }, (_, p) => s.fromPos(p));
};

describe('slider scales', () => {
  it('covers every row with a slider', () => {
    expect(rows.map((r) => r.name)).toEqual(
      expect.arrayContaining(['lr', 'rho', 'beta1', 'beta2', 'eps', 'sigma']),
    );
  });

  it.each(rows.map((r) => [r.name, r] as const))(
    '%s: every position is a value the row accepts, printed short, and maps back to itself',
    (_, r) => {
      const s = sliderScale(r.ui);
      expect(s.count).toBeGreaterThanOrEqual(10);
      expect(s.count).toBeLessThanOrEqual(2000);
      let last = -Infinity;
      for (let p = 0; p <= s.count; p++) {
        const x = s.fromPos(p);
        expect(x, `${r.name} position ${p}`).toBeGreaterThan(last);
        last = x;
        expect(parseSetting(r, String(x)).ok, `${r.name} = ${x}`).toBe(true);
        // at most 4 significant digits: what a person would type
        expect(
          String(x)
            .replace(/^0\.0*|\.|e.*$/g, '')
            .replace(/^0+/, '').length,
        ).toBeLessThanOrEqual(4);
        expect(s.toPos(x)).toBe(p);
      }
      expect(s.fromPos(0)).toBeCloseTo(r.ui.min, 12);
      expect(s.fromPos(s.count)).toBeCloseTo(r.ui.max, 12);
    },
  );

  it('β1 and β2 reach 0.9, 0.99 and 0.999; ρ reaches 0.05 and 0.15', () => {
    expect(reachable('beta1')).toEqual(expect.arrayContaining([0, 0.5, 0.9, 0.99, 0.999]));
    expect(reachable('beta2')).toEqual(expect.arrayContaining([0.9, 0.95, 0.99, 0.999, 1]));
    expect(reachable('rho')).toEqual(expect.arrayContaining([0, 0.05, 0.1, 0.15, 0.5, 1]));
  });

  it('log sliders reach the usual values: γ 1e-4 … 1, ε 1e-10 … 1', () => {
    expect(reachable('lr')).toEqual(
      expect.arrayContaining([0.0001, 0.0003, 0.001, 0.003, 0.01, 0.02, 0.05, 0.1, 0.5, 1]),
    );
    expect(reachable('eps')).toEqual(expect.arrayContaining([1e-10, 1e-8, 1e-6, 0.001, 1]));
  });

  it('the GLUE γ slider holds the fine-tuning step sizes inside it, not at an end', () => {
    // glue.md §4: 1e-5 (2e-5 for RTE, STS-B); the page's SGD default 1e-3
    const s = sliderScale(GLUE_LR_UI);
    for (const x of [1e-5, 2e-5, 1e-3]) {
      const p = s.toPos(x);
      expect(s.fromPos(p), String(x)).toBe(x);
      expect(p, String(x)).toBeGreaterThan(0);
      expect(p, String(x)).toBeLessThan(s.count);
    }
    expect(s.fromPos(0)).toBe(1e-6);
  });

  it('a value between positions goes to the nearest one', () => {
    const s = sliderScale(row('beta1').ui);
    expect(s.fromPos(s.toPos(0.8994))).toBe(0.899);
    expect(s.fromPos(s.toPos(0.8996))).toBe(0.9);
    const l = sliderScale(row('lr').ui);
    expect(l.fromPos(l.toPos(0.047))).toBe(0.05);
  });
});
