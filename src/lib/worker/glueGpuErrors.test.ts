/**
 * The GLUE worker when the WebGPU device reports an error instead of throwing (issue 9 item 6), in
 * Node: the race runs on wasm while the handlers are told it is webgpu and watch a fake device
 * (fakeGpuDevice.ts, the spec's scope rules), which reports an error inside the first section
 * after run 0's first checkpoint (its step 2).
 * - Out of memory: run 0 stops with the memory advice, its checkpoint from before the failed step
 *   is kept and marked stopped, the race stops (the next run has the same size).
 * - Any other device error: the race leaves the GPU as for a lost device, and goes on on wasm
 *   from the checkpoint, with the losses of a race that never failed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryDir } from '../testing/hub';
import { useWasm } from '../tf/roberta/tinyModel';
import type { BackendName } from '../lab/types';
import { FakeGpuDevice, GPUOutOfMemoryError, GPUValidationError } from './fakeGpuDevice';
import { CheckpointStore } from './glueCheckpoints';
import { GlueHandlers } from './glueHandlers';
import type { FromGlue } from './glueProtocol';
import { tinyFiles, tinyRace } from './glueTestRace';

beforeAll(useWasm);

const race = () => tinyRace({ steps: 4, evalEvery: 2 });

/** Handlers that believe they run on `backend` (webgpu: watching `device`) until a fallback. */
function harness(backend: BackendName, device: FakeGpuDevice | null) {
  const sent: FromGlue[] = [];
  const mem = memoryDir();
  const store = new CheckpointStore(async () => mem.dir);
  const h = new GlueHandlers({
    post: (m) => sent.push(m),
    // a fallback excludes the backend that failed
    pickBackend: async (_pref, o) => ({
      name: o.exclude?.length ? 'wasm' : backend,
      reason: 'test',
      fallbacks: [],
    }),
    checkpoints: store,
    gpuDevice: () => device,
  });
  return { h, sent, store };
}

/** Reports `error` inside the first scope pushed after run 0's first checkpoint was posted. */
function failAfterFirstCheckpoint(device: FakeGpuDevice, sent: FromGlue[], error: Error) {
  device.onPush = () => {
    if (sent.some((m) => m.type === 'checkpoint' && m.manifest.runs[0][0])) {
      device.onPush = null;
      device.report(error);
    }
  };
}

const lossesOf = (sent: FromGlue[], run: number) =>
  sent.flatMap((m) => (m.type === 'step' && m.run === run ? [m.record] : []));

describe('GLUE worker: errors the WebGPU device reports', () => {
  it('out of memory stops the run with the memory advice and keeps its last checkpoint', async () => {
    const device = new FakeGpuDevice();
    const { h, sent, store } = harness('webgpu', device);
    failAfterFirstCheckpoint(
      device,
      sent,
      new GPUOutOfMemoryError('vkAllocateMemory failed with VK_ERROR_OUT_OF_DEVICE_MEMORY'),
    );
    await h.handle({ type: 'start', files: tinyFiles(), settings: race() });
    // the section that failed was step 2: its record never came
    expect(lossesOf(sent, 0).map((r) => r.step)).toEqual([0, 1]);
    const status = sent.find((m) => m.type === 'run' && m.status === 'stopped');
    expect(status?.type === 'run' && status.message).toMatch(
      /^too little memory on webgpu for this run \(GPU out of memory: vkAllocateMemory failed with VK_ERROR_OUT_OF_DEVICE_MEMORY\)\. Try a smaller batch \(now 6\).* The run stopped; its checkpoint at step 2 is kept\.$/,
    );
    expect(sent.filter((m) => m.type === 'error')).toHaveLength(1);
    expect((await store.manifest())!.runs.map(([r]) => r && [r.step, r.status])).toEqual([
      [2, 'stopped'],
      null,
    ]);
    // no fallback, and the next run (the same size) never started
    expect(
      sent.filter((m) => m.type === 'backend').map((m) => m.type === 'backend' && m.name),
    ).toEqual(['webgpu']);
    expect(sent.some((m) => m.type === 'run' && m.run === 1)).toBe(false);
    expect(h.state).toBe('stopped');
    // every scope pushed was popped
    expect(device.pushed).toBeGreaterThan(4);
    expect(device.scopes).toEqual([]);
  }, 120_000);

  it('another device error leaves webgpu for wasm and the race goes on from the checkpoint', async () => {
    const straight = harness('wasm', null);
    await straight.h.handle({ type: 'start', files: tinyFiles(), settings: race() });
    const want = [lossesOf(straight.sent, 0), lossesOf(straight.sent, 1)];
    expect(want.map((w) => w.length)).toEqual([4, 4]);

    const device = new FakeGpuDevice();
    const { h, sent } = harness('webgpu', device);
    failAfterFirstCheckpoint(device, sent, new GPUValidationError('Buffer is invalid.'));
    await h.handle({ type: 'start', files: tinyFiles(), settings: race() });
    expect(sent.filter((m) => m.type === 'error')).toEqual([]);
    const backends = sent.flatMap((m) => (m.type === 'backend' ? [m.name] : []));
    expect(backends).toEqual(['webgpu', 'wasm']);
    const notice = sent.find((m) => m.type === 'notice');
    expect(notice?.type === 'notice' && notice.message).toMatch(
      /^webgpu failed during AdaSAM \(WebGPU error: Buffer is invalid\.\): the race goes on on wasm from the checkpoint at step 2\.$/,
    );
    // run 0 rewinds to step 2: its records after the rewind continue from there
    const run0 = lossesOf(sent, 0);
    expect(run0.map((r) => r.step)).toEqual([0, 1, 2, 3]);
    for (const run of [0, 1])
      lossesOf(sent, run).forEach((r, t) =>
        expect(Math.abs(r.loss - want[run][t].loss), `run ${run} step ${t}`).toBeLessThan(1e-5),
      );
    expect(h.state).toBe('done');
  }, 120_000);
});
