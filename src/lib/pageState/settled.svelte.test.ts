/**
 * Settled (settled.svelte.ts) follows its source through a Coalescer; what counts as a change is
 * `sameParts`: a new object of the same parts is no change (the page's sources build a new
 * object on every link), a different part or a different shape is.
 */
import { describe, expect, it } from 'vitest';
import { sameParts } from './settled.svelte';

describe('sameParts', () => {
  const land = { id: 'wells' };
  const runs = [{ family: 'sgd' }];

  it('a new object of the same parts is no change', () => {
    expect(sameParts({ land, runs }, { land, runs })).toBe(true);
    expect(sameParts(3, 3)).toBe(true);
  });

  it('a part that is another object, even an equal one, is a change', () => {
    expect(sameParts({ land, runs }, { land, runs: [...runs] })).toBe(false);
    expect(sameParts({ land, runs }, { land: { id: 'wells' }, runs })).toBe(false);
  });

  it('another shape or a missing part is a change', () => {
    expect(sameParts({ land, runs }, { land })).toBe(false);
    expect(sameParts({ land, runs: undefined }, { land, other: undefined })).toBe(false);
    expect(sameParts({ land }, null)).toBe(false);
    expect(sameParts(3, 4)).toBe(false);
  });
});
