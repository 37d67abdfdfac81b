/**
 * The project's wasm kernels against tfjs-backend-wasm's own (the oracle: the package's kernels,
 * registered again for the comparison): the same bits for random shapes, blocks, permutations and
 * axes, float32 values with NaNs, infinities, signed zeros and subnormals, int32 and bool; and the lab's
 * transformer gradient, bit for bit. The slices read no copy of their input (readSync), which is
 * what made them slow in Chromium.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRng, type Rng } from '../math/rng';
import { useWasm } from './roberta/tinyModel';
import { copyBlock } from './wasmSlice';
import { collapse } from './wasmTranspose';
import { forward, initParams } from './model/transformer';
import { crossEntropy } from './model/losses';
import { mapValueAndGrad } from './maps';
import type { ModelSettings } from '../lab/types';

const NAMES = ['Slice', 'SplitV', 'Unpack', 'Transpose', 'Sum'];
type Kernels = Record<string, tf.KernelConfig>;
let packages: Kernels;
let ours: Kernels;

function use(kernels: Kernels): void {
  for (const name of NAMES) {
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(kernels[name]);
  }
}

beforeAll(async () => {
  await import('@tensorflow/tfjs-backend-wasm');
  const snapshot = () => Object.fromEntries(NAMES.map((n) => [n, tf.getKernel(n, 'wasm')!]));
  packages = snapshot(); // the package's kernels, before useWasm replaces some
  await useWasm();
  ours = snapshot();
});
afterAll(() => {
  use(ours);
  return tf.setBackend('cpu');
});

/** Float32 bits that catch any reordering or conversion: NaN payloads, ±0, ±∞, subnormals. */
function floats(rng: Rng, n: number): Float32Array {
  const bits = new Int32Array(n);
  const special = [0x7fc00001, 0x7fa00000, 0xffc12345, 0x80000000, 0, 0x7f800000, 0xff800000, 1];
  for (let i = 0; i < n; i++)
    bits[i] =
      rng.uniform() < 0.05
        ? special[rng.int(special.length)]
        : new Int32Array(new Float32Array([(rng.normal() * 10 ** rng.int(6)) / 7]).buffer)[0];
  return new Float32Array(bits.buffer);
}

function tensorOf(rng: Rng, shape: number[], dtype: 'float32' | 'int32' | 'bool'): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  if (dtype === 'float32') return tf.tensor(floats(rng, n), shape, 'float32');
  if (dtype === 'int32')
    return tf.tensor(
      Int32Array.from({ length: n }, () => rng.int(2 ** 31) - 2 ** 30),
      shape,
      'int32',
    );
  return tf.tensor(
    Uint8Array.from({ length: n }, () => rng.int(2)),
    shape,
    'bool',
  );
}

/**
 * The output's bits under the package's kernels and under ours (the same work, run twice). A NaN
 * is compared as NaN, whatever its payload: the package's rank-5 Slice copies values through
 * JavaScript numbers, and which operand's payload a NaN sum carries is left open by IEEE 754.
 */
async function bothWays(work: () => tf.Tensor | tf.Tensor[]): Promise<[number[][], number[][]]> {
  const run = async (kernels: Kernels) => {
    use(kernels);
    tf.fill([1 << 20], 0x7654321, 'int32').dispose(); // a freed block reused holds none of a previous output's values
    const out = [work()].flat();
    const bits = await Promise.all(
      out.map(async (t) => {
        const v = await t.data();
        const view =
          v instanceof Float32Array ? new Int32Array(v.buffer, v.byteOffset, v.length) : v;
        const values = Array.from(view as ArrayLike<number>, (b, i) =>
          v instanceof Float32Array && Number.isNaN(v[i]) ? NaN : b,
        );
        return [...t.shape, -1, ...values];
      }),
    );
    tf.dispose(out);
    return bits;
  };
  const b = await run(ours); // first: no output of the package's kernels has been on the heap
  const a = await run(packages);
  return [a, b];
}

const randomShape = (rng: Rng, rank: number) =>
  Array.from({ length: rank }, () => (rng.uniform() < 0.2 ? 1 : 1 + rng.int(7)));
const DTYPES = ['float32', 'int32', 'bool'] as const;

