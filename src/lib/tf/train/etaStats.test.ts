/**
 * etaStatistics on cpu and wasm, where it reads η through views of the tensors' own arrays
 * (host/hostArrays.ts) instead of copies: each group's min, median and max against sorting the
 * group's log10 η (an independent computation from the raw values), every coordinate counted
 * once, the heatmap of a matrix small enough to need no pooling equal to its log10 η, and no
 * readback of any tensor.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeRng } from '../../math/rng';
import { useWasm } from '../roberta/tinyModel';
import { etaStatistics } from './etaStats';

afterAll(() => tf.setBackend('cpu'));

const rng = makeRng(11);
/** η-like values over several decades: 1/(√v + ε) */
const etaValues = (n: number) =>
  Float32Array.from({ length: n }, () => 1 / (Math.sqrt(rng.uniform() * 1e-4) + 1e-8));
const SHAPES: Record<string, number[]> = { emb: [50, 8], w: [6, 9], b: [9], head: [9, 5] };
const GROUPS: Record<string, string> = { emb: 'embed', w: 'block0', b: 'block0', head: 'head' };
const VALUES = Object.fromEntries(
  Object.entries(SHAPES).map(([k, s]) => [k, etaValues(tf.util.sizeFromShape(s))]),
);

const log10s = (a: Float32Array) => Float32Array.from(a, (x) => Math.log10(x));

describe.each(['cpu', 'wasm'])('etaStatistics on %s', (backend) => {
  beforeAll(async () => {
    if (backend === 'wasm') await useWasm();
    else await tf.setBackend('cpu');
  });

  it('per group: min, median and max of log10 η as sorting gives them; every coordinate once', async () => {
    const eta = Object.fromEntries(
      Object.entries(VALUES).map(([k, v]) => [k, tf.tensor(v, SHAPES[k])]),
    );
    const { histograms, heatmap } = await etaStatistics(eta, GROUPS, 'w', 20);
    expect(histograms.map((h) => h.group)).toEqual(['embed', 'block0', 'head']);
    for (const h of histograms) {
      const keys = Object.keys(GROUPS).filter((k) => GROUPS[k] === h.group);
      const sorted = Float32Array.from(keys.flatMap((k) => Array.from(log10s(VALUES[k])))).sort();
      expect([h.min, h.median, h.max], h.group).toEqual([
        sorted[0],
        sorted[sorted.length >> 1],
        sorted[sorted.length - 1],
      ]);
      expect(h.counts.reduce((a, c) => a + c, 0)).toBe(sorted.length);
    }
    // 6 × 9 fits the 64 × 64 grid: one coordinate per cell
    expect(heatmap!.gridShape).toEqual([6, 9]);
    expect(Array.from(heatmap!.log10Eta)).toEqual(Array.from(log10s(VALUES.w)));
    tf.dispose(Object.values(eta));
  });

  it('reads no tensor back (no data() copy) and runs no kernel', async () => {
    const eta = Object.fromEntries(
      Object.entries(VALUES).map(([k, v]) => [k, tf.tensor(v, SHAPES[k])]),
    );
    const data = vi.spyOn(tf.Tensor.prototype, 'data');
    const dataSync = vi.spyOn(tf.Tensor.prototype, 'dataSync');
    const profile = await tf.profile(async () => {
      await etaStatistics(eta, GROUPS, 'head');
    });
    expect(data).not.toHaveBeenCalled();
    expect(dataSync).not.toHaveBeenCalled();
    expect(profile.kernels).toEqual([]);
    data.mockRestore();
    dataSync.mockRestore();
    tf.dispose(Object.values(eta));
  });
});
