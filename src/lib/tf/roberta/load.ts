/**
 * A RoBERTa model from its files (glue.md §1): config.json → shape, safetensors → parameter
 * tensors through the name plan of lib/glue (§1.3), the head initialised when the file has none
 * that fits the task (normal, std initializer_range, zero biases, seeded) and said so in `notes`.
 * The word embedding is read once; with a vocabulary map only its kept rows go to the device, and
 * the full table stays on the host for writing checkpoints (vocab.ts: scatterRows).
 */
import * as tf from '@tensorflow/tfjs';
import type { RobertaConfig } from '../../glue/config';
import { planWeights } from '../../glue/names';
import type { SafetensorsFile } from '../../glue/safetensors';
import { normalInit } from '../model/seededInit';
import type { TensorMap } from '../tensorSpace';
import { robertaShape, WORD, type RobertaShape } from './shape';
import { pruneRows, type VocabMap } from './vocab';

export interface TaskHead {
  /** outputs of the head: classes, or 1 for regression */
  labels: number;
  regression: boolean;
}

/** The model's sizes from config.json; `dropout` (the command's --dropout) overrides every rate. */
export function shapeFromConfig(
  c: RobertaConfig,
  head: TaskHead,
  opts: { vocab?: VocabMap | null; dropout?: number } = {},
): RobertaShape {
  const hidden = opts.dropout ?? c.hiddenDropoutProb;
  return robertaShape({
    vocab: opts.vocab ? opts.vocab.kept.length : c.vocabSize,
    hidden: c.hiddenSize,
    layers: c.numHiddenLayers,
    heads: c.numAttentionHeads,
    intermediate: c.intermediateSize,
    maxPositions: c.maxPositionEmbeddings,
    typeVocab: c.typeVocabSize,
    padId: c.padTokenId,
    layerNormEps: c.layerNormEps,
    labels: head.labels,
    regression: head.regression,
    hiddenDropout: hidden,
    headDropout: opts.dropout ?? c.classifierDropout ?? c.hiddenDropoutProb,
    attentionDropout: opts.dropout ?? c.attentionProbsDropoutProb,
    initStd: c.initializerRange,
  });
}

export interface LoadedWeights {
  /** every parameter of the model (word embedding pruned when a map is given) */
  params: TensorMap;
  /** the file's full word embedding [vocab, hidden], row-major */
  fullWord: Float32Array;
  headLoaded: boolean;
  /** what the user should be told (head initialised and why, unused tensors) */
  notes: string[];
}

/** Reads the weights of `file` for a model of `shape` (built by shapeFromConfig from `config`). */
export async function loadWeights(
  file: SafetensorsFile,
  config: RobertaConfig,
  shape: RobertaShape,
  opts: { vocab?: VocabMap | null; seed?: number; fileName?: string } = {},
): Promise<LoadedWeights> {
  const plan = planWeights(config, file.tensors, shape.labels, opts.fileName ?? file.source.name);
  const params: TensorMap = {};
  let fullWord: Float32Array = new Float32Array(0);
  try {
    for (const w of plan.load) {
      let data = await file.read(w.tensor);
      let dims = w.shape;
      if (w.name === WORD) {
        fullWord = data;
        if (opts.vocab) {
          data = pruneRows(data, shape.hidden, opts.vocab);
          dims = [opts.vocab.kept.length, shape.hidden];
        }
      }
      params[w.name] = tf.tensor(data, dims, 'float32');
    }
    for (const p of plan.initialise) {
      params[p.name] =
        p.shape.length === 1
          ? tf.zeros(p.shape)
          : normalInit(p.shape, shape.initStd, opts.seed ?? 1, p.name);
    }
  } catch (e) {
    tf.dispose(Object.values(params));
    throw e;
  }
  return { params, fullWord, headLoaded: plan.headLoaded, notes: plan.notes };
}
