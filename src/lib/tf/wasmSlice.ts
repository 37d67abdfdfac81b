/**
 * Slice, SplitV and Unpack kernels for tfjs-backend-wasm that read their input through a view of
 * the wasm heap. wasm 4.22's Slice first copies the whole input out of the heap into a new
 * ArrayBuffer (`readSync`), then copies the block it wants; SplitV and Unpack run that Slice once
 * per output. Allocating a large ArrayBuffer is slow in Chromium: measured on the project's 2-core
 * machine, a new 768 KiB array took 4–5 ms there (0.2–1 ms in Node) while copying into an existing
 * one took 0.02 ms. On the lab's benchmark model the two SplitVs of the attention's q, k and v took
 * 18 ms of an 84 ms gradient pass in Chromium. These kernels allocate nothing in JavaScript: the
 * output is made on the heap first, then the block is copied from a view of the input, one
 * contiguous run at a time, bit for bit.
 */
import * as tf from '@tensorflow/tfjs';
import { bits, COPIED, heapOf, replaceWasmKernel, type HeapArray } from './wasmHeap';

/**
 * Copies x[begin : begin + size] (row-major x of shape xShape) into out. The trailing axes taken
 * whole, with the last axis that is not, form one contiguous run of x; the runs are visited in
 * row-major order of the remaining leading axes.
 */
export function copyBlock(
  x: HeapArray,
  xShape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
  out: HeapArray,
): void {
  if (size.some((n) => n === 0)) return;
  const [from, to] = [bits(x), bits(out)];
  const rank = xShape.length;
  const strides = new Array<number>(rank);
  for (let i = rank - 1, s = 1; i >= 0; s *= xShape[i], i--) strides[i] = s;
  let d = rank - 1; // axes after d are taken whole
  while (d >= 0 && begin[d] === 0 && size[d] === xShape[d]) d--;
  if (d < 0) {
    to.set(from.subarray(0, to.length));
    return;
  }
  const run = size[d] * strides[d];
  let start = 0;
  for (let i = 0; i < rank; i++) start += begin[i] * strides[i];
  const index = new Array<number>(d).fill(0); // position over the leading axes 0..d−1
  for (let o = 0; o < to.length; o += run) {
    let at = start;
    for (let i = 0; i < d; i++) at += index[i] * strides[i];
    to.set(from.subarray(at, at + run), o);
    for (let i = d - 1; i >= 0 && ++index[i] === size[i]; i--) index[i] = 0;
  }
}

function sliceOf(
  backend: unknown,
  x: tf.TensorInfo,
  begin: number[],
  size: number[],
): tf.TensorInfo {
  const heap = heapOf(backend);
  const out = heap.makeOutput(size, x.dtype);
  copyBlock(heap.typedArrayFromHeap(x), x.shape, begin, size, heap.typedArrayFromHeap(out));
  return out;
}

const slice =
  (original: tf.KernelFunc): tf.KernelFunc =>
  (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (!COPIED.has(x.dtype)) return original(args);
    const { begin, size } = args.attrs as unknown as {
      begin: number | number[];
      size?: number | number[];
    };
    const [b, s] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
    return sliceOf(args.backend, x, b, s);
  };

const splitV =
  (original: tf.KernelFunc): tf.KernelFunc =>
  (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (!COPIED.has(x.dtype)) return original(args);
    const { numOrSizeSplits, axis } = args.attrs as unknown as {
      numOrSizeSplits: number | number[];
      axis: number;
    };
    const ax = tf.util.parseAxisParam(axis, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, ax);
    const begin = new Array<number>(x.shape.length).fill(0);
    return sizes.map((n) => {
      const size = [...x.shape];
      size[ax] = n;
      const out = sliceOf(args.backend, x, [...begin], size);
      begin[ax] += n;
      return out;
    });
  };

const unpack =
  (original: tf.KernelFunc): tf.KernelFunc =>
  (args) => {
    const value = args.inputs.value as tf.TensorInfo;
    if (!COPIED.has(value.dtype)) return original(args);
    let { axis } = args.attrs as unknown as { axis: number };
    if (axis < 0) axis += value.shape.length;
    const shape = value.shape.filter((_, i) => i !== axis);
    const size = value.shape.map((n, j) => (j === axis ? 1 : n));
    return Array.from({ length: value.shape[axis] }, (_, i) => {
      const begin = value.shape.map((_, j) => (j === axis ? i : 0));
      const { dataId, dtype } = sliceOf(args.backend, value, begin, size);
      return { dataId, dtype, shape };
    });
  };

/** Replaces wasm's Slice, SplitV and Unpack (after the wasm package registered its kernels). */
export function viewWasmSlices(): void {
  replaceWasmKernel('Slice', slice);
  replaceWasmKernel('SplitV', splitV);
  replaceWasmKernel('Unpack', unpack);
}
