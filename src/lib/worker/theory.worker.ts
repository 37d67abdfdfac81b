/**
 * The Theorem 3.6 explorer's worker (a module worker): its runs are seconds of float64 work that
 * must not block the page. All the logic is handleTheoryMessage in theoryProtocol.ts.
 */
import { handleTheoryMessage, type FromTheoryWorker, type ToTheoryWorker } from './theoryProtocol';

const scope = self as unknown as {
  postMessage(msg: FromTheoryWorker): void;
  onmessage: ((e: MessageEvent<ToTheoryWorker>) => void) | null;
};

scope.onmessage = (e) => handleTheoryMessage(e.data, (msg) => scope.postMessage(msg));
