/**
 * What the GLUE worker says when a run fails (issue 9, item 6: failure is explained and loses
 * nothing). A GPU backend that fails mid-run (a lost WebGPU device, or any step that throws there)
 * is left for wasm, and the run goes on from its last checkpoint; an allocation that did not fit
 * is named as such, with the levers that make the run smaller.
 */
import type { BackendName } from '../lab/types';
import type { GlueRaceSettings } from './glueProtocol';

/** Backends whose failures mean "this device", not "this run": the race falls back from them. */
export const GPU_BACKENDS: readonly BackendName[] = ['webgpu', 'webgl'];

/** The messages browsers and tfjs give for an allocation that did not fit. */
export function isOutOfMemory(message: string): boolean {
  return /out of memory|\bOOM\b|failed to allocate|allocation failed|(could not|cannot) allocate|maxBufferSize|maxStorageBufferBindingSize/i.test(
    message,
  );
}

/** A message for a run that ran out of memory, with the levers that make it smaller. */
export function memoryAdvice(backend: BackendName, message: string, s: GlueRaceSettings): string {
  const levers = [
    s.microBatch > 0 && s.microBatch < s.batch
      ? `a smaller micro-batch (now ${s.microBatch})`
      : `a smaller batch (now ${s.batch}), or a micro-batch below it for gradient accumulation`,
    'the small preset (MiniLMv2, 6 × 384)',
    ...(s.pruneVocab ? [] : ['vocabulary pruning (exact with weight decay 0)']),
    ...(s.freezeEmbeddings ? [] : ['freezing the word embedding']),
    `a shorter maximum length (now ${s.maxLen})`,
  ];
  return (
    `too little memory on ${backend} for this run (${message}). Try ${levers.slice(0, -1).join(', ')} ` +
    `or ${levers.at(-1)}.`
  );
}
