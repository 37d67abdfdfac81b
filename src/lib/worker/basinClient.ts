/**
 * The page's handle on the basin map: splits the grid's rows into bands, hands them to a small
 * pool of module workers (basin.worker.ts; at most 4, and no more than the machine's cores), reports
 * progress in rows, and resolves with the whole map (row-major, rows from y_min up: basin.ts).
 * Aborting the signal terminates every worker and rejects with the signal's reason.
 *
 * @example
 *   const ctrl = new AbortController();
 *   const classes = await computeBasinMap(request, { onProgress: (done, total) => …, signal: ctrl.signal });
 */
import type { BasinRequest, FromBasinWorker, ToBasinWorker } from './basinProtocol';
import { planBands } from './basinProtocol';

export interface BasinMapOptions {
  /** rows finished so far, of `total` = ny */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** pool size; default min(4, navigator.hardwareConcurrency ?? 2) */
  workers?: number;
  /** rows per band; default about four bands per worker, for load balance and steady progress */
  bandRows?: number;
  /** for tests; the default builds the module worker */
  create?: () => Worker;
}

/** The pool size the page uses on this machine. */
export function defaultWorkerCount(): number {
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator
    ?.hardwareConcurrency;
  return Math.max(1, Math.min(4, cores ?? 2));
}

const createBasinWorker = (): Worker =>
  new Worker(new URL('./basin.worker.ts', import.meta.url), { type: 'module' });

export function computeBasinMap(
  request: BasinRequest,
  options: BasinMapOptions = {},
): Promise<Int8Array> {
  const { onProgress, signal, create = createBasinWorker } = options;
  const { nx, ny } = request;
  const poolSize = Math.max(1, Math.floor(options.workers ?? defaultWorkerCount()));
  const bands = planBands(ny, options.bandRows ?? Math.ceil(ny / (4 * poolSize)));

  return new Promise<Int8Array>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const classes = new Int8Array(nx * ny);
    const pool: Worker[] = [];
    // rows finished in completed bands, and rows finished so far in each worker's current band
    let rowsDone = 0;
    const partial: number[] = [];
    let nextBand = 0;
    let bandsDone = 0;
    let settled = false;

    const finish = (error: unknown | null) => {
      if (settled) return;
      settled = true;
      for (const w of pool) w.terminate();
      signal?.removeEventListener('abort', onAbort);
      if (error === null) resolve(classes);
      else reject(error);
    };
    const onAbort = () => finish(signal?.reason ?? new Error('basin map cancelled'));
    signal?.addEventListener('abort', onAbort);

    const report = () => onProgress?.(rowsDone + partial.reduce((a, b) => a + b, 0), ny);

    const feed = (slot: number) => {
      if (nextBand >= bands.length) return;
      const rows = bands[nextBand++];
      pool[slot].postMessage({ type: 'rows', request, rows } satisfies ToBasinWorker);
    };

    const onMessage = (slot: number, msg: FromBasinWorker) => {
      if (settled) return;
      switch (msg.type) {
        case 'progress':
          partial[slot] = msg.done;
          report();
          break;
        case 'done':
          classes.set(msg.classes, msg.rows[0] * nx);
          rowsDone += msg.rows[1] - msg.rows[0];
          partial[slot] = 0;
          report();
          if (++bandsDone === bands.length) finish(null);
          else feed(slot);
          break;
        case 'error':
          finish(new Error(msg.message));
          break;
      }
    };

    if (bands.length === 0) {
      finish(null);
      return;
    }
    for (let slot = 0; slot < Math.min(poolSize, bands.length); slot++) {
      const w = create();
      pool.push(w);
      partial.push(0);
      w.onmessage = (e: MessageEvent<FromBasinWorker>) => onMessage(slot, e.data);
      w.onerror = (e: ErrorEvent) =>
        finish(new Error(`basin worker failed: ${e.message ?? 'unknown error'}`));
    }
    for (let slot = 0; slot < pool.length; slot++) feed(slot);
  });
}
