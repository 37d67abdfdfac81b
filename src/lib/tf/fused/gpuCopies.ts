/**
 * Buffer copies between tensors on the tfjs WebGPU backend: copyBufferToBuffer recorded into the
 * backend's own command encoder, so that each copy runs after every dispatch recorded before it
 * and before every one after it (queue order), and is not a dispatch. The fused step uses them to
 * gather all parameter tensors into one flat buffer, scatter a flat result back into per-tensor
 * tensors, and commit packed state.
 *
 * The encoder and the set of buffers a pending command uses are private fields of tfjs-webgpu
 * 4.22's WebGPUBackend (backend_webgpu.ts); its own copies (readToGPU, getBufferData) use them the
 * same way: ensureCommandEncoderReady, endComputePassEncoder, copyBufferToBuffer, and a data id in
 * commandQueueOwnedIds so that disposing its tensor waits for the next submit.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';

/** The fields of tfjs-webgpu's WebGPUBackend that TypeScript declares private. */
interface EncoderFields {
  commandEncoder: GPUCommandEncoder | null;
  commandQueueOwnedIds: WeakSet<object>;
}

export const gpuBackend = (): WebGPUBackend => tf.backend() as unknown as WebGPUBackend;

/** A new float32 tensor of `shape` with a GPU buffer of its own, unwritten. */
export function emptyTensor(shape: number[]): tf.Tensor {
  const backend = gpuBackend();
  const info = backend.makeTensorInfo(shape, 'float32');
  backend.uploadToGPU(info.dataId);
  return tf.engine().makeTensorFromTensorInfo(info);
}

/** `count` float32 entries of `src` from `srcAt` to `dst` from `dstAt` (offsets in entries). */
export interface Copy {
  src: tf.Tensor;
  srcAt: number;
  dst: tf.Tensor;
  dstAt: number;
  count: number;
}

function bufferOf(backend: WebGPUBackend, t: tf.Tensor): GPUBuffer {
  if (t.dtype !== 'float32') throw new Error(`fused step: expected float32, got ${t.dtype}`);
  // a tensor still on the CPU (tfjs runs small ops there) gets its buffer now; its upload is
  // recorded into the same encoder, so it runs before the copy
  backend.uploadToGPU(t.dataId);
  const resource = backend.tensorMap.get(t.dataId).resource;
  if (!(resource instanceof GPUBuffer))
    throw new Error('fused step: tensor is not in a GPU buffer');
  return resource;
}

/** Records the copies in order after everything tfjs has recorded so far. */
export function copyRanges(copies: Copy[]): void {
  const backend = gpuBackend();
  const buffers = copies.map((c) => [bufferOf(backend, c.src), bufferOf(backend, c.dst)] as const);
  const fields = backend as unknown as EncoderFields;
  backend.ensureCommandEncoderReady();
  backend.endComputePassEncoder();
  const encoder = fields.commandEncoder!;
  copies.forEach((c, i) => {
    if (c.count === 0) return;
    const [src, dst] = buffers[i];
    encoder.copyBufferToBuffer(src, 4 * c.srcAt, dst, 4 * c.dstAt, 4 * c.count);
    fields.commandQueueOwnedIds.add(c.src.dataId);
    fields.commandQueueOwnedIds.add(c.dst.dataId);
  });
}

/** A new tensor of `shape` holding `src`'s entries from `at` on. */
export function sliceOf(src: tf.Tensor, at: number, shape: number[]): tf.Tensor {
  const out = emptyTensor(shape);
  copyRanges([{ src, srcAt: at, dst: out, dstAt: 0, count: out.size }]);
  return out;
}
