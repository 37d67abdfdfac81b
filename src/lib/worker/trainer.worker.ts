/**
 * The transformer lab's training worker (a module worker). It owns tfjs and the model; all the
 * logic is in trainerHandlers.ts. Messages are those of trainerProtocol.ts; nothing is thrown
 * out of the worker: handler failures arrive as `error` messages, and an error that escapes
 * anyway (e.g. out of memory in a backend) is reported before the worker is considered crashed.
 */
import type { FromTrainer, TestWasmThreads, ToTrainer } from './trainerProtocol';
import { TEXTS } from '../tf/data/texts';
import { pickBackend } from '../tf/backend';
import { TrainerHandlers } from './trainerHandlers';

const scope = self as unknown as {
  postMessage(msg: FromTrainer, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<ToTrainer | TestWasmThreads>) => void) | null;
  addEventListener(type: 'unhandledrejection', f: (e: PromiseRejectionEvent) => void): void;
};

/**
 * The dev server and the test build only (decisions.md: hooks never in production; MODE and DEV
 * are replaced at build time, so the production bundle drops every use of it).
 */
const hooks = import.meta.env.DEV || import.meta.env.MODE === 'test';
/** Test hook: threads for tfjs-wasm set by a `test-wasm-threads` message; undefined: wasmThreads() */
let wasmThreads: number | undefined;

const handlers = new TrainerHandlers({
  post: (msg, transfer) => scope.postMessage(msg, transfer ?? []),
  texts: TEXTS,
  pickBackend: hooks ? (pref, o) => pickBackend(pref, { ...o, wasmThreads }) : undefined,
});

scope.onmessage = (e) => {
  const msg = e.data;
  if (hooks && msg.type === 'test-wasm-threads') {
    wasmThreads = msg.threads;
    if (msg.refuseWorkers) refuseWorkers();
    defineWasmReport();
    return;
  }
  // only the test build's page sends anything but ToTrainer
  void handlers.handle(msg as ToTrainer);
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

/**
 * Test hook: `new Worker` throws in this worker from now on, as in a browser that gives a worker
 * no nested workers. The threaded build starts its pool of pthread workers while it instantiates,
 * so its start fails and pickBackend falls back to the single-threaded build.
 */
function refuseWorkers(): void {
  (self as unknown as { Worker: unknown }).Worker = class {
    constructor() {
      throw new Error('workers refused (test hook)');
    }
  };
}

/**
 * Test hook: `self.__trainerWasm()` in the worker (Playwright's worker.evaluate) says which
 * tfjs-wasm build trains: XNNPACK's pool size as the module reports it, whether tfjs took the
 * threaded build, whether the heap is shared memory (it is only in the threaded build), the
 * worker's isolation, and which of the project's kernels that run JavaScript on the heap (wasmKernels.ts) are registered.
 */
function defineWasmReport(): void {
  (self as unknown as { __trainerWasm: () => Promise<unknown> }).__trainerWasm = async () => {
    const tf = await import('@tensorflow/tfjs');
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const { isReplacedWasmKernel } = await import('../tf/wasmHeap');
    const heap = (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8;
    return {
      backend: tf.getBackend(),
      threads: wasm.getThreadsCount(),
      multithread: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
      sharedHeap: heap.buffer instanceof SharedArrayBuffer,
      crossOriginIsolated: globalThis.crossOriginIsolated,
      replaced: ['Slice', 'SplitV', 'Unpack', 'Transpose', 'Sum'].filter(isReplacedWasmKernel),
    };
  };
}
