/**
 * The float32 values of tensors on the backends that keep them in the page's own memory (cpu: a
 * Float32Array per tensor; wasm: a range of the wasm heap), read and written in place by plain
 * JavaScript. TensorOptimizer's host step (./hostStep) runs the optimizer's own work this way:
 * a loop over the arrays instead of a dozen tfjs kernels per parameter tensor, each paying the
 * engine's per-kernel cost and allocating its output.
 *
 * Reading follows each backend's kernel convention (cpu: `backend.data.get(dataId).values`;
 * wasm: `typedArrayFromHeap`); both move a tensor's data to the backend first if it lives
 * elsewhere. A wasm view is only valid until the next allocation on the heap (which may grow
 * and move it): allocate every output first, then take the views.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** How the backend's Sum kernel accumulates a float32 tensor (the op path's norm uses it). */
export type SumMode = 'float64' | 'float32';

export interface HostArrays {
  /** 'float64': cpu's Sum adds in doubles and rounds once; 'float32': wasm's adds in float32, in order */
  sum: SumMode;
  /** the values of a float32 tensor, without copying (read only: tensors are immutable) */
  read(t: tf.Tensor): Float32Array;
  /** a new float32 tensor of `shape`; write its values through `read` before anyone uses it */
  alloc(shape: number[]): tf.Tensor;
}

interface CpuBackendLike {
  data: { get(dataId: object): { values?: unknown } };
  makeOutput(values: Float32Array, shape: number[], dtype: 'float32'): tf.Tensor;
}

function checked(values: unknown, t: tf.Tensor): Float32Array {
  if (!(values instanceof Float32Array))
    throw new Error(`host step: a ${t.dtype} tensor of shape [${t.shape}] has no float32 values`);
  return values;
}

const cpuArrays = (backend: CpuBackendLike): HostArrays => ({
  sum: 'float64',
  read: (t) => checked(backend.data.get(t.dataId).values, t),
  alloc: (shape) =>
    backend.makeOutput(new Float32Array(tf.util.sizeFromShape(shape)), shape, 'float32'),
});

const wasmArrays = (backend: BackendWasm): HostArrays => ({
  sum: 'float32',
  read: (t) => checked(backend.typedArrayFromHeap(t), t),
  alloc: (shape) => tf.engine().makeTensorFromTensorInfo(backend.makeOutput(shape, 'float32')),
});

/** The arrays of the current backend, or null where tensors live on a GPU (webgl, webgpu). */
export function hostArrays(): HostArrays | null {
  const name = tf.getBackend();
  if (name === 'cpu') return cpuArrays(tf.backend() as unknown as CpuBackendLike);
  if (name === 'wasm') return wasmArrays(tf.backend() as unknown as BackendWasm);
  return null;
}
