/**
 * makeTask: the lab's task settings → a Dataset (see types.ts). Texts are passed in, so this
 * module stays free of bundler-specific imports and runs in Node tests unchanged.
 */
import type { TaskSettings, TextName } from '../../lab/types';
import { charLM } from './charlm';
import { brackets, majority, modularAddition, sequenceTask } from './tasks';
import type { Dataset } from './types';

export * from './types';

export function makeTask(
  s: TaskSettings,
  seed: number,
  texts: Partial<Record<TextName, string>> = {},
): Dataset {
  switch (s.kind) {
    case 'modadd':
      return modularAddition(s, seed);
    case 'reverse':
    case 'sort':
      return sequenceTask(s, seed);
    case 'brackets':
      return brackets(s, seed);
    case 'majority':
      return majority(s, seed);
    case 'charlm': {
      const text = texts[s.text];
      if (text === undefined) throw new Error(`text "${s.text}" is not loaded`);
      return charLM(s, text);
    }
  }
}

/** A readable rendering of one training example (for the page's task card). */
export function describeExample(d: Dataset, i = 0): { input: string; target: string } {
  const T = d.seqLen;
  const sep = d.tokens.some((t) => t.length > 1) ? ' ' : '';
  const toks = Array.from(d.train.tokens.subarray(i * T, (i + 1) * T), (t) => d.tokens[t]);
  if (d.head === 'classify') return { input: toks.join(sep), target: String(d.train.targets[i]) };
  const targets = Array.from(d.train.targets.subarray(i * T, (i + 1) * T)).filter((t) => t >= 0);
  return { input: toks.join(sep), target: targets.map((t) => d.tokens[t]).join(sep) };
}
