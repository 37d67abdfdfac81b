/**
 * The sizes of a RoBERTa-family encoder with a sequence-classification head (glue.md §1), and its
 * parameters under their Hugging Face names, in the order of config.json's modules (x is flattened
 * in this order, spec §8.3). Pure data: no tensors.
 */
import type { ParamSpec } from '../model/model';

export interface RobertaShape {
  /** rows of the word embedding the model holds: the full vocabulary, or the pruned one */
  vocab: number;
  hidden: number;
  layers: number;
  heads: number;
  intermediate: number;
  maxPositions: number;
  typeVocab: number;
  padId: number;
  layerNormEps: number;
  /** outputs of the head: classes, or 1 for regression (STS-B) */
  labels: number;
  regression: boolean;
  /** hidden_dropout_prob: embeddings, attention output, FFN output */
  hiddenDropout: number;
  /** classifier_dropout (hidden_dropout_prob when the config has none): the head's two dropouts */
  headDropout: number;
  /** attention_probs_dropout_prob */
  attentionDropout: number;
  /** std of the normal initialiser (initializer_range) */
  initStd: number;
}

export const WORD = 'roberta.embeddings.word_embeddings.weight';
export const POSITION = 'roberta.embeddings.position_embeddings.weight';
export const TOKEN_TYPE = 'roberta.embeddings.token_type_embeddings.weight';
export const EMB_LN = 'roberta.embeddings.LayerNorm';
export const layerPrefix = (i: number): string => `roberta.encoder.layer.${i}`;
export const HEAD_DENSE = 'classifier.dense';
export const HEAD_OUT = 'classifier.out_proj';

/**
 * Every tensor of RobertaForSequenceClassification (no pooler), PyTorch [out, in] shapes. Every
 * matrix has its filters on axis 0 (filterAxis, for the loss slices' filter normalization): a
 * row of an embedding table is one token's (position's) vector, a row of a [out, in] weight is
 * one output unit's incoming weights.
 */
export function robertaParams(s: RobertaShape): ParamSpec[] {
  const D = s.hidden;
  const out: ParamSpec[] = [
    { name: WORD, shape: [s.vocab, D], group: 'embed', filterAxis: 0 },
    { name: POSITION, shape: [s.maxPositions, D], group: 'embed', filterAxis: 0 },
    { name: TOKEN_TYPE, shape: [s.typeVocab, D], group: 'embed', filterAxis: 0 },
    { name: `${EMB_LN}.weight`, shape: [D], group: 'embed' },
    { name: `${EMB_LN}.bias`, shape: [D], group: 'embed' },
  ];
  const linear = (name: string, o: number, i: number, group: string) =>
    out.push(
      { name: `${name}.weight`, shape: [o, i], group, filterAxis: 0 },
      { name: `${name}.bias`, shape: [o], group },
    );
  const norm = (name: string, group: string) =>
    out.push(
      { name: `${name}.weight`, shape: [D], group },
      { name: `${name}.bias`, shape: [D], group },
    );
  for (let l = 0; l < s.layers; l++) {
    const p = layerPrefix(l);
    const group = `layer${l}`;
    linear(`${p}.attention.self.query`, D, D, group);
    linear(`${p}.attention.self.key`, D, D, group);
    linear(`${p}.attention.self.value`, D, D, group);
    linear(`${p}.attention.output.dense`, D, D, group);
    norm(`${p}.attention.output.LayerNorm`, group);
    linear(`${p}.intermediate.dense`, s.intermediate, D, group);
    linear(`${p}.output.dense`, D, s.intermediate, group);
    norm(`${p}.output.LayerNorm`, group);
  }
  linear(HEAD_DENSE, D, D, 'head');
  linear(HEAD_OUT, s.labels, D, 'head');
  return out;
}

export const paramCount = (specs: readonly ParamSpec[]): number =>
  specs.reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);

/** The two shipped presets of glue.md §1, for random-weight benchmarks. */
export const PRESET_SHAPES = {
  'distilroberta-base': { hidden: 768, layers: 6, heads: 12, intermediate: 3072 },
  small: { hidden: 384, layers: 6, heads: 12, intermediate: 1536 },
} as const;

/** A shape with RoBERTa's defaults (config.json defaults of glue.md §1.1) and the given sizes. */
export function robertaShape(sizes: Partial<RobertaShape>): RobertaShape {
  return {
    vocab: 50265,
    hidden: 768,
    layers: 6,
    heads: 12,
    intermediate: 3072,
    maxPositions: 514,
    typeVocab: 1,
    padId: 1,
    layerNormEps: 1e-5,
    labels: 2,
    regression: false,
    hiddenDropout: 0.1,
    headDropout: 0.1,
    attentionDropout: 0.1,
    initStd: 0.02,
    ...sizes,
  };
}
