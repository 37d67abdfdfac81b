/**
 * The generated tasks of the transformer lab (pure TS): modular addition (Power et al. 2022,
 * "Grokking"), sequence reversal and sorting, balanced brackets and majority. Each is a function
 * of its settings and a seed; train and test never share an example.
 */
import type { TaskSettings } from '../../lab/types';
import { makeRng, mixSeed, shuffle, STREAM } from '../rng';
import { distinctSplit, makeDataset, pack, TaskError, type Dataset } from './types';

type Settings<K extends TaskSettings['kind']> = Extract<TaskSettings, { kind: K }>;

const digits = (n: number): string[] => Array.from({ length: n }, (_, i) => String(i));

/**
 * a + b mod p. Tokens [a, b, '='] (vocab p + 1, '=' is token p), class (a + b) mod p.
 * All p² pairs are shuffled with the seed; the first ⌊trainFraction·p²⌋ train, the rest test.
 */
export function modularAddition(s: Settings<'modadd'>, seed: number): Dataset {
  const { p, trainFraction } = s;
  if (!(p >= 2 && p <= 113 && Number.isInteger(p)))
    throw new TaskError(`p must be an integer in [2, 113]; got ${p}`);
  if (!(trainFraction > 0 && trainFraction < 1))
    throw new TaskError(`train fraction must be in (0, 1); got ${trainFraction}`);
  const pairs = new Uint32Array(p * p);
  for (let i = 0; i < pairs.length; i++) pairs[i] = i;
  shuffle(makeRng(mixSeed(seed, STREAM.task, 1)), pairs);
  const nTrain = Math.min(p * p - 1, Math.max(1, Math.floor(trainFraction * p * p)));
  const rows = Array.from(pairs, (ab) => {
    const a = Math.floor(ab / p);
    const b = ab % p;
    return { tokens: [a, b, p], targets: [(a + b) % p] };
  });
  return makeDataset(
    { vocab: p + 1, seqLen: 3, head: 'classify', classes: p, tokens: [...digits(p), '='] },
    pack(rows.slice(0, nTrain), 3, 1),
    pack(rows.slice(nTrain), 3, 1),
  );
}

/**
 * Reversal or sorting as causal language modelling: the input is x₁…x_L SEP y₁…y_{L−1} (T = 2L),
 * where y is x reversed (or sorted), and position L−1+j must predict y_j; the first L−1
 * positions carry no loss (target −1).
 */
export function sequenceTask(s: Settings<'reverse' | 'sort'>, seed: number): Dataset {
  const { length: L, alphabet: A } = s;
  if (!(L >= 2 && 2 * L <= 64))
    throw new TaskError(
      `length must be in [2, 32] (the sequence is 2·length ≤ 64 tokens); got ${L}`,
    );
  if (!(A >= 2 && A <= 64)) throw new TaskError(`alphabet must be in [2, 64]; got ${A}`);
  const T = 2 * L;
  const SEP = A;
  const { train, test } = distinctSplit(
    makeRng(mixSeed(seed, STREAM.task, 2)),
    s.trainSize,
    s.testSize,
    (rng) => {
      const x = Array.from({ length: L }, () => rng.int(A));
      const y = s.kind === 'reverse' ? [...x].reverse() : [...x].sort((a, b) => a - b);
      const full = [...x, SEP, ...y]; // length 2L + 1
      const tokens = full.slice(0, T);
      const targets = full.slice(1, T + 1).map((t, i) => (i >= L ? t : -1));
      return { key: x.join(','), example: { tokens, targets } };
    },
  );
  return makeDataset(
    { vocab: A + 1, seqLen: T, head: 'lm', classes: A + 1, tokens: [...digits(A), '|'] },
    pack(train, T, T),
    pack(test, T, T),
  );
}

const isBalanced = (w: number[]): boolean => {
  let depth = 0;
  for (const c of w) {
    depth += c === 0 ? 1 : -1;
    if (depth < 0) return false;
  }
  return depth === 0;
};

/**
 * Balanced brackets: strings of '(' (0) and ')' (1) of even length, label 1 when balanced. Half
 * the examples are balanced (random Dyck walks); the other half are unbalanced, and half of
 * those still have equal counts of '(' and ')', so counting alone does not solve the task.
 */
export function brackets(s: Settings<'brackets'>, seed: number): Dataset {
  const L = s.length;
  if (!(L >= 4 && L <= 64 && L % 2 === 0))
    throw new TaskError(`length must be even, in [4, 64]; got ${L}`);
  const { train, test } = distinctSplit(
    makeRng(mixSeed(seed, STREAM.task, 3)),
    s.trainSize,
    s.testSize,
    (rng, i) => {
      let w: number[];
      if (i % 2 === 0) {
        w = [];
        let depth = 0;
        for (let k = 0; k < L; k++) {
          const opensLeft = L / 2 - (k + depth) / 2; // '(' still to place
          const open = depth === 0 || (opensLeft > 0 && rng.uniform() < 0.5);
          w.push(open ? 0 : 1);
          depth += open ? 1 : -1;
        }
      } else {
        do {
          w =
            i % 4 === 1
              ? shuffle(rng, [...Array(L / 2).fill(0), ...Array(L / 2).fill(1)])
              : Array.from({ length: L }, () => rng.int(2));
        } while (isBalanced(w));
      }
      return { key: w.join(''), example: { tokens: w, targets: [isBalanced(w) ? 1 : 0] } };
    },
  );
  return makeDataset(
    { vocab: 2, seqLen: L, head: 'classify', classes: 2, tokens: ['(', ')'] },
    pack(train, L, 1),
    pack(test, L, 1),
  );
}

/** Majority: 0/1 strings of odd length, label 1 when ones are the majority. */
export function majority(s: Settings<'majority'>, seed: number): Dataset {
  const L = s.length;
  if (!(L >= 3 && L <= 63 && L % 2 === 1))
    throw new TaskError(`length must be odd, in [3, 63]; got ${L}`);
  const { train, test } = distinctSplit(
    makeRng(mixSeed(seed, STREAM.task, 4)),
    s.trainSize,
    s.testSize,
    (rng) => {
      const w = Array.from({ length: L }, () => rng.int(2));
      const ones = w.reduce((a, b) => a + b, 0);
      return { key: w.join(''), example: { tokens: w, targets: [2 * ones > L ? 1 : 0] } };
    },
  );
  return makeDataset(
    { vocab: 2, seqLen: L, head: 'classify', classes: 2, tokens: ['0', '1'] },
    pack(train, L, 1),
    pack(test, L, 1),
  );
}
