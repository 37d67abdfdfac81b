/**
 * The palette rule of decisions.md ("Teaching and accessibility"): CIEDE2000 ≥ 15 between run
 * colours and ≥ 10 between a run colour and a vector colour, for normal vision and under
 * deuteranopia and protanopia (Machado 2009, severity 1); colours by family, not position;
 * contrast on the page background (3:1 for lines, 4.5:1 for the vector colours, which colour
 * text in the equations).
 */
import { describe, expect, it } from 'vitest';
import { FAMILY_NAMES } from '../optim/config';
import { contrastRatio, deltaE2000 } from './ciede2000';
import { labUnder, VISIONS } from './cvd';
import { DASHES, GROUP_COLORS, MARKERS, runStyles, VECTOR_COLORS } from './palette';

const runs = Object.entries(GROUP_COLORS);
const vectors = Object.entries(VECTOR_COLORS);
const PAGE = '#fbfbfd';

describe('palette', () => {
  it.each(VISIONS)('run colours are ≥ 15 apart (ΔE00, %s)', (v) => {
    for (let i = 0; i < runs.length; i++)
      for (let j = i + 1; j < runs.length; j++) {
        const d = deltaE2000(labUnder(runs[i][1], v), labUnder(runs[j][1], v));
        expect(d, `${runs[i][0]} vs ${runs[j][0]}`).toBeGreaterThanOrEqual(15);
      }
  });

  it.each(VISIONS)('every vector colour is ≥ 10 from every run colour (ΔE00, %s)', (v) => {
    for (const [r, rc] of runs)
      for (const [n, vc] of vectors) {
        const d = deltaE2000(labUnder(rc, v), labUnder(vc, v));
        expect(d, `${r} vs ${n}`).toBeGreaterThanOrEqual(10);
      }
  });

  it.each(VISIONS)('vector colours are ≥ 10 apart from each other (ΔE00, %s)', (v) => {
    for (let i = 0; i < vectors.length; i++)
      for (let j = i + 1; j < vectors.length; j++) {
        const d = deltaE2000(labUnder(vectors[i][1], v), labUnder(vectors[j][1], v));
        expect(d, `${vectors[i][0]} vs ${vectors[j][0]}`).toBeGreaterThanOrEqual(10);
      }
  });

  it('run colours reach 3:1 and vector colours 4.5:1 on the page background', () => {
    for (const [n, c] of runs) expect(contrastRatio(c, PAGE), n).toBeGreaterThanOrEqual(3);
    for (const [n, c] of vectors) expect(contrastRatio(c, PAGE), n).toBeGreaterThanOrEqual(4.5);
  });

  it('a colour follows the optimizer, not its place in the list', () => {
    const a = runStyles(['sgd', 'amsgrad', 'sam', 'adasam']);
    const b = runStyles(['adasam', 'sam', 'sgd', 'amsgrad']);
    expect(b[0].color).toBe(a[3].color);
    expect(b[1].color).toBe(a[2].color);
    expect(b[2].color).toBe(a[0].color);
    expect(b[3].color).toBe(a[1].color);
    expect(new Set(a.map((s) => s.color)).size).toBe(4);
  });

  it('variants of one family share the colour and differ in dash; every run differs in style', () => {
    const s = runStyles(['sgd', 'sgdm', 'adam', 'amsgrad']);
    expect(s[0].color).toBe(s[1].color);
    expect(s[0].dash).not.toBe(s[1].dash);
    expect(s[2].color).toBe(s[3].color);
    expect(s[2].dash).not.toBe(s[3].dash);
    for (const fams of [
      ['adasam', 'adasam', 'adasam'],
      FAMILY_NAMES,
      ['sam', 'samm', 'asam', 'sam', 'sam', 'sam', 'sam', 'sam'],
    ] as const) {
      const st = runStyles(fams);
      const keys = st.map((x) => `${x.color}|${x.dash}|${x.marker}`);
      expect(new Set(keys).size, fams.join(',')).toBe(fams.length);
      expect(new Set(st.map((x) => x.marker)).size).toBe(Math.min(fams.length, MARKERS.length));
    }
    const three = runStyles(['adasam', 'adasam', 'adasam']);
    expect(new Set(three.map((x) => x.dash)).size).toBe(3);
    expect(DASHES[0]).toBe('');
  });
});
