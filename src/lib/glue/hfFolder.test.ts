/**
 * config.json of a fine-tuned checkpoint against transformers' own output: the tiny model's
 * config.json (written by transformers' save_pretrained for RobertaForSequenceClassification on
 * MRPC, tests/fixtures/roberta/tiny) is, but for number spelling, what the helper makes from the
 * same config without its head; STS-B gets transformers' regression head (one output named LABEL_0); the original's own
 * head keys are replaced; tokenizer_config.json names the class and the length.
 */
import { describe, expect, it } from 'vitest';
import { fixtureText } from '../testing/roberta';
import { fineTunedConfig, tokenizerConfig } from './hfFolder';
import { readConfig } from './config';
import { TASKS } from './tasks';

const HEAD = ['id2label', 'label2id', 'num_labels', 'problem_type'];

/** The tiny config as a base model's: no head, the masked-LM architecture. */
function baseConfig(): Record<string, unknown> {
  const json = JSON.parse(fixtureText('tiny/config.json')) as Record<string, unknown>;
  for (const k of HEAD) delete json[k];
  json.architectures = ['RobertaForMaskedLM'];
  return json;
}

describe('fineTunedConfig', () => {
  it('is the config transformers wrote for the tiny MRPC classifier, keys in its order', () => {
    const ours = fineTunedConfig(JSON.stringify(baseConfig()), TASKS.MRPC);
    const theirs = fixtureText('tiny/config.json');
    expect(JSON.parse(ours)).toEqual(JSON.parse(theirs));
    // the same text but for number spelling (Python writes 1e-05, JavaScript 0.00001)
    expect(ours.replace('0.00001', '1e-05')).toBe(theirs);
  });

  it('gives STS-B transformers’ regression head and replaces another task’s head', () => {
    const json = JSON.parse(
      fineTunedConfig(fixtureText('tiny/config.json'), TASKS['STS-B']),
    ) as Record<string, unknown>;
    expect(json).toMatchObject({
      architectures: ['RobertaForSequenceClassification'],
      num_labels: 1,
      id2label: { '0': 'LABEL_0' },
      label2id: { LABEL_0: 0 },
      problem_type: 'regression',
    });
    const mnli = JSON.parse(fineTunedConfig(JSON.stringify(baseConfig()), TASKS.MNLI));
    expect(mnli.id2label).toEqual({ '0': 'entailment', '1': 'neutral', '2': 'contradiction' });
    expect(mnli.num_labels).toBe(3);
    // the library's own reader takes it back with the task's head
    const read = readConfig(JSON.stringify(mnli), 'config.json');
    expect([read.numLabels, read.id2label, read.problemType]).toEqual([
      3,
      ['entailment', 'neutral', 'contradiction'],
      'single_label_classification',
    ]);
  });

  it('says float32 for weights it writes as float32, and names a bad file', () => {
    const f16 = { ...baseConfig(), torch_dtype: 'float16' };
    expect(JSON.parse(fineTunedConfig(JSON.stringify(f16), TASKS.RTE)).torch_dtype).toBe('float32');
    expect(() => fineTunedConfig('[1]', TASKS.RTE)).toThrow(/config\.json: not a JSON object/);
  });
});

describe('tokenizerConfig', () => {
  it('names RoBERTa’s tokenizer and the positions’ length (514 − pad − 1)', () => {
    expect(JSON.parse(tokenizerConfig(fixtureText('tiny/config.json')))).toEqual({
      model_max_length: 512,
      tokenizer_class: 'RobertaTokenizer',
    });
  });
});
