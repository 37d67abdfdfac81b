/**
 * The transformer lab's training worker (a module worker). It owns tfjs and the model; all the
 * logic is in trainerHandlers.ts. Messages are those of trainerProtocol.ts; nothing is thrown
 * out of the worker: handler failures arrive as `error` messages, and an error that escapes
 * anyway (e.g. out of memory in a backend) is reported before the worker is considered crashed.
 */
import type { FromTrainer, ToTrainer } from './trainerProtocol';
import { TEXTS } from '../tf/data/texts';
import { TrainerHandlers } from './trainerHandlers';

const scope = self as unknown as {
  postMessage(msg: FromTrainer, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<ToTrainer>) => void) | null;
  addEventListener(type: 'unhandledrejection', f: (e: PromiseRejectionEvent) => void): void;
};

const handlers = new TrainerHandlers({
  post: (msg, transfer) => scope.postMessage(msg, transfer ?? []),
  texts: TEXTS,
});

scope.onmessage = (e) => {
  void handlers.handle(e.data);
};

scope.addEventListener('unhandledrejection', (e) => {
  const reason = e.reason instanceof Error ? e.reason.message : String(e.reason);
  scope.postMessage({
    type: 'error',
    phase: 'train',
    message: `unexpected failure in the worker: ${reason}`,
    recoverable: true,
  });
});
