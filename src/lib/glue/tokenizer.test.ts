import { describe, expect, it } from 'vitest';
import { fixtureJson, fixtureText } from '../testing/roberta';
import { encodeBatch, positionIds, tokenizeExample, truncate } from './encode';
import { GlueInputError } from './errors';
import {
  loadTokenizer,
  loadTokenizerFromVocabMerges,
  tokenizerJsonFromVocabMerges,
  type GlueTokenizer,
} from './tokenizer';

interface GoldenCase {
  text: string;
  text_pair?: string;
  add_special_tokens: boolean;
  ids: number[];
}

const fromFile = loadTokenizer(fixtureText('tokenizer.json'));
const fromVocab = loadTokenizerFromVocabMerges(
  fixtureText('vocab.json'),
  fixtureText('merges.txt'),
);

/** `<s> A </s></s> B </s>` with specials, or the bare ids without. */
function ids(tokenizer: GlueTokenizer, c: GoldenCase): number[] {
  if (!c.add_special_tokens) return tokenizer.encode(c.text);
  return encodeBatch(tokenizer, [tokenizeExample(tokenizer, c.text, c.text_pair)], 512).inputIds[0];
}

describe('RoBERTa tokenizer (spec §2) against Hugging Face golden ids', () => {
  const golden = fixtureJson<{ cases: GoldenCase[]; extra: GoldenCase[] }>('tokenizer_golden.json');
  for (const [name, tokenizer] of [
    ['tokenizer.json', fromFile],
    ['vocab.json + merges.txt', fromVocab],
  ] as const) {
    for (const c of [...golden.cases, ...golden.extra]) {
      it(`${name}: ${JSON.stringify(c.text)}${c.text_pair ? ` + ${JSON.stringify(c.text_pair)}` : ''}`, () => {
        expect(ids(tokenizer, c)).toEqual(c.ids);
      });
    }
  }

  it('builds from vocab.json + merges.txt the same tokenizer.json as shared/roberta (README §3)', () => {
    expect(
      tokenizerJsonFromVocabMerges(fixtureText('vocab.json'), fixtureText('merges.txt')),
    ).toEqual(fixtureJson('tokenizer.json'));
  });

  it('knows the special ids', () => {
    expect([fromFile.clsId, fromFile.padId, fromFile.sepId]).toEqual([0, 1, 2]);
  });

  it('rejects a tokenizer file that is not JSON, or JSON that is no tokenizer, with its own message', () => {
    expect(() => loadTokenizer('<html>not found</html>')).toThrow(GlueInputError);
    expect(() => loadTokenizer('<html>not found</html>')).toThrow(/^tokenizer\.json: not JSON/);
    expect(() => loadTokenizer('[1]')).toThrow(/tokenizer\.json: not a JSON object/);
    expect(() => loadTokenizer('{"version": "1.0"}')).toThrow(/tokenizer\.json: has no "model"/);
    expect(() => loadTokenizerFromVocabMerges('{"a": "x"}', '')).toThrow(
      /vocab\.json: token "a" has id "x"/,
    );
    expect(() =>
      loadTokenizerFromVocabMerges(fixtureText('vocab.json'), '#version: 0.2\nĠ t\nabc\n'),
    ).toThrow(/merges\.txt: line 3 is not two symbols/);
  });
});

interface BatchGolden {
  examples: {
    text_a: string;
    text_b: string;
    ids_a: number[];
    ids_b: number[];
    kept_a: number;
    kept_b: number;
    length: number;
  }[];
  input_ids: number[][];
  attention_mask: number[][];
  position_ids: number[][];
  data: { maxLength?: number };
}

describe('tokenized batches of the tiny goldens (truncation, padding, masks, positions)', () => {
  for (const [name, path, maxLen] of [
    ['MRPC, max length 40 (longest-first truncation)', 'tiny/golden.json', 40],
    ['STS-B (no truncation, padded to 27)', 'tiny/stsb/golden.json', 40],
  ] as const) {
    it(name, () => {
      const g = fixtureJson<BatchGolden>(path);
      const tokenized = g.examples.map((e) => tokenizeExample(fromFile, e.text_a, e.text_b));
      tokenized.forEach((t, i) => {
        expect(t.a).toEqual(g.examples[i].ids_a);
        expect(t.b).toEqual(g.examples[i].ids_b);
        const kept = truncate(t, maxLen);
        expect([kept.a.length, kept.b!.length]).toEqual([
          g.examples[i].kept_a,
          g.examples[i].kept_b,
        ]);
      });
      const batch = encodeBatch(fromFile, tokenized, maxLen);
      expect(batch.inputIds).toEqual(g.input_ids);
      expect(batch.attentionMask).toEqual(g.attention_mask);
      expect(batch.positionIds).toEqual(g.position_ids);
      expect(batch.shape).toEqual([g.input_ids.length, g.input_ids[0].length]);
    });
  }
});

describe('truncation and positions by hand', () => {
  const ex = (a: number, b: number | null) => ({
    a: Array.from({ length: a }, (_, i) => 100 + i),
    b: b === null ? null : Array.from({ length: b }, (_, i) => 200 + i),
  });
  it('drops from the longer segment, from the second on a tie, counting 4 specials for a pair', () => {
    const cut = (a: number, b: number, maxLen: number) => {
      const t = truncate(ex(a, b), maxLen);
      return [t.a.length, t.b!.length];
    };
    expect(cut(10, 3, 12)).toEqual([5, 3]);
    expect(cut(5, 5, 13)).toEqual([5, 4]); // budget 9, tie → second segment first
    expect(cut(5, 5, 12)).toEqual([4, 4]);
    expect(cut(2, 9, 10)).toEqual([2, 4]);
    expect(truncate(ex(2, 9), 10).b).toEqual([200, 201, 202, 203]);
  });
  it('counts 2 specials for a single sentence', () => {
    expect(truncate(ex(10, null), 8).a).toEqual([100, 101, 102, 103, 104, 105]);
  });
  it('refuses a max length with no room for text', () => {
    expect(() => truncate(ex(1, 1), 5)).toThrow(
      /max length: 5 leaves no room for text \(need at least 6 for a pair\)/,
    );
  });
  it('positions are cumsum(mask)·mask + pad, also with left padding', () => {
    expect(positionIds([0, 5, 2, 1, 1], 1)).toEqual([2, 3, 4, 1, 1]);
    expect(positionIds([1, 1, 0, 5, 2], 1)).toEqual([1, 1, 2, 3, 4]);
  });
  it('pads to the longest row of the batch with id 1, masking the pads', () => {
    const batch = encodeBatch(fromFile, [ex(1, null), ex(3, null)], 128);
    expect(batch.inputIds).toEqual([
      [0, 100, 2, 1, 1],
      [0, 100, 101, 102, 2],
    ]);
    expect(batch.attentionMask).toEqual([
      [1, 1, 1, 0, 0],
      [1, 1, 1, 1, 1],
    ]);
  });
});
