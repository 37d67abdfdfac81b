/**
 * What the project's wasm kernels (wasmSlice, wasmTranspose, wasmSum) use of tfjs-backend-wasm's
 * backend, and how they replace a kernel of the package.
 */
import * as tf from '@tensorflow/tfjs';

export type HeapArray = Float32Array | Int32Array | Uint8Array;

/** The parts of tfjs-backend-wasm's BackendWasm the kernels use. */
export interface WasmHeap {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  /**
   * A view of a tensor's values on the heap. It is valid until the next allocation on the heap
   * (which may grow and move it): make every output first, then take the views.
   */
  typedArrayFromHeap(t: tf.TensorInfo): HeapArray;
}

/** The dtypes whose values the kernels copy bit for bit (the others stay with the package's kernels). */
export const COPIED: ReadonlySet<tf.DataType> = new Set<tf.DataType>(['float32', 'int32', 'bool']);

export const heapOf = (backend: unknown): WasmHeap => backend as WasmHeap;

/** The same bytes as 32-bit integers (float32 and int32 tensors): copies keep every bit, NaN payloads too. */
export const bits = (a: HeapArray): Int32Array | Uint8Array =>
  a instanceof Uint8Array ? a : new Int32Array(a.buffer, a.byteOffset, a.length);

const ours = new WeakSet<tf.KernelFunc>();

/** Whether wasm's `name` is one of these replacements (the lab worker's test hook reports it). */
export const isReplacedWasmKernel = (name: string): boolean => {
  const config = tf.getKernel(name, 'wasm');
  return config !== undefined && ours.has(config.kernelFunc);
};

/**
 * Registers `make(original)` as wasm's `name` in place of the package's kernel `original`, which
 * the replacement calls for the cases it leaves to it. The package's setup stays (kernels that call
 * each other directly need it to have run). Once per kernel; a later call changes nothing. Returns
 * false when the package has not registered the kernel.
 */
export function replaceWasmKernel(
  name: string,
  make: (original: tf.KernelFunc) => tf.KernelFunc,
): boolean {
  const config = tf.getKernel(name, 'wasm');
  if (!config) return false;
  if (ours.has(config.kernelFunc)) return true;
  const kernelFunc = make(config.kernelFunc);
  ours.add(kernelFunc);
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...config, kernelFunc });
  return true;
}
