/**
 * Device batches for the encoder with dynamic padding (glue.md §1.5): rows padded on the right to
 * the batch's longest row, positions cumsum(mask)·mask + pad (§1.4), and the additive key mask.
 */
import * as tf from '@tensorflow/tfjs';
import type { RobertaBatch } from './forward';
import { remapId, type VocabMap } from './vocab';

/** One tokenized example: ids with the special tokens, already truncated; its label. */
export interface EncodedExample {
  ids: ArrayLike<number>;
  /** class id, target value (regression), or −1 when unknown (a test split) */
  label: number;
}

/** −1e9 on pad keys: exp underflows to exactly 0 in float32, as −∞ would (README §7.5). */
const MASKED = -1e9;

/**
 * The batch of `examples` (ids of the full vocabulary; remapped through `vocab` when given).
 * `rows` are the examples' indices in the step's whole batch (dropout keys); default 0…B−1.
 */
export function makeBatch(
  examples: readonly EncodedExample[],
  opts: { padId: number; regression: boolean; vocab?: VocabMap | null; rows?: number[] },
): RobertaBatch {
  const B = examples.length;
  const L = Math.max(...examples.map((e) => e.ids.length));
  const pad = opts.padId;
  const ids = new Int32Array(B * L);
  const positions = new Int32Array(B * L).fill(pad);
  const keyMask = new Float32Array(B * L).fill(MASKED);
  const padRow = opts.vocab ? remapId(opts.vocab, pad) : pad;
  ids.fill(padRow);
  examples.forEach((e, b) => {
    let count = 0;
    for (let t = 0; t < e.ids.length; t++) {
      const id = e.ids[t];
      ids[b * L + t] = opts.vocab ? remapId(opts.vocab, id) : id;
      if (id === pad) continue; // a pad inside a row is masked like a trailing one
      count += 1;
      positions[b * L + t] = count + pad;
      keyMask[b * L + t] = 0;
    }
  });
  const labels = examples.map((e) => e.label);
  return {
    ids: tf.tensor2d(ids, [B, L], 'int32'),
    positions: tf.tensor2d(positions, [B, L], 'int32'),
    keyMask: tf.tensor4d(keyMask, [B, 1, 1, L]),
    labels: opts.regression
      ? tf.tensor1d(labels, 'float32')
      : tf.tensor1d(
          labels.map((y) => Math.max(y, 0)),
          'int32',
        ),
    rows: opts.rows ?? examples.map((_, i) => i),
  };
}

export const disposeBatch = (b: RobertaBatch): void =>
  tf.dispose([b.ids, b.positions, b.keyMask, b.labels]);
