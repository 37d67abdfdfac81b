/**
 * What the GLUE worker says when memory runs out: the browsers' and tfjs's allocation messages are
 * recognised (and other failures are not), and the advice offers the levers that are not in use
 * yet: a smaller batch or micro-batch, the small preset, pruning, freezing, a shorter length.
 * On WebGPU, where a failed allocation is reported by the device rather than thrown, the errors
 * are classified by kind and the watch turns them into throws (against a fake device that follows
 * the spec's scope rules: an error goes to the innermost scope of its filter, else to the event).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_GLUE } from '../state/defaults';
import {
  FakeGpuDevice,
  GPUInternalError,
  GPUOutOfMemoryError,
  GPUValidationError,
} from './fakeGpuDevice';
import {
  classifyGpuError,
  GpuError,
  GpuErrorWatch,
  isOutOfMemory,
  memoryAdvice,
} from './glueFailure';
import type { GlueRaceSettings } from './glueProtocol';

const { xAxis: _x, runs: _r, ...rows } = DEFAULT_GLUE;
const settings = (over: Partial<GlueRaceSettings> = {}): GlueRaceSettings => ({
  ...rows,
  runs: [],
  ...over,
});

describe('isOutOfMemory', () => {
  it('knows the allocation failures of wasm, WebGPU and the JS heap', () => {
    for (const m of [
      'Aborted(OOM)',
      'RangeError: Array buffer allocation failed',
      'Failed to allocate a buffer of 2147483648 bytes',
      'WebAssembly.Memory(): could not allocate memory',
      'Out of memory',
      'Buffer size (1073741828) exceeds the max buffer size limit (maxBufferSize)',
    ])
      expect(isOutOfMemory(m), m).toBe(true);
    for (const m of ['the training data has no rows', 'WebGPU device lost: destroyed', 'NaN'])
      expect(isOutOfMemory(m), m).toBe(false);
  });
});

describe('memoryAdvice', () => {
  it('offers a smaller batch, the small preset, pruning and freezing when they are off', () => {
    const text = memoryAdvice(
      'webgpu',
      'Aborted(OOM)',
      settings({
        batch: 32,
        microBatch: 0,
        pruneVocab: false,
        freezeEmbeddings: false,
        maxLen: 128,
      }),
    );
    expect(text).toMatch(/^too little memory on webgpu for this run \(Aborted\(OOM\)\)\. Try /);
    for (const lever of [
      'a smaller batch (now 32)',
      'the small preset (MiniLMv2',
      'vocabulary pruning',
      'freezing the word embedding',
      'or a shorter maximum length (now 128)',
    ])
      expect(text).toContain(lever);
  });

  it('leaves out the levers already pulled and names the micro-batch in use', () => {
    const text = memoryAdvice(
      'wasm',
      'OOM',
      settings({ batch: 32, microBatch: 8, pruneVocab: true, freezeEmbeddings: true }),
    );
    expect(text).toContain('a smaller micro-batch (now 8)');
    expect(text).not.toContain('pruning');
    expect(text).not.toContain('freezing');
  });
});

describe('classifyGpuError', () => {
  it('reads an out-of-memory error, and a buffer over the limits, as memory; the rest as the device', () => {
    const dawnOom =
      'vkAllocateMemory failed with VK_ERROR_OUT_OF_DEVICE_MEMORY\n - While calling [Device].CreateBuffer([BufferDescriptor]).';
    expect(classifyGpuError(new GPUOutOfMemoryError(dawnOom))).toBe('out-of-memory');
    expect(
      classifyGpuError(
        new GPUValidationError(
          'Buffer size (1099511627776) exceeds the max buffer size limit (maxBufferSize).',
        ),
      ),
    ).toBe('out-of-memory');
    expect(classifyGpuError(new GPUValidationError('Buffer is invalid.'))).toBe('device');
    expect(classifyGpuError(new GPUInternalError('Device lost during compilation'))).toBe('device');
  });

  it('words the GpuError so that the memory advice recognises it, first line only', () => {
    const oom = new GpuError(
      new GPUOutOfMemoryError(
        'vkAllocateMemory failed\n    at CheckVkOOMThenSuccessImpl (x.cpp:119)',
      ),
    );
    expect(oom.kind).toBe('out-of-memory');
    expect(oom.message).toBe('GPU out of memory: vkAllocateMemory failed');
    expect(isOutOfMemory(oom.message)).toBe(true);
    const other = new GpuError(new GPUValidationError('Buffer is invalid.'));
    expect(other.message).toBe('WebGPU error: Buffer is invalid.');
    expect(isOutOfMemory(other.message)).toBe(false);
  });
});

describe('GpuErrorWatch', () => {
  const oom = () => new GPUOutOfMemoryError('vkAllocateMemory failed');

  it('returns the section’s value, one scope pushed and popped, when the device reports nothing', async () => {
    const device = new FakeGpuDevice();
    const watch = new GpuErrorWatch(device);
    expect(await watch.guard(async () => 42)).toBe(42);
    expect(device.pushed).toBe(1);
    expect(device.scopes).toEqual([]);
    await expect(
      watch.guard(async () => {
        throw new Error('the step’s own failure');
      }),
    ).rejects.toThrow('the step’s own failure');
    expect(device.scopes).toEqual([]);
  });

  it('throws the out-of-memory error its scope caught, before the section’s own throw', async () => {
    const device = new FakeGpuDevice();
    const watch = new GpuErrorWatch(device);
    const failed = watch.guard(async () => {
      device.report(oom());
      throw new Error('garbage downstream');
    });
    await expect(failed).rejects.toThrow(/^GPU out of memory: vkAllocateMemory failed$/);
    await expect(failed).rejects.toBeInstanceOf(GpuError);
    expect(device.scopes).toEqual([]);
  });

  it('throws an error reported outside any scope (or not out of memory) at the next check', async () => {
    const device = new FakeGpuDevice();
    const watch = new GpuErrorWatch(device);
    // between sections: no scope, so the event carries it
    device.report(oom());
    let ran = false;
    await expect(
      watch.guard(async () => {
        ran = true;
      }),
    ).rejects.toThrow(/^GPU out of memory/);
    expect(ran).toBe(false);
    // a validation error inside the out-of-memory scope passes it and arrives as the event
    const invalid = watch.guard(async () =>
      device.report(new GPUValidationError('Buffer is invalid.')),
    );
    await expect(invalid).rejects.toThrow(/^WebGPU error: Buffer is invalid\.$/);
    // reported once: the next section runs
    expect(await watch.guard(async () => 'ok')).toBe('ok');
    watch.dispose();
    expect(device.listeners).toBe(0);
  });

  it('lets a lost device’s own failure through when the device refuses the pop', async () => {
    const device = new FakeGpuDevice();
    const watch = new GpuErrorWatch(device);
    const failed = watch.guard(async () => {
      device.lost = true;
      throw new Error('WebGPU device lost: destroyed');
    });
    await expect(failed).rejects.toThrow('WebGPU device lost: destroyed');
  });
});
