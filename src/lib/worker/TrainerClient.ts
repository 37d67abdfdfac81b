/**
 * The page's handle on the training worker: a plain class around
 * `new Worker(new URL('./trainer.worker.ts', import.meta.url), { type: 'module' })` with typed
 * send/onMessage (trainerProtocol.ts), crash detection and restart.
 *
 * A crash (the worker's `error` event: an exception that escaped, a failed module load, the
 * browser killing it) or an undecodable message (`messageerror`) is turned into an
 * `{ type: 'error', phase: 'crash' }` message for the listeners; `restart()` makes a fresh worker
 * and replays the last `init`, so the page can offer "restart" after a crash.
 *
 * Imports no tfjs: the worker loads it.
 */
import type { FromTrainer, TestWasmThreads, ToTrainer } from './trainerProtocol';
import type { LabSettings } from '../lab/types';

export type TrainerListener = (msg: FromTrainer) => void;

export class TrainerClient {
  #worker: Worker | null = null;
  #listeners = new Set<TrainerListener>();
  #lastInit: LabSettings | null = null;
  #nextRequestId = 1;
  readonly #create: () => Worker;

  /** `create` is for tests; the default builds the module worker. */
  constructor(create?: () => Worker) {
    this.#create =
      create ??
      (() => new Worker(new URL('./trainer.worker.ts', import.meta.url), { type: 'module' }));
    this.#spawn();
  }

  /** Subscribes to every message from the worker (and to crash reports); returns an unsubscribe. */
  onMessage(listener: TrainerListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  send(msg: ToTrainer | TestWasmThreads): void {
    if (msg.type === 'init') this.#lastInit = msg.settings;
    if (!this.#worker) this.#spawn();
    this.#worker!.postMessage(msg);
  }

  /** A fresh id for hessian/slice/speedup/cancel requests. */
  requestId(): number {
    return this.#nextRequestId++;
  }

  /** Terminates the worker (crashed or not), starts a new one and replays the last init. */
  restart(): void {
    this.#terminate();
    this.#spawn();
    if (this.#lastInit)
      this.#worker!.postMessage({ type: 'init', settings: this.#lastInit } satisfies ToTrainer);
  }

  dispose(): void {
    this.#worker?.postMessage({ type: 'dispose' } satisfies ToTrainer);
    this.#terminate();
    this.#listeners.clear();
  }

  #spawn(): void {
    const w = this.#create();
    w.onmessage = (e: MessageEvent<FromTrainer>) => this.#emit(e.data);
    w.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.#crash(`the training worker crashed: ${e.message || 'unknown error'}`);
    };
    w.onmessageerror = () =>
      this.#crash('the training worker sent a message that could not be read');
    this.#worker = w;
  }

  #crash(message: string): void {
    this.#terminate();
    this.#emit({
      type: 'error',
      phase: 'crash',
      message: `${message}. Restart to continue.`,
      recoverable: true,
    });
  }

  #terminate(): void {
    if (!this.#worker) return;
    this.#worker.onmessage = null;
    this.#worker.onerror = null;
    this.#worker.onmessageerror = null;
    this.#worker.terminate();
    this.#worker = null;
  }

  #emit(msg: FromTrainer): void {
    for (const l of this.#listeners) l(msg);
  }
}
