/**
 * Picking the tfjs backend for the transformer lab: WebGPU first, then WebGL, WASM and CPU.
 *
 * - A WebGPU adapter that reports itself as a fallback adapter (`adapter.info.isFallbackAdapter`,
 *   or the older `adapter.isFallbackAdapter`) is a software rasteriser (SwiftShader): measured
 *   ~10× slower than WebGL or WASM on the project's machines, so 'auto' skips it for those.
 * - A lost WebGPU device (`device.lost`) is reported through `onDeviceLost`, so the worker can
 *   rebuild on the next backend.
 * - WASM: the backend's .wasm files are located with `new URL(relative path, import.meta.url)`,
 *   which Vite rewrites into emitted asset URLs in the worker bundle (and serves from
 *   node_modules in dev). The site is served cross-origin isolated (vite.config.ts headers, or
 *   the service worker on a static host), so the threaded SIMD build runs where the browser
 *   allows it and the machine has more than 2 cores (startWasm, wasmThreads); elsewhere the
 *   single-threaded SIMD build. In Node the files are read
 *   from node_modules (`nodeWasmDir`), single-threaded.
 *
 * The backend packages are imported dynamically, so importing this module in Node does not
 * register WebGPU or load WASM until asked.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { BackendName, BackendPreference } from '../lab/types';
import { replaceWasmKernels } from './wasmKernels';

export interface BackendChoice {
  name: BackendName;
  /** why this one, in words for the page */
  reason: string;
  /** backends tried before it and why they were not used */
  fallbacks: string[];
  isFallbackAdapter?: boolean;
}

export interface PickOptions {
  /** called once if the WebGPU device is lost after it was picked */
  onDeviceLost?: (message: string) => void;
  /** Node: absolute directory of the wasm files, with a trailing slash */
  nodeWasmDir?: string;
  /** skip these (e.g. one that just failed) */
  exclude?: BackendName[];
  /** threads for the threaded WASM build instead of wasmThreads()'s choice (benchmarks) */
  wasmThreads?: number;
}

export const AUTO_ORDER: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: { isFallbackAdapter?: boolean; architecture?: string; vendor?: string };
}

/** What the WebGPU adapter says about itself; null when there is no WebGPU or no adapter. */
async function probeWebGPU(): Promise<{ fallback: boolean; description: string } | null> {
  const gpu = (
    globalThis.navigator as
      { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } } | undefined
  )?.gpu;
  if (!gpu) return null;
  const adapter = await gpu.requestAdapter();
  if (!adapter) return null;
  const fallback = Boolean(adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter);
  const description =
    [adapter.info?.vendor, adapter.info?.architecture].filter(Boolean).join(' ') ||
    'unknown adapter';
  return { fallback, description };
}

/**
 * The WebGL renderer's name when it is a software rasterizer (SwiftShader, llvmpipe), else null.
 * Measured on a 2-core machine without a GPU (npm run bench -- --browser): the benchmark
 * transformer's AdaSAM step took 886 ms on software WebGL and 358 ms on WASM.
 */
function softwareWebGL(): string | null {
  try {
    const canvas = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(1, 1) : null;
    const gl = canvas?.getContext('webgl2') as WebGL2RenderingContext | null | undefined;
    if (!gl) return null;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    return /swiftshader|llvmpipe|software/i.test(renderer) ? renderer : null;
  } catch {
    return null;
  }
}

async function register(name: BackendName, o: PickOptions): Promise<void> {
  if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    replaceWasmKernels();
    if (o.nodeWasmDir) wasm.setWasmPaths(o.nodeWasmDir);
    else {
      wasm.setWasmPaths({
        'tfjs-backend-wasm.wasm': new URL(
          '../../../node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm',
          import.meta.url,
        ).href,
        'tfjs-backend-wasm-simd.wasm': new URL(
          '../../../node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm',
          import.meta.url,
        ).href,
        'tfjs-backend-wasm-threaded-simd.wasm': new URL(
          '../../../node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm',
          import.meta.url,
        ).href,
      });
    }
  }
}

