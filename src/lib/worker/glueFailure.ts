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

/**
 * A WebGPU error as the device reports it (GPUOutOfMemoryError, GPUValidationError,
 * GPUInternalError): on WebGPU a failed allocation is not thrown but reported through an error
 * scope or the device's `uncapturederror` event, and the work that used the buffer goes on with
 * garbage. Structural, so that Node tests pass their own.
 */
export interface GpuErrorLike {
  readonly message: string;
}

/** The part of a GPUDevice that reports errors. */
export interface ErrorReportingDevice {
  pushErrorScope(filter: 'out-of-memory'): void;
  popErrorScope(): Promise<GpuErrorLike | null>;
  addEventListener(type: 'uncapturederror', f: (e: { error: GpuErrorLike }) => void): void;
  removeEventListener(type: 'uncapturederror', f: (e: { error: GpuErrorLike }) => void): void;
}

/**
 * What a WebGPU error means for the run: 'out-of-memory' (the run's size: the memory advice), or
 * 'device' (any other: the results are garbage, so the race leaves the GPU as for a lost device).
 * An allocation over the device's buffer limits arrives as a validation error: memory too.
 */
export function classifyGpuError(error: GpuErrorLike): 'out-of-memory' | 'device' {
  return error.constructor?.name === 'GPUOutOfMemoryError' || isOutOfMemory(error.message)
    ? 'out-of-memory'
    : 'device';
}

/** Thrown in the worker for an error the WebGPU device reported; the message says which kind. */
export class GpuError extends Error {
  readonly kind: 'out-of-memory' | 'device';
  constructor(error: GpuErrorLike) {
    const kind = classifyGpuError(error);
    // Dawn's messages carry a C++ call stack after the first line
    const first = error.message.split('\n')[0].trim();
    super(kind === 'out-of-memory' ? `GPU out of memory: ${first}` : `WebGPU error: ${first}`);
    this.name = 'GpuError';
    this.kind = kind;
  }
}

/**
 * Watches one WebGPU device: `guard` runs an async section (a step, a dev evaluation, a
 * checkpoint's readback) inside an `out-of-memory` error scope and throws a GpuError when the
 * scope caught one, or when the `uncapturederror` event reported an error since the last check
 * (errors outside any scope, and non-memory errors inside one). One push and one pop per section.
 */
export class GpuErrorWatch {
  readonly device: ErrorReportingDevice;
  #uncaptured: GpuErrorLike | null = null;
  readonly #listener = (e: { error: GpuErrorLike }) => {
    this.#uncaptured ??= e.error;
  };

  constructor(device: ErrorReportingDevice) {
    this.device = device;
    device.addEventListener('uncapturederror', this.#listener);
  }

  /** Throws the first error the event reported since the last check. */
  check(): void {
    const e = this.#uncaptured;
    this.#uncaptured = null;
    if (e) throw new GpuError(e);
  }

  async guard<T>(f: () => Promise<T>): Promise<T> {
    this.check();
    this.device.pushErrorScope('out-of-memory');
    let result: { ok: true; value: T } | { ok: false; error: unknown };
    try {
      result = { ok: true, value: await f() };
    } catch (error) {
      result = { ok: false, error };
    }
    // a lost device may refuse the pop: its loss is reported by the step that failed
    const scoped = await this.device.popErrorScope().catch(() => null);
    // the device's error comes first: a throw after it is its consequence
    if (scoped) throw new GpuError(scoped);
    this.check();
    if (!result.ok) throw result.error;
    return result.value;
  }

  dispose(): void {
    this.device.removeEventListener('uncapturederror', this.#listener);
  }
}
