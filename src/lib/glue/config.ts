/**
 * config.json of a RoBERTa-family model (spec glue.md §1.1). Defaults for missing keys are those of
 * §1.1, and for the sizes §1.1 does not name, those of transformers' RobertaConfig. Unknown keys are
 * ignored (real files carry many, §5); a known key with a bad value is an error naming the key.
 */
import { fail } from './errors';
import { isPlainObject, jsonObject } from './json';

export type ProblemType = 'single_label_classification' | 'regression';

export interface RobertaConfig {
  vocabSize: number;
  hiddenSize: number;
  numHiddenLayers: number;
  numAttentionHeads: number;
  intermediateSize: number;
  maxPositionEmbeddings: number;
  typeVocabSize: number;
  padTokenId: number;
  layerNormEps: number;
  /** Always 'gelu', the exact erf form (§1.1). */
  hiddenAct: 'gelu';
  hiddenDropoutProb: number;
  attentionProbsDropoutProb: number;
  /** Dropout of the classification head; transformers uses hiddenDropoutProb when this is null. */
  classifierDropout: number | null;
  initializerRange: number;
  /** num_labels, else the size of id2label, else null (the task decides). */
  numLabels: number | null;
  /** Label names by id, when the file has them. */
  id2label: string[] | null;
  problemType: ProblemType | null;
}

type Json = Record<string, unknown>;

function positiveInt(json: Json, key: string, fallback: number, file: string): number {
  const v = json[key] ?? fallback;
  if (!Number.isSafeInteger(v) || (v as number) <= 0)
    fail(file, `${key} must be a positive integer, got ${JSON.stringify(v)}`);
  return v as number;
}

function fraction(json: Json, key: string, fallback: number, file: string): number {
  const v = json[key] ?? fallback;
  if (typeof v !== 'number' || !(v >= 0 && v < 1))
    fail(file, `${key} must be a number in [0, 1), got ${JSON.stringify(v)}`);
  return v;
}

function positiveNumber(json: Json, key: string, fallback: number, file: string): number {
  const v = json[key] ?? fallback;
  if (typeof v !== 'number' || !(v > 0 && Number.isFinite(v)))
    fail(file, `${key} must be a positive number, got ${JSON.stringify(v)}`);
  return v;
}

function readId2label(json: Json, file: string): string[] | null {
  const raw = json.id2label;
  if (raw === undefined || raw === null) return null;
  if (!isPlainObject(raw)) fail(file, 'id2label must be an object {"0": name, …}');
  const entries = Object.entries(raw as Json);
  const names: string[] = [];
  for (const [id, name] of entries) {
    const i = Number(id);
    if (!Number.isInteger(i) || i < 0 || i >= entries.length || typeof name !== 'string') {
      fail(
        file,
        `id2label must map the ids 0…${entries.length - 1} to names, found ${JSON.stringify(id)}: ${JSON.stringify(name)}`,
      );
    }
    names[i] = name;
  }
  return names;
}

function readNumLabels(json: Json, id2label: string[] | null, file: string): number | null {
  if (json.num_labels === undefined || json.num_labels === null)
    return id2label ? id2label.length : null;
  const n = positiveInt(json, 'num_labels', 0, file);
  if (id2label && id2label.length !== n)
    fail(file, `num_labels is ${n} but id2label names ${id2label.length} labels`);
  return n;
}

function readProblemType(json: Json, file: string): ProblemType | null {
  const v = json.problem_type;
  if (v === undefined || v === null) return null;
  if (v !== 'single_label_classification' && v !== 'regression') {
    fail(
      file,
      `problem_type ${JSON.stringify(v)} is not supported (single_label_classification or regression)`,
    );
  }
  return v;
}

/** Reads a parsed config.json object, or its text. `file` names it in messages. */
export function readConfig(input: unknown, file = 'config.json'): RobertaConfig {
  const c = jsonObject(input, file);
  if (c.model_type !== 'roberta') {
    fail(file, `model_type must be "roberta", got ${JSON.stringify(c.model_type ?? null)}`);
  }
  const hiddenAct = c.hidden_act ?? 'gelu';
  if (hiddenAct !== 'gelu')
    fail(
      file,
      `hidden_act ${JSON.stringify(hiddenAct)} is not supported (only "gelu", the exact erf form)`,
    );
  const positionType = c.position_embedding_type ?? 'absolute';
  if (positionType !== 'absolute') {
    fail(
      file,
      `position_embedding_type ${JSON.stringify(positionType)} is not supported (only "absolute")`,
    );
  }
  const hiddenSize = positiveInt(c, 'hidden_size', 768, file);
  const numAttentionHeads = positiveInt(c, 'num_attention_heads', 12, file);
  if (hiddenSize % numAttentionHeads !== 0) {
    fail(
      file,
      `hidden_size ${hiddenSize} is not divisible by num_attention_heads ${numAttentionHeads}`,
    );
  }
  const vocabSize = positiveInt(c, 'vocab_size', 50265, file);
  const padTokenId = c.pad_token_id ?? 1;
  if (
    !Number.isSafeInteger(padTokenId) ||
    (padTokenId as number) < 0 ||
    (padTokenId as number) >= vocabSize
  ) {
    fail(
      file,
      `pad_token_id must be an integer id below vocab_size ${vocabSize}, got ${JSON.stringify(padTokenId)}`,
    );
  }
  const classifierDropout = c.classifier_dropout ?? null;
  const id2label = readId2label(c, file);
  return {
    vocabSize,
    hiddenSize,
    numHiddenLayers: positiveInt(c, 'num_hidden_layers', 12, file),
    numAttentionHeads,
    intermediateSize: positiveInt(c, 'intermediate_size', 3072, file),
    maxPositionEmbeddings: positiveInt(c, 'max_position_embeddings', 514, file),
    typeVocabSize: positiveInt(c, 'type_vocab_size', 1, file),
    padTokenId: padTokenId as number,
    layerNormEps: positiveNumber(c, 'layer_norm_eps', 1e-5, file),
    hiddenAct: 'gelu',
    hiddenDropoutProb: fraction(c, 'hidden_dropout_prob', 0.1, file),
    attentionProbsDropoutProb: fraction(c, 'attention_probs_dropout_prob', 0.1, file),
    classifierDropout:
      classifierDropout === null ? null : fraction(c, 'classifier_dropout', 0, file),
    initializerRange: positiveNumber(c, 'initializer_range', 0.02, file),
    numLabels: readNumLabels(c, id2label, file),
    id2label,
    problemType: readProblemType(c, file),
  };
}
