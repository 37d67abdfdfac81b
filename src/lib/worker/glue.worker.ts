/**
 * The GLUE page's worker (a module worker): it owns tfjs, the files the user picked and the
 * fine-tuning; the logic is in glueHandlers.ts. Nothing is thrown out of it: failures arrive as
 * `error` messages.
 */
import { browserCheckpointStore } from './glueCheckpoints';
import { GlueHandlers } from './glueHandlers';
import type { FromGlue, ToGlue } from './glueProtocol';
import { browserTokenStore } from './tokenStore';

const scope = self as unknown as {
  postMessage(msg: FromGlue): void;
  onmessage: ((e: MessageEvent<ToGlue>) => void) | null;
  addEventListener(type: 'unhandledrejection', f: (e: PromiseRejectionEvent) => void): void;
};

const handlers = new GlueHandlers({
  post: (msg) => scope.postMessage(msg),
  checkpoints: browserCheckpointStore(),
  tokens: browserTokenStore(),
});

scope.onmessage = (e) => {
  if (import.meta.env.MODE === 'test' && (e.data as { type: string }).type === 'test-lose-device')
    return void loseDevice();
  void handlers.handle(e.data);
};

/**
 * Test build only (decisions.md: hooks never in production; MODE is replaced at build time, so
 * the production bundle drops this): destroys the WebGPU device under a running race, as a
 * driver crash or a GPU reset would.
 */
async function loseDevice(): Promise<void> {
  const tf = await import('@tensorflow/tfjs');
  const backend = tf.getBackend() === 'webgpu' ? tf.backend() : null;
  (backend as unknown as { device?: { destroy(): void } } | null)?.device?.destroy();
}

scope.addEventListener('unhandledrejection', (e) => {
  const reason = e.reason instanceof Error ? e.reason.message : String(e.reason);
  scope.postMessage({
    type: 'error',
    phase: 'train',
    message: `unexpected failure in the worker: ${reason}`,
  });
});
