/**
 * Tensor-name mapping (spec glue.md §1.3): which tensor of the file feeds which parameter of a
 * RobertaForSequenceClassification. Parameter names are the Hugging Face names with the `roberta.`
 * prefix, shapes are PyTorch [out, in]. The file may lack the prefix (saved from RobertaModel);
 * lm_head.*, the pooler and position_ids are ignored; the classifier is loaded when it is there and
 * fits the task, otherwise the plan says to initialise it (normal, std initializer_range, zero biases).
 */
import type { RobertaConfig } from './config';
import { FLOAT_DTYPES } from './dtypes';
import { fail } from './errors';
import type { TensorInfo } from './safetensors';

export interface ParamSpec {
  /** Hugging Face name with the `roberta.` prefix (also the name written to checkpoints). */
  name: string;
  shape: number[];
}

export interface PlannedWeight extends ParamSpec {
  /** Name of the tensor in the file that holds it. */
  tensor: string;
  dtype: string;
}

export interface WeightPlan {
  /** Encoder tensors (always loaded), then the head's four when `headLoaded`. */
  load: PlannedWeight[];
  /** The head's parameters to initialise (empty when loaded from the file). */
  initialise: ParamSpec[];
  headLoaded: boolean;
  /** Whether the file names tensors with the `roberta.` prefix. */
  prefixed: boolean;
  /** File tensors the model does not use (lm_head.*, pooler, position_ids, anything else). */
  ignored: string[];
  /** What a user should be told (head initialised and why). */
  notes: string[];
}

/** The encoder's parameters and their shapes from config.json, in model order (§1.3). */
export function encoderParams(config: RobertaConfig): ParamSpec[] {
  const h = config.hiddenSize;
  const ffn = config.intermediateSize;
  const e = 'roberta.embeddings.';
  const params: ParamSpec[] = [
    { name: `${e}word_embeddings.weight`, shape: [config.vocabSize, h] },
    { name: `${e}position_embeddings.weight`, shape: [config.maxPositionEmbeddings, h] },
    { name: `${e}token_type_embeddings.weight`, shape: [config.typeVocabSize, h] },
    { name: `${e}LayerNorm.weight`, shape: [h] },
    { name: `${e}LayerNorm.bias`, shape: [h] },
  ];
  const linear = (name: string, out: number, inp: number) => {
    params.push(
      { name: `${name}.weight`, shape: [out, inp] },
      { name: `${name}.bias`, shape: [out] },
    );
  };
  const layerNorm = (name: string) => {
    params.push({ name: `${name}.weight`, shape: [h] }, { name: `${name}.bias`, shape: [h] });
  };
  for (let i = 0; i < config.numHiddenLayers; i++) {
    const l = `roberta.encoder.layer.${i}.`;
    for (const qkv of ['query', 'key', 'value']) linear(`${l}attention.self.${qkv}`, h, h);
    linear(`${l}attention.output.dense`, h, h);
    layerNorm(`${l}attention.output.LayerNorm`);
    linear(`${l}intermediate.dense`, ffn, h);
    linear(`${l}output.dense`, h, ffn);
    layerNorm(`${l}output.LayerNorm`);
  }
  return params;
}

/** The classification/regression head for `numLabels` outputs (1 for regression). */
export function headParams(config: RobertaConfig, numLabels: number): ParamSpec[] {
  const h = config.hiddenSize;
  return [
    { name: 'classifier.dense.weight', shape: [h, h] },
    { name: 'classifier.dense.bias', shape: [h] },
    { name: 'classifier.out_proj.weight', shape: [numLabels, h] },
    { name: 'classifier.out_proj.bias', shape: [numLabels] },
  ];
}

const sameShape = (a: number[], b: number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);
const showShape = (s: number[]) => `[${s.join(', ')}]`;
const IGNORED = /^(lm_head\.|roberta\.pooler\.|pooler\.)|(^|\.)position_ids$/;

/**
 * Plans the loading of `tensors` (a safetensors index) into a model of `config` with a head of
 * `numLabels` outputs. Throws a GlueInputError naming a missing encoder tensor, a shape that
 * disagrees with config.json, or a dtype that is not F32/F16/BF16.
 */
export function planWeights(
  config: RobertaConfig,
  tensors: ReadonlyMap<string, TensorInfo>,
  numLabels: number,
  file = 'model.safetensors',
): WeightPlan {
  const prefixed = [...tensors.keys()].some((n) => n.startsWith('roberta.'));
  const fileName = (param: string) =>
    prefixed || param.startsWith('classifier.') ? param : param.slice('roberta.'.length);
  const used = new Set<string>();
  const entry = (p: ParamSpec, info: TensorInfo): PlannedWeight => {
    if (!FLOAT_DTYPES.includes(info.dtype)) {
      fail(
        `${file}: tensor '${info.name}'`,
        `dtype '${info.dtype}' is not a weight dtype (F32, F16 or BF16)`,
      );
    }
    used.add(info.name);
    return { ...p, tensor: info.name, dtype: info.dtype };
  };
  const load = encoderParams(config).map((p) => {
    const info = tensors.get(fileName(p.name));
    if (!info)
      fail(
        file,
        `missing tensor '${fileName(p.name)}' (config.json: ${config.numHiddenLayers} layers, hidden ${config.hiddenSize})`,
      );
    if (!sameShape(info.shape, p.shape)) {
      fail(
        `${file}: tensor '${info.name}'`,
        `shape ${showShape(info.shape)} disagrees with config.json, which implies ${showShape(p.shape)}`,
      );
    }
    return entry(p, info);
  });
  const head = headParams(config, numLabels);
  const found = head.map((p) => tensors.get(p.name));
  const notes: string[] = [];
  const misfit = head.find((p, i) => found[i] && !sameShape(found[i]!.shape, p.shape));
  let headLoaded = false;
  if (found.every((t) => !t)) {
    notes.push(
      `no classifier in ${file}: head initialised (normal, std ${config.initializerRange}, zero biases)`,
    );
  } else if (found.some((t) => !t)) {
    const missing = head.filter((_, i) => !found[i]).map((p) => p.name);
    notes.push(`${file} has an incomplete classifier (no ${missing.join(', ')}): head initialised`);
  } else if (misfit) {
    const got = found[head.indexOf(misfit)]!.shape;
    notes.push(
      `${misfit.name} in ${file} has shape ${showShape(got)}, this task needs ${showShape(misfit.shape)}: head initialised`,
    );
  } else {
    load.push(...head.map((p, i) => entry(p, found[i]!)));
    headLoaded = true;
  }
  const ignored = [...tensors.keys()].filter((n) => !used.has(n));
  const unexpected = ignored.filter((n) => !IGNORED.test(n) && !n.startsWith('classifier.'));
  if (unexpected.length)
    notes.push(
      `${file}: ${unexpected.length} tensor(s) not used by the model, e.g. '${unexpected[0]}'`,
    );
  return { load, initialise: headLoaded ? [] : head, headLoaded, prefixed, ignored, notes };
}
