/**
 * Counting the GPU dispatches of some work on the WebGPU backend (for the benchmark and the
 * parity test): every compute dispatch of tfjs-webgpu, built-in kernels and custom programs
 * alike, goes through the backend's recordAndSubmit once.
 */
import * as tf from '@tensorflow/tfjs';

type Recorder = { recordAndSubmit: (...args: unknown[]) => unknown };

export async function countDispatches<T>(
  work: () => Promise<T> | T,
): Promise<{ result: T; dispatches: number }> {
  const backend = tf.backend() as unknown as Recorder;
  const original = backend.recordAndSubmit;
  let dispatches = 0;
  backend.recordAndSubmit = function (this: unknown, ...args: unknown[]) {
    dispatches++;
    return original.apply(this, args);
  };
  try {
    return { result: await work(), dispatches };
  } finally {
    backend.recordAndSubmit = original;
  }
}
