/**
 * Messages between the page and the basin-map workers (basin.worker.ts), and the worker's
 * handler as a pure function of (message, post) so that it runs under Vitest in Node.
 *
 * The page splits the map's ny rows into bands; each worker computes one band at a time:
 *   page → worker  { type: 'rows', request, rows: [start, end) }
 *   worker → page  { type: 'progress', done, total }   after each row (rows of this band)
 *                  { type: 'done', rows, classes }     classes: Int8Array, (end − start)·nx, transferred
 *                  { type: 'error', message }          a bad request (unknown landscape, invalid config)
 * Everything is plain data: the landscape travels by id, the config as its §3 keys.
 */
import type { OptimizerConfig } from '../optim/config';
import { basinMap } from '../landscapes/basin';
import { getLandscape } from '../landscapes/index';
import type { StochasticSettings } from '../landscapes/stochastic';

/** One whole map, as plain data. */
export interface BasinRequest {
  /** a registered landscape id */
  landscape: string;
  config: OptimizerConfig;
  nx: number;
  ny: number;
  steps: number;
  stochastic: StochasticSettings | null;
}

export type ToBasinWorker = { type: 'rows'; request: BasinRequest; rows: [number, number] };

export type FromBasinWorker =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; rows: [number, number]; classes: Int8Array }
  | { type: 'error'; message: string };

export type BasinPost = (msg: FromBasinWorker, transfer?: Transferable[]) => void;

/** The worker's whole job: compute the requested rows, posting progress per row, then the classes. */
export function handleBasinMessage(msg: ToBasinWorker, post: BasinPost): void {
  if (msg.type !== 'rows') {
    post({
      type: 'error',
      message: `unknown message type ${String((msg as { type?: unknown }).type)}`,
    });
    return;
  }
  const { request, rows } = msg;
  const landscape = getLandscape(request.landscape);
  if (!landscape) {
    post({ type: 'error', message: `unknown landscape ${request.landscape}` });
    return;
  }
  const total = rows[1] - rows[0];
  let classes: Int8Array;
  try {
    classes = basinMap({
      landscape,
      config: request.config,
      nx: request.nx,
      ny: request.ny,
      steps: request.steps,
      stochastic: request.stochastic,
      rows,
      onRow: (done) => post({ type: 'progress', done, total }),
    });
  } catch (e) {
    post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    return;
  }
  post({ type: 'done', rows, classes }, [classes.buffer]);
}

/** Splits rows 0 … ny−1 into consecutive bands of at most `bandRows` rows. */
export function planBands(ny: number, bandRows: number): [number, number][] {
  const size = Math.max(1, Math.floor(bandRows));
  const bands: [number, number][] = [];
  for (let start = 0; start < ny; start += size) bands.push([start, Math.min(ny, start + size)]);
  return bands;
}
