import { describe, expect, it } from 'vitest';
import { wasmThreads } from './backend';

describe('wasmThreads', () => {
  it('runs one thread on at most 2 cores (2 threads measured twice as slow there), else every core up to 4', () => {
    expect([1, 2, 3, 4, 6, 8, 16].map((cores) => wasmThreads(cores))).toEqual([
      1, 1, 3, 4, 4, 4, 4,
    ]);
  });
});
