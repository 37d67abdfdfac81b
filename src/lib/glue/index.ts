/**
 * GLUE library (issue 8; spec docs: shared/spec/glue.md). Plain TypeScript, no TF.js: it runs in the
 * browser and in Node. Every bad input throws a GlueInputError with a one-line message.
 *
 * Checkpoints (§1):
 * - `openSafetensors(source)` → `{tensors, metadata, read(name) → Promise<Float32Array>}`; sources:
 *   `bytesSource(ArrayBuffer | Uint8Array)`, `blobSource(Blob | File)`, and in Node
 *   `fileSource(path)` / `openSafetensorsFile(path)` from './safetensorsNode' (not re-exported here,
 *   so that the browser bundle never imports node:fs).
 * - `writeSafetensors(tensors)` / `safetensorsParts(tensors)`: float32 checkpoints with HF names.
 * - `readConfig(json | text)` → RobertaConfig (defaults of §1.1, clear rejections).
 * - `planWeights(config, st.tensors, numLabels)` → which file tensor feeds which parameter, and
 *   whether the head is loaded or to be initialised (`notes` say why).
 */
export { type ByteSource, blobSource, bytesSource } from './bytes';
export { GlueInputError } from './errors';
export { DTYPE_BYTES, FLOAT_DTYPES, decodeToFloat32 } from './dtypes';
export { MAX_HEADER_BYTES, openSafetensors, parseHeader } from './safetensors';
export type { SafetensorsFile, SafetensorsIndex, TensorInfo } from './safetensors';
export {
  concatParts,
  safetensorsParts,
  writeSafetensors,
  type NamedTensor,
} from './safetensorsWrite';
export { readConfig, type ProblemType, type RobertaConfig } from './config';
export { encoderParams, headParams, planWeights } from './names';
export type { ParamSpec, PlannedWeight, WeightPlan } from './names';
