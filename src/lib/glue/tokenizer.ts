/**
 * RoBERTa tokenization (spec glue.md §2) with `@huggingface/tokenizers` (byte-level BPE; no
 * hand-written BPE here). Segments are encoded without special tokens, truncated longest-first,
 * then framed as `<s> A </s>` or `<s> A </s></s> B </s>`; batches are padded to their longest row.
 */
import { Tokenizer } from '@huggingface/tokenizers';
import { fail } from './errors';
import { isPlainObject, jsonObject } from './json';

export interface GlueTokenizer {
  /** Token ids of `text` without special tokens. */
  encode(text: string): number[];
  clsId: number;
  sepId: number;
  padId: number;
}

/** A tokenizer from the text (or parsed object) of a Hugging Face `tokenizer.json`. */
export function loadTokenizer(
  tokenizerJson: string | object,
  file = 'tokenizer.json',
): GlueTokenizer {
  const json = jsonObject(tokenizerJson, file);
  if (!isPlainObject(json.model)) fail(file, 'has no "model": not a tokenizers file');
  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(json, {});
  } catch (e) {
    fail(file, `not a usable tokenizers file (${(e as Error).message})`);
  }
  const id = (token: string) => {
    const found = tokenizer.token_to_id(token);
    if (found === undefined) fail(file, `has no token ${token} (not a RoBERTa tokenizer?)`);
    return found;
  };
  return {
    encode: (text) => tokenizer.encode(text, { add_special_tokens: false }).ids,
    clsId: id('<s>'),
    sepId: id('</s>'),
    padId: id('<pad>'),
  };
}

const special = (id: number, content: string, lstrip = false) => ({
  id,
  content,
  single_word: false,
  lstrip,
  rstrip: false,
  normalized: !lstrip,
  special: true,
});

/**
 * The `tokenizer.json` of a RoBERTa model from its `vocab.json` and `merges.txt` (the layout of
 * shared/roberta/README §3: byte-level pre-tokenizer and decoder, RobertaProcessing, BPE).
 */
export function tokenizerJsonFromVocabMerges(vocabText: string, mergesText: string): object {
  const vocab = jsonObject(vocabText, 'vocab.json');
  const entries = Object.entries(vocab);
  const bad = entries.find(([, v]) => !Number.isSafeInteger(v) || (v as number) < 0);
  if (bad)
    fail(
      'vocab.json',
      `token ${JSON.stringify(bad[0])} has id ${JSON.stringify(bad[1])}, not an integer ≥ 0`,
    );
  const ids = new Map(entries as [string, number][]);
  const idOf = (token: string) => ids.get(token) ?? fail('vocab.json', `has no ${token} token`);
  const merges: string[] = [];
  mergesText.split('\n').forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '' || (i === 0 && line.startsWith('#version'))) return;
    if (line.split(' ').length !== 2)
      fail(
        'merges.txt',
        `line ${i + 1} is not two symbols separated by one space: ${JSON.stringify(line)}`,
      );
    merges.push(line);
  });
  const byteLevel = { add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      special(idOf('<s>'), '<s>'),
      special(idOf('<pad>'), '<pad>'),
      special(idOf('</s>'), '</s>'),
      special(idOf('<unk>'), '<unk>'),
      special(idOf('<mask>'), '<mask>', true),
    ],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', ...byteLevel },
    post_processor: {
      type: 'RobertaProcessing',
      sep: ['</s>', idOf('</s>')],
      cls: ['<s>', idOf('<s>')],
      trim_offsets: true,
      add_prefix_space: false,
    },
    decoder: { type: 'ByteLevel', ...byteLevel, add_prefix_space: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: Object.fromEntries([...ids].sort((a, b) => a[1] - b[1])),
      merges,
    },
  };
}

export const loadTokenizerFromVocabMerges = (
  vocabText: string,
  mergesText: string,
): GlueTokenizer =>
  loadTokenizer(tokenizerJsonFromVocabMerges(vocabText, mergesText), 'vocab.json + merges.txt');
