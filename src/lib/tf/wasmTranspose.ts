/**
 * A Transpose kernel for tfjs-backend-wasm that moves the innermost axis in JavaScript, a tile at
 * a time. wasm 4.22 transposes element by element with an index computation each: measured on
 * the project's 2-core machine, [1024, 256] → [256, 1024] took 2.2 ms (a [1024, 256]·[256, 64]
 * product takes 1 ms), and the lab's matMul gradient transposes one operand of each product
 * (model/matMul.ts). This one: 0.55 ms in Node for the same transposition. Every bit is copied as
 * it is. Permutations that keep the innermost axis in place copy whole rows and stay
 * with the package's kernel (fast there).
 */
import * as tf from '@tensorflow/tfjs';
import { bits, COPIED, heapOf, replaceWasmKernel } from './wasmHeap';

const TILE = 64;

/**
 * The same transposition on fewer axes: axes of size 1 dropped and axes that stay next to each
 * other in the same order merged. E.g. [32, 32, 64] with perm [2, 0, 1] → [1024, 64] with [1, 0].
 */
export function collapse(
  shape: readonly number[],
  perm: readonly number[],
): { shape: number[]; perm: number[] } {
  const kept = perm.filter((a) => shape[a] !== 1);
  const groups: number[][] = []; // runs of input axes that stay consecutive in the output
  for (const a of kept) {
    const last = groups[groups.length - 1];
    if (last && last[last.length - 1] + 1 === a) last.push(a);
    else groups.push([a]);
  }
  const byInput = [...groups].sort((g, h) => g[0] - h[0]);
  return {
    shape: byInput.map((g) => g.reduce((n, a) => n * shape[a], 1)),
    perm: groups.map((g) => byInput.indexOf(g)),
  };
}

/**
 * out[b, c, r] = x[b, r, c] for `batches` matrices of rows × cols, in tiles of TILE × TILE; within
 * a tile each output row is written in order. (Writing along the input's rows instead, each write
 * a row of the output apart, was 4× slower for [1024, 256]: with power-of-two rows those writes
 * fall into one cache set.)
 */
export function transposeTiles(
  x: Int32Array | Uint8Array,
  out: Int32Array | Uint8Array,
  batches: number,
  rows: number,
  cols: number,
): void {
  const size = rows * cols;
  for (let b = 0, base = 0; b < batches; b++, base += size)
    for (let r0 = 0; r0 < rows; r0 += TILE) {
      const r1 = Math.min(rows, r0 + TILE);
      for (let c0 = 0; c0 < cols; c0 += TILE) {
        const c1 = Math.min(cols, c0 + TILE);
        for (let c = c0; c < c1; c++) {
          const to = base + c * rows;
          for (let r = r0; r < r1; r++) out[to + r] = x[base + r * cols + c];
        }
      }
    }
}

const transpose =
  (original: tf.KernelFunc): tf.KernelFunc =>
  (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    const { perm } = args.attrs as unknown as { perm: number[] };
    const c = collapse(x.shape, perm);
    const batched = c.perm.length === 3 && c.perm[0] === 0 && c.perm[1] === 2;
    const plain = c.perm.length === 2 && c.perm[0] === 1;
    if (!COPIED.has(x.dtype) || !(batched || plain)) return original(args);
    const heap = heapOf(args.backend);
    const out = heap.makeOutput(
      perm.map((a) => x.shape[a]),
      x.dtype,
    );
    const [batches, rows, cols] = batched ? c.shape : [1, ...c.shape];
    transposeTiles(
      bits(heap.typedArrayFromHeap(x)),
      bits(heap.typedArrayFromHeap(out)),
      batches,
      rows,
      cols,
    );
    return out;
  };

/** Replaces wasm's Transpose (after the wasm package registered its kernels). */
export function tileWasmTransposes(): void {
  replaceWasmKernel('Transpose', transpose);
}
