/**
 * A buffer-sharing Identity kernel for tfjs-backend-wasm. tfjs-core clones (Identity) every tensor
 * a gradient saves for the backward pass, and wasm 4.22's Identity copies its input, so on wasm
 * each saved activation and weight was held twice during a gradient pass (the RoBERTa encoder's
 * custom matMul and rematerialisation save weights too). The cpu backend's Identity shares the
 * buffer instead, as this one does: tensors are immutable, and Variable.assign swaps a variable's
 * buffer rather than writing into it.
 */
import * as tf from '@tensorflow/tfjs';

interface RefCounting {
  incRef(dataId: object): void;
}

const sharedIdentity: tf.KernelFunc = ({ inputs, backend }) => {
  const x = inputs.x as tf.TensorInfo;
  (backend as unknown as RefCounting).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

/** Replaces wasm's Identity by the sharing one (after the wasm package registered its kernels). */
export function shareWasmIdentity(): void {
  if (tf.getKernel('Identity', 'wasm')?.kernelFunc === sharedIdentity) return;
  if (tf.getKernel('Identity', 'wasm')) tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({ kernelName: 'Identity', backendName: 'wasm', kernelFunc: sharedIdentity });
}
