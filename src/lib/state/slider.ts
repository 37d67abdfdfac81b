/**
 * Slider positions for a number row's `ui` range, chosen so round values are on the track
 * (issue 12, item 7): a linear row moves in its own `step` (β1 in 0.001s lands on 0.9, β2 in
 * 0.0001s on 0.99 and 0.999); a log row moves through 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9
 * in each decade (γ = 0.05, ε = 1e-8). Positions are integers 0 … count.
 */
import type { NumberSetting } from './settings';

type Ui = NonNullable<NumberSetting['ui']>;

/** Mantissas on a log track: about 10 per decade, each a value a person would type. */
export const LOG_MANTISSAS = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9] as const;

export interface SliderScale {
  /** the last position (the first is 0) */
  count: number;
  fromPos: (pos: number) => number;
  /** the nearest position to x (clamped to the track) */
  toPos: (x: number) => number;
}

const decimalsOf = (step: number) => Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));

export function sliderScale(ui: Ui): SliderScale {
  if (ui.log) {
    const values: number[] = [];
    const lo = Math.floor(Math.log10(ui.min) + 1e-9);
    const hi = Math.ceil(Math.log10(ui.max) - 1e-9);
    for (let e = lo; e <= hi; e++)
      for (const m of LOG_MANTISSAS) {
        // toPrecision: 3 × 10^-5 is 0.00003, not 0.000030000000000000004
        const x = Number((m * 10 ** e).toPrecision(3));
        if (x >= ui.min * (1 - 1e-9) && x <= ui.max * (1 + 1e-9)) values.push(x);
      }
    const logs = values.map(Math.log);
    return {
      count: values.length - 1,
      fromPos: (pos) => values[Math.min(values.length - 1, Math.max(0, Math.round(pos)))],
      toPos: (x) => {
        if (!(x > 0)) return 0;
        const lx = Math.log(x);
        let best = 0;
        for (let i = 1; i < logs.length; i++)
          if (Math.abs(logs[i] - lx) < Math.abs(logs[best] - lx)) best = i;
        return best;
      },
    };
  }
  const step = ui.step ?? (ui.max - ui.min) / 1000;
  const count = Math.round((ui.max - ui.min) / step);
  const decimals = decimalsOf(step);
  return {
    count,
    fromPos: (pos) =>
      Number((ui.min + Math.min(count, Math.max(0, Math.round(pos))) * step).toFixed(decimals)),
    toPos: (x) => Math.min(count, Math.max(0, Math.round((x - ui.min) / step))),
  };
}