describe('the project’s wasm kernels give the package’s bits', () => {
  it('are in place of the package’s after useWasm', () => {
    for (const name of NAMES) expect(ours[name].kernelFunc).not.toBe(packages[name].kernelFunc);
  });

  it('Slice: 300 random blocks of rank 1–5 tensors', async () => {
    const rng = makeRng(11);
    for (let trial = 0; trial < 300; trial++) {
      const shape = randomShape(rng, 1 + rng.int(5));
      const begin = shape.map((n) => rng.int(n));
      const size = shape.map((n, i) => (rng.uniform() < 0.15 ? -1 : rng.int(n - begin[i] + 1)));
      const x = tensorOf(rng, shape, DTYPES[trial % 3]);
      const [want, got] = await bothWays(() => tf.slice(x, begin, size));
      expect(got, `slice of [${shape}] at [${begin}] size [${size}]`).toEqual(want);
      x.dispose();
    }
  });

  it('SplitV and Unpack along every axis', async () => {
    const rng = makeRng(12);
    for (let trial = 0; trial < 120; trial++) {
      const shape = randomShape(rng, 1 + rng.int(5));
      const axis = rng.int(shape.length);
      const x = tensorOf(rng, shape, DTYPES[trial % 3]);
      const cut = rng.int(shape[axis] + 1);
      const [want, got] = await bothWays(() => [
        ...tf.split(x, [cut, shape[axis] - cut], axis),
        ...tf.unstack(x, axis),
      ]);
      expect(got, `split/unstack of [${shape}] on axis ${axis}`).toEqual(want);
      x.dispose();
    }
  });

  it('Transpose: 300 random permutations of rank 1–5 tensors, and the model’s large ones', async () => {
    const rng = makeRng(13);
    const cases: [number[], number[]][] = [
      [
        [1024, 256],
        [1, 0],
      ],
      [
        [300, 70],
        [1, 0],
      ],
      [
        [5, 130, 66],
        [0, 2, 1],
      ],
      [
        [32, 32, 4, 16],
        [0, 2, 1, 3],
      ],
    ];
    for (let trial = 0; trial < 300; trial++) {
      const shape = randomShape(rng, 1 + rng.int(5));
      const perm = shape.map((_, i) => i);
      for (let i = perm.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [perm[i], perm[j]] = [perm[j], perm[i]];
      }
      cases.push([shape, perm]);
    }
    for (const [i, [shape, perm]] of cases.entries()) {
      const x = tensorOf(rng, shape, DTYPES[i % 3]);
      const [want, got] = await bothWays(() => tf.transpose(x, perm));
      expect(got, `transpose of [${shape}] by [${perm}]`).toEqual(want);
      x.dispose();
    }
  });

  it('Sum over leading axes (and others, left to the package), with and without keepDims', async () => {
    const rng = makeRng(14);
    const cases: [number[], number[]][] = [
      [[1024, 256], [0]],
      [
        [32, 32, 64],
        [0, 1],
      ],
    ];
    for (let trial = 0; trial < 200; trial++) {
      const shape = randomShape(rng, 1 + rng.int(4));
      const axes = shape.map((_, i) => i).filter(() => rng.uniform() < 0.5);
      cases.push([shape, axes.length ? axes : [0]]);
    }
    for (const [i, [shape, axes]] of cases.entries()) {
      const x = tensorOf(rng, shape, 'float32');
      const [want, got] = await bothWays(() => tf.sum(x, axes, i % 2 === 1));
      expect(got, `sum of [${shape}] over [${axes}]`).toEqual(want);
      x.dispose();
    }
  });

  it('the lab transformer’s loss and gradient, bit for bit', async () => {
    const s: ModelSettings = {
      layers: 2,
      dModel: 32,
      heads: 4,
      mlp: 64,
      dropout: 0,
      vocab: 40,
      seqLen: 12,
      head: 'classify',
      classes: 40,
    };
    const rng = makeRng(15);
    const tokens = tf.tensor2d(
      Int32Array.from({ length: 8 * 12 }, () => rng.int(40)),
      [8, 12],
      'int32',
    );
    const labels = tf.tensor1d(
      Int32Array.from({ length: 8 }, () => rng.int(40)),
      'int32',
    );
    const params = initParams(s, 3);
    const vg = mapValueAndGrad(
      (p) => crossEntropy(forward(p, tokens, s), labels, s.classes),
      Object.keys(params),
    );
    const [want, got] = await bothWays(() => {
      const { loss, grad } = vg(params);
      return [loss, ...Object.values(grad)];
    });
    expect(got).toEqual(want);
    tf.dispose([tokens, labels, ...Object.values(params)]);
  });
});

describe('the slices read their input in place', () => {
  it('never copies the whole input out of the heap', () => {
    use(ours);
    const backend = tf.backend() as unknown as { readSync: (...a: unknown[]) => unknown };
    const readSync = backend.readSync;
    let reads = 0;
    backend.readSync = (...a: unknown[]) => {
      reads++;
      return readSync.apply(backend, a);
    };
    try {
      const x = tf.range(0, 24).reshape([2, 3, 4]);
      tf.dispose([tf.slice(x, [0, 1, 1], [2, 2, 2]), ...tf.split(x, 2, 2), ...tf.unstack(x, 1), x]);
      expect(reads).toBe(0);
      use(packages);
      const y = tf.range(0, 24).reshape([2, 3, 4]);
      tf.dispose([tf.slice(y, [0, 1, 1], [2, 2, 2]), y]);
      expect(reads).toBe(1); // the package's Slice: one copy of its whole input
    } finally {
      backend.readSync = readSync;
      use(ours);
    }
  });
});

describe('helpers', () => {
  it('collapse drops size-1 axes and merges axes that stay together', () => {
    expect(collapse([32, 32, 64], [2, 0, 1])).toEqual({ shape: [1024, 64], perm: [1, 0] });
    expect(collapse([32, 32, 4, 16], [0, 2, 1, 3])).toEqual({
      shape: [32, 32, 4, 16],
      perm: [0, 2, 1, 3],
    });
    expect(collapse([5, 1, 3], [2, 1, 0])).toEqual({ shape: [5, 3], perm: [1, 0] });
    expect(collapse([2, 3, 4, 5], [0, 1, 3, 2])).toEqual({ shape: [6, 4, 5], perm: [0, 2, 1] });
    expect(collapse([2, 3], [0, 1])).toEqual({ shape: [6], perm: [0] });
  });

  it('copyBlock copies a hand-checked block', () => {
    const x = Float32Array.from({ length: 24 }, (_, i) => i); // [2, 3, 4]
    const out = new Float32Array(4);
    copyBlock(x, [2, 3, 4], [1, 1, 2], [1, 2, 2], out);
    expect([...out]).toEqual([18, 19, 22, 23]);
  });
});
