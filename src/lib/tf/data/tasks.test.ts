import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TaskSettings } from '../../lab/types';
import { describeExample, makeTask, type Dataset, type Examples } from './index';

const alice = readFileSync(new URL('../../../../static/texts/alice.txt', import.meta.url), 'utf8');

const TASKS: TaskSettings[] = [
  { kind: 'modadd', p: 11, trainFraction: 0.5 },
  { kind: 'reverse', length: 6, alphabet: 5, trainSize: 200, testSize: 50 },
  { kind: 'sort', length: 6, alphabet: 5, trainSize: 200, testSize: 50 },
  { kind: 'brackets', length: 12, trainSize: 200, testSize: 50 },
  { kind: 'majority', length: 9, trainSize: 200, testSize: 50 },
  { kind: 'charlm', text: 'alice', seqLen: 16, testFraction: 0.1 },
];

const rows = (ex: Examples, T: number) =>
  Array.from({ length: ex.n }, (_, i) => ex.tokens.subarray(i * T, (i + 1) * T).join(','));

describe.each(TASKS)('task $kind', (settings) => {
  const make = (seed: number): Dataset => makeTask(settings, seed, { alice });

  it('is deterministic per seed and changes with the seed', () => {
    const a = make(7);
    const b = make(7);
    expect(a.train.tokens).toEqual(b.train.tokens);
    expect(a.test.targets).toEqual(b.test.targets);
    expect(a.batchAt(5, 8, 3)).toEqual(b.batchAt(5, 8, 3));
    expect(a.batchAt(5, 8, 3).tokens).not.toEqual(a.batchAt(5, 8, 4).tokens);
    if (settings.kind !== 'charlm') expect(make(8).train.tokens).not.toEqual(a.train.tokens);
  });

  it('keeps train and test disjoint and tokens inside the vocabulary', () => {
    const d = make(1);
    const train = new Set(rows(d.train, d.seqLen));
    expect(d.train.n).toBeGreaterThan(0);
    expect(d.test.n).toBeGreaterThan(0);
    if (settings.kind !== 'charlm')
      for (const r of rows(d.test, d.seqLen)) expect(train.has(r)).toBe(false);
    expect(Math.max(...d.train.tokens)).toBeLessThan(d.vocab);
    expect(Math.max(...d.test.targets)).toBeLessThan(d.classes);
    expect(d.seqLen).toBeLessThanOrEqual(64);
  });

  it('walks the whole training set once per epoch', () => {
    const d = make(2);
    const B = 4;
    const steps = Math.floor(d.train.n / B);
    const seen = new Set<string>();
    for (let t = 0; t < steps; t++)
      for (const r of rows(
        { n: B, tokens: d.batchAt(t, B, 9).tokens, targets: new Int32Array() },
        d.seqLen,
      ))
        seen.add(r);
    const distinct = new Set(rows(d.train, d.seqLen)).size;
    expect(seen.size).toBeGreaterThanOrEqual(
      Math.min(distinct, steps * B) - (d.train.n - distinct),
    );
    expect(describeExample(d).input.length).toBeGreaterThan(0);
  });
});

describe('task contents', () => {
  it('modular addition labels are (a + b) mod p and split by the train fraction', () => {
    const d = makeTask({ kind: 'modadd', p: 7, trainFraction: 0.3 }, 1);
    expect(d.train.n).toBe(Math.floor(0.3 * 49));
    expect(d.train.n + d.test.n).toBe(49);
    for (let i = 0; i < d.train.n; i++) {
      const [a, b, eq] = d.train.tokens.subarray(3 * i, 3 * i + 3);
      expect(eq).toBe(7);
      expect(d.train.targets[i]).toBe((a + b) % 7);
    }
  });

  it('brackets are balanced about half the time and labelled correctly', () => {
    const d = makeTask({ kind: 'brackets', length: 14, trainSize: 100, testSize: 20 }, 3);
    let ones = 0;
    for (let i = 0; i < d.train.n; i++) {
      let depth = 0;
      let ok = true;
      for (const c of d.train.tokens.subarray(14 * i, 14 * i + 14)) {
        depth += c === 0 ? 1 : -1;
        if (depth < 0) ok = false;
      }
      expect(d.train.targets[i]).toBe(ok && depth === 0 ? 1 : 0);
      ones += d.train.targets[i];
    }
    expect(ones).toBe(50);
  });

  it('reversal targets the reversed input on the output half only', () => {
    const d = makeTask({ kind: 'reverse', length: 4, alphabet: 6, trainSize: 20, testSize: 5 }, 4);
    const tok = Array.from(d.train.tokens.subarray(0, 8));
    const tgt = Array.from(d.train.targets.subarray(0, 8));
    expect(tok[4]).toBe(6);
    expect(tgt.slice(0, 4)).toEqual([-1, -1, -1, -1]);
    expect(tgt.slice(4)).toEqual(tok.slice(0, 4).reverse());
  });

  it('char-LM targets are the next characters and the test text comes after the training text', () => {
    const d = makeTask({ kind: 'charlm', text: 'alice', seqLen: 8, testFraction: 0.1 }, 0, {
      alice,
    });
    expect(Array.from(d.train.targets.subarray(0, 7))).toEqual(
      Array.from(d.train.tokens.subarray(1, 8)),
    );
    const decode = (ids: ArrayLike<number>) => Array.from(ids, (i) => d.tokens[i]).join('');
    expect(alice.startsWith(decode(d.train.tokens.subarray(0, 8)))).toBe(true);
    expect(alice.indexOf(decode(d.test.tokens.subarray(0, 8)))).toBeGreaterThanOrEqual(
      Math.floor(alice.length * 0.9) - 8,
    );
  });

  it('says clearly when the sizes cannot be met', () => {
    expect(() => makeTask({ kind: 'majority', length: 3, trainSize: 10, testSize: 5 }, 1)).toThrow(
      /distinct examples/,
    );
    expect(() =>
      makeTask({ kind: 'charlm', text: 'alice', seqLen: 8, testFraction: 0.1 }, 1),
    ).toThrow(/not loaded/);
  });
});