/**
 * Threads for tfjs's WASM backend: 1 (the single-threaded SIMD build) on a machine with at most
 * 2 logical cores, else every logical core, at most 4. Why not 2 on 2 cores: measured on the
 * project's 2-core machine in headless Chromium (scripts/benchBrowser.ts, benchmark transformer,
 * 2026-12-01), an AdaSAM step took about twice as long on 2 threads as on 1 (load 5–7: 514 against
 * 287 ms; see the README's bench section): the thread that runs tfjs's JavaScript between kernels
 * and XNNPACK's second worker share two cores with the browser's own threads, and the pool's
 * hand-offs between small kernels cost more than the second core gives back.
 */
export function wasmThreads(cores = globalThis.navigator?.hardwareConcurrency ?? 1): number {
  return cores <= 2 ? 1 : Math.min(4, cores);
}

/**
 * Starts the WASM backend, threaded where the page is cross-origin isolated and wasmThreads() is
 * over 1. tfjs-wasm 4.22 caps
 * XNNPACK's pool at hardwareConcurrency / 2 (read once while the module instantiates), which is a
 * single thread on a 2-core machine; reporting twice the wanted count during that moment lifts the
 * cap. If the threaded start fails or takes over 30 s, the single-threaded SIMD build is started
 * instead (the backend is registered again from the same factory).
 */
