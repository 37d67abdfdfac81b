/**
 * A basin-map worker (a module worker): computes bands of rows of the "where does it end?" map
 * off the main thread. All the logic is handleBasinMessage in basinProtocol.ts.
 */
import { handleBasinMessage, type FromBasinWorker, type ToBasinWorker } from './basinProtocol';

const scope = self as unknown as {
  postMessage(msg: FromBasinWorker, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<ToBasinWorker>) => void) | null;
};

scope.onmessage = (e) =>
  handleBasinMessage(e.data, (msg, transfer) => scope.postMessage(msg, transfer ?? []));
