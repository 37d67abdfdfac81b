/**
 * Dropout masks of one training step for the RoBERTa encoder (glue.md §1.4), drawn on the CPU
 * once per step and shared by both gradient passes of a SAM step (Model.stepNoise).
 *
 * Each mask entry is keyed by (seed, step, row, site, position[, head]) and never by the batch's
 * shape: a row keeps its masks whether it is trained in the whole batch or in a micro-batch of a
 * gradient accumulation, and whatever the padded length is (dynamic padding). So accumulation
 * equals the whole-batch step with dropout on, too (decisions.md, GLUE).
 *
 * Entries are 0 (dropped, probability p) or 1/(1 − p) (inverted dropout, as torch).
 */
import * as tf from '@tensorflow/tfjs';
import type { StepNoise } from '../model/model';
import { makeRng, mixSeed, STREAM } from '../rng';
import type { RobertaShape } from './shape';

export interface RobertaNoise extends StepNoise {
  /** after the embedding LayerNorm, [B, L, D] */
  embed: tf.Tensor3D | null;
  layers: {
    /** on the attention probabilities, [B, H, L, L] */
    probs: tf.Tensor4D | null;
    /** on the attention output projection before its residual, [B, L, D] */
    attnOut: tf.Tensor3D | null;
    /** on the FFN output before its residual, [B, L, D] */
    ffnOut: tf.Tensor3D | null;
  }[];
  /** before the head's dense and before out_proj, [B, D] each */
  head: [tf.Tensor2D, tf.Tensor2D] | null;
}

/** Site ids: one stream family per place where dropout acts. */
const SITE = { embed: 1, head1: 2, head2: 3, probs: 10, attnOut: 11, ffnOut: 12 } as const;

/** Fills `out[offset … offset+n)` with a stream of keep/drop values for one key. */
function fillStream(out: Float32Array, offset: number, n: number, key: number, p: number): void {
  const rng = makeRng(key);
  const keep = 1 / (1 - p);
  for (let i = 0; i < n; i++) out[offset + i] = rng.uniform() < p ? 0 : keep;
}

/**
 * Masks for a batch whose rows have the keys `rows` (their indices in the step's whole batch) and
 * padded length `L`; null when both dropout rates are 0.
 */
export function drawNoise(
  s: RobertaShape,
  rows: readonly number[],
  L: number,
  seed: number,
  step: number,
): RobertaNoise | null {
  const p = s.hiddenDropout;
  const pa = s.attentionDropout;
  const ph = s.headDropout;
  if (!(p > 0) && !(pa > 0) && !(ph > 0)) return null;
  const B = rows.length;
  const D = s.hidden;
  const H = s.heads;
  const base = (row: number, site: number, layer: number) =>
    mixSeed(seed, STREAM.dropout, step, row, site, layer);
  // one stream per (row, site, layer, position): D values, the same for every padded length
  const hidden = (site: number, layer: number): tf.Tensor3D | null => {
    if (!(p > 0)) return null;
    const values = new Float32Array(B * L * D);
    rows.forEach((row, b) => {
      const k = base(row, site, layer);
      for (let t = 0; t < L; t++) fillStream(values, (b * L + t) * D, D, mixSeed(k, t), p);
    });
    return tf.tensor3d(values, [B, L, D]);
  };
  // one stream per (row, layer, head, query position): L key values, a prefix of a longer row
  const probs = (layer: number): tf.Tensor4D | null => {
    if (!(pa > 0)) return null;
    const values = new Float32Array(B * H * L * L);
    rows.forEach((row, b) => {
      const k = base(row, SITE.probs, layer);
      for (let h = 0; h < H; h++)
        for (let i = 0; i < L; i++)
          fillStream(values, ((b * H + h) * L + i) * L, L, mixSeed(k, h, i), pa);
    });
    return tf.tensor4d(values, [B, H, L, L]);
  };
  const head = (site: number): tf.Tensor2D => {
    const values = new Float32Array(B * D);
    rows.forEach((row, b) => fillStream(values, b * D, D, base(row, site, 0), ph));
    return tf.tensor2d(values, [B, D]);
  };
  const noise: RobertaNoise = {
    embed: hidden(SITE.embed, 0),
    layers: Array.from({ length: s.layers }, (_, l) => ({
      probs: probs(l),
      attnOut: hidden(SITE.attnOut, l),
      ffnOut: hidden(SITE.ffnOut, l),
    })),
    head: ph > 0 ? [head(SITE.head1), head(SITE.head2)] : null,
    dispose() {
      const all: (tf.Tensor | null)[] = [noise.embed, ...(noise.head ?? [])];
      for (const l of noise.layers) all.push(l.probs, l.attnOut, l.ffnOut);
      tf.dispose(all.filter((t): t is tf.Tensor => t !== null));
    },
  };
  return noise;
}

/** x ⊙ mask, or x when there is no mask. */
export const applyMask = <T extends tf.Tensor>(x: T, mask: tf.Tensor | null | undefined): T =>
  mask ? (tf.mul(x, mask) as T) : x;
