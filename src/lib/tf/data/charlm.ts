/**
 * Character-level language modelling on a short public-domain text (static/texts/). The
 * vocabulary is the text's sorted set of characters; examples are windows of T characters and
 * the target at each position is the next character. The text is split by position: the first
 * (1 − testFraction) train (windows at every offset), the rest test (non-overlapping windows),
 * so no test window shares a character with a training window.
 */
import type { TaskSettings } from '../../lab/types';
import { makeDataset, TaskError, type Dataset, type Examples } from './types';

function windows(ids: Int32Array, from: number, to: number, T: number, stride: number): Examples {
  const starts: number[] = [];
  for (let s = from; s + T + 1 <= to; s += stride) starts.push(s);
  const tokens = new Int32Array(starts.length * T);
  const targets = new Int32Array(starts.length * T);
  starts.forEach((s, i) => {
    tokens.set(ids.subarray(s, s + T), i * T);
    targets.set(ids.subarray(s + 1, s + T + 1), i * T);
  });
  return { n: starts.length, tokens, targets };
}

export function charLM(s: Extract<TaskSettings, { kind: 'charlm' }>, text: string): Dataset {
  const T = s.seqLen;
  if (!(T >= 4 && T <= 64)) throw new TaskError(`sequence length must be in [4, 64]; got ${T}`);
  if (!(s.testFraction > 0 && s.testFraction < 0.5))
    throw new TaskError(`test fraction must be in (0, 0.5); got ${s.testFraction}`);
  const chars = [...new Set(text)].sort();
  const index = new Map(chars.map((c, i) => [c, i]));
  const ids = Int32Array.from(text, (c) => index.get(c) ?? 0);
  const split = Math.floor(ids.length * (1 - s.testFraction));
  const train = windows(ids, 0, split, T, 1);
  const test = windows(ids, split, ids.length, T, T);
  if (train.n < 1 || test.n < 1)
    throw new TaskError(`the text is too short for windows of ${T} characters`);
  return makeDataset(
    { vocab: chars.length, seqLen: T, head: 'lm', classes: chars.length, tokens: chars },
    train,
    test,
  );
}
