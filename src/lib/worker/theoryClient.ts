/**
 * The page's handle on the explorer's worker: one worker per request, progress as runs done of
 * total, the result as a promise. Aborting the signal terminates the worker and rejects with the
 * signal's reason.
 */
import type { ExploreRequest, ExploreResult } from '../theory/explore';
import type { FromTheoryWorker, ToTheoryWorker } from './theoryProtocol';

export interface ExploreOptions {
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** for tests; the default builds the module worker */
  create?: () => Worker;
}

const createTheoryWorker = (): Worker =>
  new Worker(new URL('./theory.worker.ts', import.meta.url), { type: 'module' });

export function computeExplore(
  landscape: string,
  request: ExploreRequest,
  { onProgress, signal, create = createTheoryWorker }: ExploreOptions = {},
): Promise<ExploreResult> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const worker = create();
    const finish = (settle: () => void) => {
      worker.terminate();
      signal?.removeEventListener('abort', onAbort);
      settle();
    };
    const onAbort = () => finish(() => reject(signal?.reason ?? new Error('explorer cancelled')));
    signal?.addEventListener('abort', onAbort);
    worker.onmessage = (e: MessageEvent<FromTheoryWorker>) => {
      const msg = e.data;
      if (msg.type === 'progress') onProgress?.(msg.done, msg.total);
      else if (msg.type === 'done') finish(() => resolve(msg.result));
      else finish(() => reject(new Error(msg.message)));
    };
    worker.onerror = (e: ErrorEvent) =>
      finish(() => reject(new Error(`explorer worker failed: ${e.message ?? 'unknown error'}`)));
    worker.postMessage({ type: 'explore', landscape, request } satisfies ToTheoryWorker);
  });
}
