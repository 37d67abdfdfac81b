/**
 * Filter axes of the RoBERTa parameters (ParamSpec.filterAxis, Li et al. 2018's filter
 * normalization in the loss slices): one filter per token or position of an embedding table and
 * per output unit of a PyTorch [out, in] weight, so on axis 0 of every matrix.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { filterNormalizedDirection } from '../train/slice';
import { POSITION, robertaParams, robertaShape, TOKEN_TYPE, WORD } from './shape';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const shape = robertaShape({ vocab: 11, hidden: 8, layers: 2, heads: 2, intermediate: 12 });
const specs = robertaParams(shape);

describe('RoBERTa filter axes', () => {
  it('puts the filters of the embedding tables on their rows', () => {
    const rows = { [WORD]: 11, [POSITION]: 514, [TOKEN_TYPE]: 1 };
    for (const [name, n] of Object.entries(rows)) {
      const spec = specs.find((p) => p.name === name)!;
      expect(spec.shape[spec.filterAxis!], name).toBe(n);
    }
  });

  it('has as many filters in each weight matrix as its bias has outputs', () => {
    const matrices = specs.filter((p) => p.shape.length === 2 && p.name.endsWith('.weight'));
    const linears = matrices.filter((p) =>
      specs.some((q) => q.name === p.name.replace(/weight$/, 'bias')),
    );
    expect(linears.length).toBe(2 * 6 + 2); // q, k, v, attention out, FFN in, FFN out per layer; the head's two
    for (const p of linears) {
      const bias = specs.find((q) => q.name === p.name.replace(/weight$/, 'bias'))!;
      expect(p.filterAxis, p.name).toBe(0);
      expect(p.shape[p.filterAxis!], p.name).toBe(bias.shape[0]);
    }
  });

  it('gives each word-embedding row of a slice direction the norm of that row of the weights', async () => {
    const spec = specs.find((p) => p.name === WORD)!;
    const w = tf.tensor2d(
      Array.from({ length: 11 * 8 }, (_, i) => ((i * 7) % 13) - 6 + (i % 8 === 0 ? 20 : 0)),
      [11, 8],
    );
    const d = filterNormalizedDirection({ [WORD]: w }, 3, 1, [spec])[WORD];
    const rowNorms = async (t: tf.Tensor) => (await tf.norm(t, 'euclidean', 1).array()) as number[];
    const want = await rowNorms(w);
    const got = await rowNorms(d);
    got.forEach((g, i) => expect(g).toBeCloseTo(want[i], 4));
    tf.dispose([w, d]);
  });
});
