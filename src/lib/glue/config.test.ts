import { describe, expect, it } from 'vitest';
import { fixtureJson, fixtureText } from '../testing/roberta';
import { readConfig } from './config';
import { GlueInputError } from './errors';

describe('config.json (spec §1.1)', () => {
  it('reads the tiny MRPC classifier as its README describes it', () => {
    const c = readConfig(fixtureText('tiny/config.json'));
    expect(c).toMatchObject({
      vocabSize: 50265,
      hiddenSize: 32,
      numAttentionHeads: 4,
      intermediateSize: 64,
      numHiddenLayers: 2,
      maxPositionEmbeddings: 514,
      padTokenId: 1,
      typeVocabSize: 1,
      layerNormEps: 1e-5,
      hiddenAct: 'gelu',
      classifierDropout: null,
      numLabels: 2,
      id2label: ['not_equivalent', 'equivalent'],
      problemType: 'single_label_classification',
    });
  });

  it('reads the STS-B twin as one-output regression', () => {
    const c = readConfig(fixtureJson('tiny/stsb/config.json'));
    expect([c.numLabels, c.problemType, c.id2label]).toEqual([1, 'regression', ['LABEL_0']]);
  });

  it('fills the defaults of §1.1, counts labels from id2label, ignores unknown keys', () => {
    const c = readConfig({
      model_type: 'roberta',
      hidden_size: 64,
      num_attention_heads: 4,
      id2label: { 1: 'b', 0: 'a', 2: 'c' },
      some_future_key: [1],
    });
    expect(c).toMatchObject({
      padTokenId: 1,
      layerNormEps: 1e-5,
      typeVocabSize: 1,
      hiddenAct: 'gelu',
      maxPositionEmbeddings: 514,
    });
    expect([c.numLabels, c.id2label]).toEqual([3, ['a', 'b', 'c']]);
    expect(readConfig({ model_type: 'roberta' }).numLabels).toBeNull();
  });

  const bad: [string, unknown, RegExp][] = [
    ['text that is not JSON', '{"model_type": ', /config\.json: not JSON/],
    ['JSON that is not an object', '[]', /not a JSON object/],
    ['another model type', { model_type: 'bert' }, /model_type must be "roberta", got "bert"/],
    ['no model type', {}, /model_type must be "roberta", got null/],
    [
      'hidden size not divisible by heads',
      { model_type: 'roberta', hidden_size: 30, num_attention_heads: 4 },
      /hidden_size 30 is not divisible by num_attention_heads 4/,
    ],
    [
      'a size that is not a positive integer',
      { model_type: 'roberta', num_hidden_layers: 0 },
      /num_hidden_layers must be a positive integer, got 0/,
    ],
    [
      'a fractional size',
      { model_type: 'roberta', intermediate_size: 3.5 },
      /intermediate_size must be a positive integer, got 3.5/,
    ],
    [
      'a size given as a string',
      { model_type: 'roberta', vocab_size: '50265' },
      /vocab_size must be a positive integer, got "50265"/,
    ],
    [
      'a negative eps',
      { model_type: 'roberta', layer_norm_eps: -1 },
      /layer_norm_eps must be a positive number/,
    ],
    [
      'a dropout of 1',
      { model_type: 'roberta', hidden_dropout_prob: 1 },
      /hidden_dropout_prob must be a number in \[0, 1\)/,
    ],
    [
      'pad id outside the vocabulary',
      { model_type: 'roberta', vocab_size: 10, pad_token_id: 10 },
      /pad_token_id must be an integer id below vocab_size 10/,
    ],
    [
      'another activation',
      { model_type: 'roberta', hidden_act: 'relu' },
      /hidden_act "relu" is not supported/,
    ],
    [
      'relative positions',
      { model_type: 'roberta', position_embedding_type: 'relative_key' },
      /position_embedding_type "relative_key" is not supported/,
    ],
    [
      'num_labels against id2label',
      { model_type: 'roberta', num_labels: 3, id2label: { 0: 'a', 1: 'b' } },
      /num_labels is 3 but id2label names 2 labels/,
    ],
    [
      'id2label with a gap',
      { model_type: 'roberta', id2label: { 0: 'a', 2: 'b' } },
      /id2label must map the ids 0…1 to names, found "2"/,
    ],
    [
      'multi-label problems',
      { model_type: 'roberta', problem_type: 'multi_label_classification' },
      /problem_type "multi_label_classification" is not supported/,
    ],
  ];
  for (const [what, input, message] of bad) {
    it(`rejects ${what}`, () => {
      expect(() => readConfig(input)).toThrow(GlueInputError);
      expect(() => readConfig(input)).toThrow(message);
    });
  }
});
