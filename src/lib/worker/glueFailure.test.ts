/**
 * What the GLUE worker says when memory runs out: the browsers' and tfjs's allocation messages are
 * recognised (and other failures are not), and the advice offers the levers that are not in use
 * yet: a smaller batch or micro-batch, the small preset, pruning, freezing, a shorter length.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_GLUE } from '../state/defaults';
import { isOutOfMemory, memoryAdvice } from './glueFailure';
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
