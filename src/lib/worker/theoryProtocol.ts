/**
 * Messages between the page and the Theorem 3.6 explorer's worker (theory.worker.ts), and the
 * worker's handler as a pure function of (message, post) so that it runs under Vitest in Node:
 *   page → worker  { type: 'explore', landscape, request }
 *   worker → page  { type: 'progress', done, total }   after every run
 *                  { type: 'done', result }
 *                  { type: 'error', message }          a bad request (unknown landscape, invalid config)
 */
import { getLandscape } from '../landscapes/index';
import { explore, type ExploreRequest, type ExploreResult } from '../theory/explore';

export type ToTheoryWorker = { type: 'explore'; landscape: string; request: ExploreRequest };

export type FromTheoryWorker =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; result: ExploreResult }
  | { type: 'error'; message: string };

/** The worker's whole job: run the explorer, posting progress, then the result or the error. */
export function handleTheoryMessage(
  msg: ToTheoryWorker,
  post: (msg: FromTheoryWorker) => void,
): void {
  if (msg?.type !== 'explore') {
    post({ type: 'error', message: `unknown message type ${String(msg?.type)}` });
    return;
  }
  const landscape = getLandscape(msg.landscape);
  if (!landscape) {
    post({ type: 'error', message: `unknown landscape ${msg.landscape}` });
    return;
  }
  try {
    const result = explore(landscape, msg.request, (done, total) =>
      post({ type: 'progress', done, total }),
    );
    post({ type: 'done', result });
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
}
