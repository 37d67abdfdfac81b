/**
 * The common shape of the lab's built-in tasks (pure TS, no tfjs): fixed-length token sequences
 * (no padding anywhere), a train and a disjoint test set, and a deterministic batch order.
 *
 *   classify: tokens [n, T], targets [n] (one class per example, read from the last position)
 *   lm:       tokens [n, T], targets [n, T], target −1 = no loss at that position
 */
import { makeRng, mixSeed, shuffle, STREAM, type Rng } from '../rng';

export type Head = 'classify' | 'lm';

export interface Examples {
  n: number;
  /** [n, T] row-major */
  tokens: Int32Array;
  /** classify: [n]; lm: [n, T] with −1 where no loss is taken */
  targets: Int32Array;
}

export interface Batch {
  size: number;
  seqLen: number;
  /** [B, T] */
  tokens: Int32Array;
  /** classify: [B]; lm: [B, T] */
  targets: Int32Array;
}

export interface TaskSpec {
  vocab: number;
  seqLen: number;
  head: Head;
  classes: number;
  /** token id → printable string */
  tokens: string[];
}

export interface Dataset extends TaskSpec {
  train: Examples;
  test: Examples;
  /**
   * The minibatch of iteration `step`: position p = step·B + i walks through a fresh seeded
   * permutation of the training set each epoch, so every optimizer of a race (and every rerun
   * with the same seed) sees the same batches in the same order.
   */
  batchAt(step: number, batchSize: number, seed: number): Batch;
}

/** Copies examples `idx` of `ex` into one batch. */
export function gather(
  ex: Examples,
  idx: ArrayLike<number>,
  spec: Pick<TaskSpec, 'seqLen' | 'head'>,
): Batch {
  const T = spec.seqLen;
  const B = idx.length;
  const perEx = spec.head === 'lm' ? T : 1;
  const tokens = new Int32Array(B * T);
  const targets = new Int32Array(B * perEx);
  for (let i = 0; i < B; i++) {
    const j = idx[i];
    tokens.set(ex.tokens.subarray(j * T, (j + 1) * T), i * T);
    targets.set(ex.targets.subarray(j * perEx, (j + 1) * perEx), i * perEx);
  }
  return { size: B, seqLen: T, tokens, targets };
}

/** A Dataset from its parts, with the epoch-permutation batch order described on batchAt. */
export function makeDataset(spec: TaskSpec, train: Examples, test: Examples): Dataset {
  const perms = new Map<string, Uint32Array>();
  const permutation = (seed: number, epoch: number): Uint32Array => {
    const key = `${seed}:${epoch}`;
    let p = perms.get(key);
    if (!p) {
      p = new Uint32Array(train.n);
      for (let i = 0; i < train.n; i++) p[i] = i;
      shuffle(makeRng(mixSeed(seed, STREAM.batch, epoch)), p);
      if (perms.size > 4) perms.clear();
      perms.set(key, p);
    }
    return p;
  };
  return {
    ...spec,
    train,
    test,
    batchAt(step, batchSize, seed) {
      const idx = new Array<number>(batchSize);
      for (let i = 0; i < batchSize; i++) {
        const pos = step * batchSize + i;
        idx[i] = permutation(seed, Math.floor(pos / train.n))[pos % train.n];
      }
      return gather(train, idx, spec);
    },
  };
}

/** Thrown when task settings cannot produce the requested data (e.g. too few distinct strings). */
export class TaskError extends Error {
  override name = 'TaskError';
}

/**
 * Draws `trainSize + testSize` distinct examples with `draw` (a key identifies an example) and
 * splits them, so train and test are disjoint. Gives up with a TaskError when the space is too
 * small for the sizes asked.
 */
export function distinctSplit<E>(
  rng: Rng,
  trainSize: number,
  testSize: number,
  draw: (rng: Rng, i: number) => { key: string; example: E },
): { train: E[]; test: E[] } {
  const total = trainSize + testSize;
  const seen = new Set<string>();
  const out: E[] = [];
  let attempts = 0;
  while (out.length < total) {
    if (++attempts > 50 * total + 1000) {
      throw new TaskError(
        `only ${out.length} distinct examples found; ask for fewer than ${total} or longer sequences`,
      );
    }
    const { key, example } = draw(rng, out.length);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(example);
  }
  return { train: out.slice(0, trainSize), test: out.slice(trainSize) };
}

/** Packs fixed-length examples into Examples. */
export function pack(
  rows: { tokens: number[]; targets: number[] }[],
  T: number,
  perEx: number,
): Examples {
  const tokens = new Int32Array(rows.length * T);
  const targets = new Int32Array(rows.length * perEx);
  rows.forEach((r, i) => {
    tokens.set(r.tokens, i * T);
    targets.set(r.targets, i * perEx);
  });
  return { n: rows.length, tokens, targets };
}
