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
 *
 * Tokens (§2): `loadTokenizer(tokenizerJsonText)` or `loadTokenizerFromVocabMerges(vocab, merges)`
 * → GlueTokenizer; `tokenizeExample(tok, a, b?)` once per example (untruncated ids, e.g. for
 * vocabulary pruning), then `encodeBatch(tok, examples, maxLen)` → {inputIds, attentionMask,
 * positionIds, shape} padded to the batch's longest row (longest-first truncation, pair = 4 specials).
 *
 * Data (§3): `TASKS` / `taskByName(name)` / `numLabels(task)`; `readTaskFile(task | null, text |
 * bytes | ByteSource, fileName, kind?)` → GlueData {examples: {a, b, label}[], skipped, labelled};
 * label −1 = no label (test split): `labelledExamples(data)` for training and scoring.
 *
 * Metrics (§3): `metricsFor(task, predictions, labels, mnliSplit?)` → {name: value ×100}, in the
 * task's order (the first is the headline); −1 labels are left out.
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
export {
  DEFAULT_MAX_LEN,
  encodeBatch,
  frame,
  positionIds,
  tokenizeExample,
  truncate,
} from './encode';
export type { EncodedBatch, TokenizedExample } from './encode';
export {
  loadTokenizer,
  loadTokenizerFromVocabMerges,
  tokenizerJsonFromVocabMerges,
} from './tokenizer';
export type { GlueTokenizer } from './tokenizer';
export { TASKS, TASK_NAMES, numLabels, parquetUrl, taskByName } from './tasks';
export type { MetricName, TaskName, TaskSpec, TsvLayout } from './tasks';
export {
  kindOf,
  labelledExamples,
  mnliSplit,
  parseLabel,
  readCsv,
  readParquet,
  readTaskFile,
  readTsv,
} from './data';
export type { FileKind, GlueData, GlueExample } from './data';
export { accuracy, averageRanks, f1, matthews, metricsFor, pearson, spearman } from './metrics';
