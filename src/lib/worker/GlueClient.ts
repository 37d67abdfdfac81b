/**
 * The GLUE page's handle on its worker: `new Worker(new URL('./glue.worker.ts', …))` with typed
 * send/onMessage (glueProtocol.ts). A crash (an exception that escaped, a failed module load, the
 * browser killing the worker, e.g. out of memory) becomes an `error` message with phase 'crash'
 * and the next `send` starts a fresh worker. Imports no tfjs: the worker loads it.
 */
import type { FromGlue, ToGlue } from './glueProtocol';

export type GlueListener = (msg: FromGlue) => void;

/** What the page state needs of a worker (GlueState's tests give a fake). */
export interface GluePort {
  send(msg: ToGlue): void;
  onMessage(listener: GlueListener): () => void;
  dispose(): void;
}

export class GlueClient implements GluePort {
  #worker: Worker | null = null;
  #listeners = new Set<GlueListener>();
  readonly #create: () => Worker;

  constructor(create?: () => Worker) {
    this.#create =
      create ??
      (() => new Worker(new URL('./glue.worker.ts', import.meta.url), { type: 'module' }));
  }

  onMessage(listener: GlueListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  send(msg: ToGlue): void {
    if (!this.#worker) this.#spawn();
    this.#worker!.postMessage(msg);
  }

  dispose(): void {
    this.#terminate();
    this.#listeners.clear();
  }

  #spawn(): void {
    const w = this.#create();
    w.onmessage = (e: MessageEvent<FromGlue>) => this.#emit(e.data);
    w.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.#crash(`the GLUE worker crashed: ${e.message || 'unknown error (out of memory?)'}`);
    };
    w.onmessageerror = () => this.#crash('the GLUE worker sent a message that could not be read');
    this.#worker = w;
  }

  #crash(message: string): void {
    this.#terminate();
    this.#emit({ type: 'error', phase: 'crash', message });
    this.#emit({ type: 'state', state: 'idle' });
  }

  #terminate(): void {
    if (!this.#worker) return;
    this.#worker.onmessage = null;
    this.#worker.onerror = null;
    this.#worker.onmessageerror = null;
    this.#worker.terminate();
    this.#worker = null;
  }

  #emit(msg: FromGlue): void {
    for (const l of this.#listeners) l(msg);
  }
}