async function startWasm(threadsWanted?: number): Promise<boolean> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const threads = threadsWanted ?? wasmThreads();
  const threaded =
    threads > 1 &&
    globalThis.crossOriginIsolated === true &&
    (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
  if (!threaded) {
    // tfjs picks the threaded build whenever the page may use it; one thread runs the plain SIMD build
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    return tf.setBackend('wasm');
  }
  const factory = tf.findBackendFactory('wasm');
  wasm.setThreadsCount(threads);
  const nav = globalThis.navigator as { hardwareConcurrency: number };
  Object.defineProperty(nav, 'hardwareConcurrency', { value: 2 * threads, configurable: true });
  try {
    if (await withTimeout(tf.setBackend('wasm'), 30_000)) return true;
  } catch {
    // falls through to the single-threaded build
  } finally {
    delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', factory);
  return tf.setBackend('wasm');
}

/** ", on 2 threads" for the threaded WASM build, "" for the single-threaded one. */
async function wasmThreadsInUse(): Promise<string> {
  const n = (await import('@tensorflow/tfjs-backend-wasm')).getThreadsCount();
  return n > 1 ? `, on ${n} threads` : '';
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer in ${ms / 1000} s`)), ms);
    work.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

/** A tiny op and readback, so a backend that registers but cannot compute is caught here. */
async function smokeTest(): Promise<void> {
  const t = tf.tidy(() => tf.sum(tf.matMul(tf.ones([4, 4]), tf.ones([4, 4]))));
  const v = (await t.data())[0];
  t.dispose();
  if (v !== 64) throw new Error(`smoke test returned ${v}, expected 64`);
}

/**
 * Sets the tfjs backend. 'auto' tries webgpu → webgl → wasm → cpu and skips a fallback
 * (software) WebGPU adapter and a software WebGL renderer; a named backend is tried first and the auto order follows if it
 * fails. Never throws for a failed backend while one is left: cpu always works.
 */
export async function pickBackend(
  preference: BackendPreference,
  o: PickOptions = {},
): Promise<BackendChoice> {
  const fallbacks: string[] = [];
  const order =
    preference === 'auto'
      ? AUTO_ORDER
      : [preference, ...AUTO_ORDER.filter((b) => b !== preference)];
  let softwareGpu: string | null = null;
  for (const name of order) {
    if (o.exclude?.includes(name)) {
      fallbacks.push(`${name}: failed earlier in this session`);
      continue;
    }
    let isFallbackAdapter: boolean | undefined;
    try {
      if (name === 'webgpu') {
        const probe = await probeWebGPU();
        if (!probe) {
          fallbacks.push('webgpu: not available in this browser');
          continue;
        }
        isFallbackAdapter = probe.fallback;
        if (probe.fallback && preference === 'auto') {
          softwareGpu = probe.description;
          fallbacks.push(
            `webgpu: the adapter (${probe.description}) is a software fallback, slower than WebGL/WASM`,
          );
          continue;
        }
      }
      if (name === 'webgl' && preference === 'auto') {
        const software = softwareWebGL();
        if (software) {
          fallbacks.push(`webgl: the renderer (${software}) is software, slower than WASM`);
          continue;
        }
      }
      await register(name, o);
      // tfjs 4.22's WebGL backend: a packed binary op's output fed to matMul's backward pass
      // (x − γ·u, then the next step's gradient through the head) gave gradients 2.5 % off the
      // cpu backend's; unpacked binary ops agree to 1e-7 (tests/e2e/lab.spec.ts checks this).
      if (name === 'webgl') tf.env().set('WEBGL_PACK_BINARY_OPERATIONS', false);
      const started =
        name === 'wasm' && !o.nodeWasmDir
          ? await startWasm(o.wasmThreads)
          : await tf.setBackend(name);
      if (!started) throw new Error('setBackend returned false');
      await tf.ready();
      await smokeTest();
      if (name === 'webgpu' && o.onDeviceLost) watchDevice(o.onDeviceLost);
      const reason =
        (preference === name
          ? `${name} was asked for`
          : fallbacks.length
            ? `${name} is the fastest that works here`
            : `${name} is the fastest backend`) + (name === 'wasm' ? await wasmThreadsInUse() : '');
      return {
        name,
        reason:
          softwareGpu && name !== 'webgpu'
            ? `${reason} (WebGPU here is software: ${softwareGpu})`
            : reason,
        fallbacks,
        isFallbackAdapter,
      };
    } catch (err) {
      fallbacks.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new Error(`no tfjs backend could start: ${fallbacks.join('; ')}`);
}

/** The tfjs WebGPU backend's device; null while another backend is active. */
export function webgpuDevice(): GPUDevice | null {
  return tf.getBackend() === 'webgpu' ? (tf.backend() as unknown as WebGPUBackend).device : null;
}

/** The private pool of tfjs-webgpu 4.22's BufferManager (buffer_manager.ts): buffers for reuse. */
interface BufferPool {
  bufferManager?: {
    freeBuffers: Map<string, GPUBuffer[]>;
    numFreeBuffers: number;
    numBytesAllocated: number;
  };
}

/**
 * Destroys the GPU buffers tfjs keeps for reuse. A buffer whose allocation failed is an invalid
 * object that tfjs pools like any other once its tensor is disposed: handed to a later tensor of
 * the same size, it would turn that tensor into garbage. After an out-of-memory error the pool
 * goes (tfjs allocates afresh); its keys stay, as BufferManager reads an empty map as disposed.
 */
export function dropPooledGpuBuffers(): void {
  if (tf.getBackend() !== 'webgpu') return;
  const pool = (tf.backend() as unknown as BufferPool).bufferManager;
  if (!pool) return;
  for (const buffers of pool.freeBuffers.values()) {
    for (const b of buffers) {
      pool.numBytesAllocated -= b.size;
      b.destroy();
    }
    buffers.length = 0;
  }
  pool.numFreeBuffers = 0;
}

/** Reports a lost WebGPU device once (the browser resolves device.lost when it happens). */
function watchDevice(onLost: (message: string) => void): void {
  const device = (
    tf.backend() as unknown as {
      device?: { lost?: Promise<{ message?: string; reason?: string }> };
    }
  ).device;
  device?.lost?.then((info) => {
    if (info?.reason !== 'destroyed')
      onLost(`WebGPU device lost: ${info?.message || info?.reason || 'no reason given'}`);
  });
}

/**
 * A memory budget for the "too large" check, in bytes, and the largest single buffer allowed.
 * GPU backends cannot report free memory, so these are conservative figures for a laptop GPU;
 * WASM is bound by its 4 GiB heap (2 GiB usable in practice), CPU by the JS heap.
 */
export function memoryBudget(name: BackendName): { total: number; buffer: number } {
  const GiB = 1024 ** 3;
  switch (name) {
    case 'webgpu':
      return { total: 1.5 * GiB, buffer: 128 * 1024 ** 2 }; // WebGPU's default maxStorageBufferBindingSize
    case 'webgl':
      return { total: 1 * GiB, buffer: 256 * 1024 ** 2 };
    case 'wasm':
      return { total: 1.5 * GiB, buffer: 512 * 1024 ** 2 };
    case 'cpu':
      return { total: 2 * GiB, buffer: 1 * GiB };
  }
}
