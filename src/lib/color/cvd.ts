/**
 * Colour-vision-deficiency simulation after Machado, Oliveira & Fernandes (2009), "A
 * physiologically-based model for simulation of color vision deficiency", IEEE TVCG 15(6),
 * Table 1 at severity 1.0 (dichromacy). The matrices act on linear RGB.
 */
import {
  fromLinear,
  hexToRgb,
  linearToLab,
  rgbToHex,
  toLinear,
  type Lab,
  type Rgb,
} from './ciede2000';

export type Vision = 'normal' | 'deuteranopia' | 'protanopia';
export const VISIONS: readonly Vision[] = ['normal', 'deuteranopia', 'protanopia'];

type Matrix3 = readonly [Rgb, Rgb, Rgb];

export const MACHADO_SEVERITY_1: Record<Exclude<Vision, 'normal'>, Matrix3> = {
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
};

/** Linear RGB as a viewer with `vision` sees it (clamped to the gamut). */
export function simulateLinear(rgb: Rgb, vision: Vision): Rgb {
  if (vision === 'normal') return rgb;
  const m = MACHADO_SEVERITY_1[vision];
  return m.map((row) =>
    Math.min(1, Math.max(0, row[0] * rgb[0] + row[1] * rgb[1] + row[2] * rgb[2])),
  ) as Rgb;
}

/** '#rrggbb' as a viewer with `vision` sees it. */
export function simulateHex(hex: string, vision: Vision): string {
  const lin = hexToRgb(hex).map(toLinear) as Rgb;
  return rgbToHex(simulateLinear(lin, vision).map(fromLinear) as Rgb);
}

/** CIELAB of '#rrggbb' as a viewer with `vision` sees it (no 8-bit rounding in between). */
export function labUnder(hex: string, vision: Vision): Lab {
  return linearToLab(simulateLinear(hexToRgb(hex).map(toLinear) as Rgb, vision));
}
