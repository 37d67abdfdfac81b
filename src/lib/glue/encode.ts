/**
 * From token ids to model inputs (spec glue.md §2, §1.4): longest-first truncation, the RoBERTa
 * frame `<s> A </s>` / `<s> A </s></s> B </s>`, dynamic padding to the batch maximum, attention
 * masks and RoBERTa position ids.
 */
import { fail } from './errors';
import type { GlueTokenizer } from './tokenizer';

/** A tokenized example: ids of each segment, without special tokens, not truncated. */
export interface TokenizedExample {
  a: number[];
  b: number[] | null;
}

export interface EncodedBatch {
  /** [batch, length]: length is the longest row of this batch (dynamic padding). */
  inputIds: number[][];
  attentionMask: number[][];
  positionIds: number[][];
  shape: [number, number];
}

export const DEFAULT_MAX_LEN = 128;

export function tokenizeExample(
  tokenizer: GlueTokenizer,
  a: string,
  b?: string | null,
): TokenizedExample {
  return { a: tokenizer.encode(a), b: b === undefined || b === null ? null : tokenizer.encode(b) };
}

/**
 * §2 longest-first: drop the last token of the longer segment (the second on a tie) until the
 * segments and the special tokens (2 for one sentence, 4 for a pair) fit in `maxLen`.
 */
export function truncate({ a, b }: TokenizedExample, maxLen: number): TokenizedExample {
  const budget = maxLen - (b ? 4 : 2);
  if (!Number.isInteger(maxLen) || budget < (b ? 2 : 1)) {
    fail(
      'max length',
      `${maxLen} leaves no room for text (need at least ${b ? 6 : 3} for ${b ? 'a pair' : 'one sentence'})`,
    );
  }
  let lengthA = a.length;
  let lengthB = b ? b.length : 0;
  while (lengthA + lengthB > budget) {
    if (lengthA > lengthB) lengthA--;
    else lengthB--;
  }
  return { a: a.slice(0, lengthA), b: b ? b.slice(0, lengthB) : null };
}

/** The framed ids of one example, truncated to `maxLen`. */
export function frame(
  tokenizer: GlueTokenizer,
  example: TokenizedExample,
  maxLen = DEFAULT_MAX_LEN,
): number[] {
  const { a, b } = truncate(example, maxLen);
  const { clsId: cls, sepId: sep } = tokenizer;
  return b ? [cls, ...a, sep, sep, ...b, sep] : [cls, ...a, sep];
}

/** §1.4: pos = cumsum(mask)·mask + pad, so real tokens get pad+1, pad+2, … and pads get pad. */
export function positionIds(ids: number[], padId: number): number[] {
  let count = 0;
  return ids.map((id) => (id === padId ? padId : padId + ++count));
}

/** Frames, truncates and pads `examples` into one batch. */
export function encodeBatch(
  tokenizer: GlueTokenizer,
  examples: TokenizedExample[],
  maxLen = DEFAULT_MAX_LEN,
): EncodedBatch {
  const rows = examples.map((e) => frame(tokenizer, e, maxLen));
  const length = Math.max(0, ...rows.map((r) => r.length));
  const pad = tokenizer.padId;
  const inputIds = rows.map((r) => [...r, ...new Array<number>(length - r.length).fill(pad)]);
  return {
    inputIds,
    attentionMask: rows.map((r) => inputIds[0].map((_, j) => (j < r.length ? 1 : 0))),
    positionIds: inputIds.map((r) => positionIds(r, pad)),
    shape: [rows.length, length],
  };
}
