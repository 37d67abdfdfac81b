import { describe, expect, it } from 'vitest';
import {
  LAB_SETTINGS,
  LAB_VIEW_SETTINGS,
  OPTIMIZER_SETTINGS,
  RUN_SETTINGS,
  SCENE_SETTINGS,
  VIEW_SETTINGS,
} from './schema';
import { spokenNumber, spokenValue, type Setting } from './settings';

const ROWS: readonly Setting[] = [
  ...RUN_SETTINGS,
  ...OPTIMIZER_SETTINGS,
  ...SCENE_SETTINGS,
  ...VIEW_SETTINGS,
  ...LAB_SETTINGS,
  ...LAB_VIEW_SETTINGS,
];
const row = (rows: readonly Setting[], name: string) => {
  const r = rows.find((x) => x.name === name);
  if (r?.kind !== 'number' && r?.kind !== 'int') throw new Error(`${name} is not a number row`);
  return r;
};

describe('units on the settings rows (issue 12, item 3)', () => {
  it('every row that gets a slider has a unit, so no slider reads a bare number', () => {
    const sliders = ROWS.filter((r) => r.kind === 'number' && r.ui);
    expect(sliders.length).toBeGreaterThanOrEqual(8);
    const missing = sliders.filter((r) => r.kind === 'number' && !r.unit).map((r) => r.name);
    expect(missing).toEqual([]);
  });

  it('reads values with their units, as a person would say them', () => {
    expect(spokenValue(row(OPTIMIZER_SETTINGS, 'lr'), 0.05)).toBe('0.05 (learning rate)');
    expect(spokenValue(row(SCENE_SETTINGS, 'steps'), 100)).toBe('100 steps');
    expect(spokenValue(row(SCENE_SETTINGS, 'steps'), 1)).toBe('1 step');
    expect(spokenValue(row(LAB_SETTINGS, 'batch'), 32)).toBe('32 examples');
    expect(spokenValue(row(LAB_SETTINGS, 'mlp'), 1)).toBe('1 hidden unit');
    expect(spokenValue(row(OPTIMIZER_SETTINGS, 'eps'), 1e-8)).toBe(
      '1 times 10 to the minus 8 (stability constant)',
    );
    // a row without a unit (the seed names a stream, it counts nothing) reads the number alone
    expect(spokenValue(row(SCENE_SETTINGS, 'seed'), 7)).toBe('7');
  });

  it('says numbers in exponent notation and negatives in words', () => {
    expect(spokenNumber(2.5e-7)).toBe('2.5 times 10 to the minus 7');
    expect(spokenNumber(1e21)).toBe('1 times 10 to the 21');
    expect(spokenNumber(-0.5)).toBe('minus 0.5');
    expect(spokenNumber(0.999)).toBe('0.999');
  });
});
