/**
 * Vocabulary pruning (glue.md §1.5): keep only the word-embedding rows of the token ids that occur
 * in the task's data plus the special tokens, and remap the ids. With weight decay 0 this is exact
 * for every optimizer of the family: an absent row has a zero gradient, so its m, v, v̂ and δ keep
 * their initial values and it adds 0 to the global norm. Fine-tuned rows are scattered back into
 * the full table when a checkpoint is written.
 */

export interface VocabMap {
  /** rows of the full table */
  full: number;
  /** the kept token ids, ascending; pruned row i holds full row kept[i] */
  kept: Int32Array;
  /** full id → pruned row, −1 when not kept */
  index: Int32Array;
}

/** RoBERTa's specials: <s> 0, <pad> 1, </s> 2, <unk> 3 and <mask> (the last id, 50264). */
export const specialIds = (full: number, padId = 1): number[] => [0, padId, 2, 3, full - 1];

/** The map keeping the ids that occur in `sequences` and the specials. */
export function pruneVocab(
  sequences: Iterable<ArrayLike<number>>,
  full: number,
  specials: readonly number[] = specialIds(full),
): VocabMap {
  const seen = new Uint8Array(full);
  const mark = (id: number) => {
    if (!(Number.isInteger(id) && id >= 0 && id < full))
      throw new RangeError(`token id ${id} is outside the vocabulary (0–${full - 1})`);
    seen[id] = 1;
  };
  for (const id of specials) if (id >= 0 && id < full) mark(id);
  for (const seq of sequences) for (let i = 0; i < seq.length; i++) mark(seq[i]);
  const index = new Int32Array(full).fill(-1);
  const kept: number[] = [];
  for (let id = 0; id < full; id++) if (seen[id]) index[id] = kept.push(id) - 1;
  return { full, kept: Int32Array.from(kept), index };
}

/** The identity map (no pruning). */
export function fullVocab(full: number): VocabMap {
  const ids = Int32Array.from({ length: full }, (_, i) => i);
  return { full, kept: ids, index: ids };
}

export const isPruned = (m: VocabMap): boolean => m.kept.length < m.full;

/** An id of the full vocabulary → its row in the pruned table (throws for an id not kept). */
export function remapId(m: VocabMap, id: number): number {
  const row = id >= 0 && id < m.full ? m.index[id] : -1;
  if (row < 0) throw new RangeError(`token id ${id} is not in the pruned vocabulary`);
  return row;
}

/** The kept rows of a row-major table [full, D]. */
export function pruneRows(table: Float32Array, D: number, m: VocabMap): Float32Array {
  const out = new Float32Array(m.kept.length * D);
  m.kept.forEach((id, row) => out.set(table.subarray(id * D, (id + 1) * D), row * D));
  return out;
}

/** A copy of the full table with the kept rows replaced by the pruned table's rows. */
export function scatterRows(
  full: Float32Array,
  pruned: Float32Array,
  D: number,
  m: VocabMap,
): Float32Array {
  const out = full.slice();
  m.kept.forEach((id, row) => out.set(pruned.subarray(row * D, (row + 1) * D), id * D));
  return out;
}
