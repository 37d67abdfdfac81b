/**
 * The files that make a fine-tuned checkpoint a model folder Hugging Face tools load
 * (`AutoModelForSequenceClassification.from_pretrained(dir)`, `AutoTokenizer.from_pretrained(dir)`):
 * config.json with the task's classification head as transformers writes it, the weights
 * (model.safetensors, HF names), the tokenizer's files as chosen (tokenizer.json, or vocab.json +
 * merges.txt) and a tokenizer_config.json naming the tokenizer class and its length; the optimizer
 * state (optimizer.safetensors) sits beside them for `glue train --resume` and is ignored by
 * transformers. The `glue` command's --save and the page's download write the same folder.
 */
import { isPlainObject, jsonObject } from './json';
import type { TaskSpec } from './tasks';

export const CONFIG_FILE = 'config.json';
export const WEIGHTS_FILE = 'model.safetensors';
export const STATE_FILE = 'optimizer.safetensors';
export const TOKENIZER_CONFIG_FILE = 'tokenizer_config.json';

const sorted = (v: unknown): unknown =>
  isPlainObject(v)
    ? Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, sorted(v[k])]),
      )
    : Array.isArray(v)
      ? v.map(sorted)
      : v;

/** Keys sorted at every level, 2-space indent, a final newline: transformers' `save_pretrained`. */
const pretty = (json: Record<string, unknown>) => JSON.stringify(sorted(json), null, 2) + '\n';

/**
 * config.json of the fine-tuned model: the original's keys, the architecture
 * RobertaForSequenceClassification and the task's head: `num_labels`, `id2label` (string keys)
 * and `label2id` from the task's label names (transformers' `LABEL_0` for STS-B's one output), and
 * `problem_type` (regression for STS-B, single_label_classification otherwise). The weights are
 * written as float32, so the dtype says so.
 */
export function fineTunedConfig(original: string, task: TaskSpec, file = CONFIG_FILE): string {
  const json = jsonObject(original, file);
  const names = task.labels ?? ['LABEL_0'];
  json.architectures = ['RobertaForSequenceClassification'];
  json.num_labels = names.length;
  json.id2label = Object.fromEntries(names.map((n, i) => [String(i), n]));
  json.label2id = Object.fromEntries(names.map((n, i) => [n, i]));
  json.problem_type = task.labels === null ? 'regression' : 'single_label_classification';
  json.torch_dtype = 'float32';
  if ('dtype' in json) json.dtype = 'float32';
  return pretty(json);
}

/**
 * tokenizer_config.json: the tokenizer class (AutoTokenizer takes its fast form) and the longest
 * input the positions allow (RoBERTa's positions start after the pad id: 514 → 512).
 */
export function tokenizerConfig(original: string, file = CONFIG_FILE): string {
  const json = jsonObject(original, file);
  const positions = Number(json.max_position_embeddings ?? 514);
  const pad = Number(json.pad_token_id ?? 1);
  return pretty({
    tokenizer_class: 'RobertaTokenizer',
    model_max_length: positions - pad - 1,
  });
}
