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
  if (import.meta.env.MODE === 'test') {
    const type = (e.data as { type: string }).type;
    if (type === 'test-lose-device') return void loseDevice();
    if (type === 'test-gpu-oom') return void outOfMemoryInNextScope();
  }
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

/**
 * Test build only: a real out-of-memory error inside the next error scope the handlers push (a
 * step, a dev evaluation or a checkpoint's readback), as a model too large for the GPU would
 * give. The device is asked for one buffer of its largest size: SwiftShader's Vulkan refuses
 * the allocation (vkAllocateMemory: VK_ERROR_OUT_OF_DEVICE_MEMORY) at once, and Dawn reports it as a
 * GPUOutOfMemoryError to the scope, not as a throw.
 */
async function outOfMemoryInNextScope(): Promise<void> {
  const { webgpuDevice } = await import('../tf/backend');
  const device = webgpuDevice();
  if (!device) return;
  const push = device.pushErrorScope.bind(device);
  device.pushErrorScope = (filter) => {
    push(filter);
    if (filter !== 'out-of-memory') return;
    device.pushErrorScope = push;
    device
      .createBuffer({ size: device.limits.maxBufferSize, usage: GPUBufferUsage.STORAGE })
      .destroy();
  };
}

scope.addEventListener('unhandledrejection', (e) => {
  const reason = e.reason instanceof Error ? e.reason.message : String(e.reason);
  scope.postMessage({
    type: 'error',
    phase: 'train',
    message: `unexpected failure in the worker: ${reason}`,
  });
});
