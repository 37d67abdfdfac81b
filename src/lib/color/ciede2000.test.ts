/**
 * The colour arithmetic against published data: CIEDE2000 against all 34 test pairs of Sharma,
 * Wu & Dalal (2005), Table 1; CIELAB against the sRGB primaries' textbook values; the Machado
 * (2009) matrices against properties the model guarantees (neutral greys are fixed points,
 * dichromacy collapses one dimension of colour, so red and green lose their difference).
 */
import { describe, expect, it } from 'vitest';
import { contrastRatio, deltaE2000, hexToLab, type Lab } from './ciede2000';
import { labUnder, MACHADO_SEVERITY_1, simulateHex } from './cvd';

/** Sharma, Wu & Dalal (2005), Table 1: L1 a1 b1, L2 a2 b2, ΔE00. */
const SHARMA: [Lab, Lab, number][] = [
  [[50, 2.6772, -79.7751], [50, 0, -82.7485], 2.0425],
  [[50, 3.1571, -77.2803], [50, 0, -82.7485], 2.8615],
  [[50, 2.8361, -74.02], [50, 0, -82.7485], 3.4412],
  [[50, -1.3802, -84.2814], [50, 0, -82.7485], 1.0],
  [[50, -1.1848, -84.8006], [50, 0, -82.7485], 1.0],
  [[50, -0.9009, -85.5211], [50, 0, -82.7485], 1.0],
  [[50, 0, 0], [50, -1, 2], 2.3669],
  [[50, -1, 2], [50, 0, 0], 2.3669],
  [[50, 2.49, -0.001], [50, -2.49, 0.0009], 7.1792],
  [[50, 2.49, -0.001], [50, -2.49, 0.001], 7.1792],
  [[50, 2.49, -0.001], [50, -2.49, 0.0011], 7.2195],
  [[50, 2.49, -0.001], [50, -2.49, 0.0012], 7.2195],
  [[50, -0.001, 2.49], [50, 0.0009, -2.49], 4.8045],
  [[50, -0.001, 2.49], [50, 0.001, -2.49], 4.8045],
  [[50, -0.001, 2.49], [50, 0.0011, -2.49], 4.7461],
  [[50, 2.5, 0], [50, 0, -2.5], 4.3065],
  [[50, 2.5, 0], [73, 25, -18], 27.1492],
  [[50, 2.5, 0], [61, -5, 29], 22.8977],
  [[50, 2.5, 0], [56, -27, -3], 31.903],
  [[50, 2.5, 0], [58, 24, 15], 19.4535],
  [[50, 2.5, 0], [50, 3.1736, 0.5854], 1.0],
  [[50, 2.5, 0], [50, 3.2972, 0], 1.0],
  [[50, 2.5, 0], [50, 1.8634, 0.5757], 1.0],
  [[50, 2.5, 0], [50, 3.2592, 0.335], 1.0],
  [[60.2574, -34.0099, 36.2677], [60.4626, -34.1751, 39.4387], 1.2644],
  [[63.0109, -31.0961, -5.8663], [62.8187, -29.7946, -4.0864], 1.263],
  [[61.2901, 3.7196, -5.3901], [61.4292, 2.248, -4.962], 1.8731],
  [[35.0831, -44.1164, 3.7933], [35.0232, -40.0716, 1.5901], 1.8645],
  [[22.7233, 20.0904, -46.694], [23.0331, 14.973, -42.5619], 2.0373],
  [[36.4612, 47.858, 18.3852], [36.2715, 50.5065, 21.2231], 1.4146],
  [[90.8027, -2.0831, 1.441], [91.1528, -1.6435, 0.0447], 1.4441],
  [[90.9257, -0.5406, -0.9208], [88.6381, -0.8985, -0.7239], 1.5381],
  [[6.7747, -0.2908, -2.4247], [5.8714, -0.0985, -2.2286], 0.6377],
  [[2.0776, 0.0795, -1.135], [0.9033, -0.0636, -0.5514], 0.9082],
];

describe('CIEDE2000', () => {
  it.each(SHARMA.map((row, i) => [i + 1, ...row] as const))(
    'Sharma pair %i',
    (_, a, b, expected) => {
      expect(deltaE2000(a, b)).toBeCloseTo(expected, 4);
      expect(deltaE2000(b, a)).toBeCloseTo(expected, 4);
    },
  );
});

describe('sRGB → CIELAB (D65)', () => {
  it('matches the textbook values of white, black and the primaries', () => {
    const cases: [string, Lab][] = [
      ['#ffffff', [100, 0, 0]],
      ['#000000', [0, 0, 0]],
      ['#ff0000', [53.24, 80.09, 67.2]],
      ['#00ff00', [87.73, -86.18, 83.18]],
      ['#0000ff', [32.3, 79.19, -107.86]],
    ];
    for (const [hex, lab] of cases) {
      const got = hexToLab(hex);
      lab.forEach((v, k) => expect(got[k], `${hex}[${k}]`).toBeCloseTo(v, 1));
    }
  });
});

describe('WCAG contrast', () => {
  it('black on white is 21:1 and #767676 on white is the 4.54:1 of the WCAG examples', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 6);
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });
});

describe('Machado (2009) dichromacy, severity 1', () => {
  it.each(['deuteranopia', 'protanopia'] as const)('%s keeps neutral greys', (v) => {
    for (const grey of ['#000000', '#404040', '#808080', '#c0c0c0', '#ffffff'])
      expect(simulateHex(grey, v)).toBe(grey);
    for (const row of MACHADO_SEVERITY_1[v])
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  });

  it.each(['deuteranopia', 'protanopia'] as const)('%s collapses one dimension (det ≈ 0)', (v) => {
    const [[a, b, c], [d, e, f], [g, h, i]] = MACHADO_SEVERITY_1[v];
    const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
    expect(Math.abs(det)).toBeLessThan(0.02);
  });

  it('a red and a green of equal lightness nearly merge for dichromats but not for normal vision', () => {
    const red = '#c0582c';
    const green = '#6a8a2c';
    expect(deltaE2000(labUnder(red, 'normal'), labUnder(green, 'normal'))).toBeGreaterThan(25);
    for (const v of ['deuteranopia', 'protanopia'] as const)
      expect(deltaE2000(labUnder(red, v), labUnder(green, v))).toBeLessThan(
        deltaE2000(labUnder(red, 'normal'), labUnder(green, 'normal')) / 2,
      );
  });
});
