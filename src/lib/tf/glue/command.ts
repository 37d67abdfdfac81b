/**
 * What the `glue` command computes (glue.md §5), given a parsed request: `predict` prints the
 * model's outputs on a file, `train` fine-tunes and prints each step's f(x_t), ‖s_t‖, f(x_t+δ_t)
 * and the dev metrics. Node only (files come from disk); data readers, tokenizer and metrics are
 * lib/glue's. Bad input throws GlueInputError (the script prints it and exits with status 2).
 */
import * as tf from '@tensorflow/tfjs';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import type { PredictRequest, TrainRequest } from '../../glue/cli';
import { readConfig, type RobertaConfig } from '../../glue/config';
import { readTaskFile, type GlueData } from '../../glue/data';
import { fail } from '../../glue/errors';
import {
  CONFIG_FILE,
  fineTunedConfig,
  STATE_FILE,
  TOKENIZER_CONFIG_FILE,
  tokenizerConfig,
  WEIGHTS_FILE,
} from '../../glue/hfFolder';
import type { SafetensorsFile } from '../../glue/safetensors';
import { openSafetensorsFile, type FileSource } from '../../glue/safetensorsNode';
import type { TaskSpec } from '../../glue/tasks';
import {
  loadTokenizer,
  loadTokenizerFromVocabMerges,
  type GlueTokenizer,
} from '../../glue/tokenizer';
import type { OptimizerConfig } from '../../optim/config';
import type { Schedule } from '../../optim/schedule';
import { labRunLabels, type RunSpec } from '../../state/url';
import type { EncodedExample } from '../roberta/batch';
import { loadWeights, shapeFromConfig } from '../roberta/load';
import { RobertaModel } from '../roberta/model';
import { pruneVocab } from '../roberta/vocab';
import { stateFile, weightsFile } from './checkpoint';
import { encodeRows, firstRows, headOf, metricsOf, predictionsOf } from './examples';
import { predictRows, type StepRecord } from './finetune';
import { stepsPerEpoch } from './order';
import { createRun } from './run';

type OpenFile = SafetensorsFile & { source: FileSource };

interface ModelDir {
  config: RobertaConfig;
  configText: string;
  weights: OpenFile;
  weightsName: string;
}

function need(path: string, what: string): void {
  if (!existsSync(path)) fail(path, `not found (${what})`);
}

async function openModel(dir: string): Promise<ModelDir> {
  const configPath = join(dir, 'config.json');
  need(configPath, '--model must be a folder with config.json and model.safetensors');
  const configText = readFileSync(configPath, 'utf8');
  const config = readConfig(configText, configPath);
  const weightsName = join(dir, 'model.safetensors');
  need(weightsName, '--model must be a folder with config.json and model.safetensors');
  return { config, configText, weights: await openSafetensorsFile(weightsName), weightsName };
}

/**
 * The tokenizer's files: tokenizer.json (a file or in a folder), else vocab.json + merges.txt in
 * the folder, as [name in a model folder, path].
 */
function tokenizerPaths(path: string): [string, string][] {
  need(path, 'the tokenizer: tokenizer.json or a folder holding it or vocab.json + merges.txt');
  if (!statSync(path).isDirectory()) return [['tokenizer.json', path]];
  const json = join(path, 'tokenizer.json');
  if (existsSync(json)) return [['tokenizer.json', json]];
  const vocab = join(path, 'vocab.json');
  const merges = join(path, 'merges.txt');
  if (!existsSync(vocab) || !existsSync(merges))
    fail(path, 'has no tokenizer.json and no vocab.json + merges.txt (give --tokenizer)');
  return [
    ['vocab.json', vocab],
    ['merges.txt', merges],
  ];
}

function openTokenizer(path: string): GlueTokenizer {
  const files = tokenizerPaths(path);
  const text = (i: number) => readFileSync(files[i][1], 'utf8');
  return files.length === 1
    ? loadTokenizer(text(0), files[0][1])
    : loadTokenizerFromVocabMerges(text(0), text(1));
}

async function readData(path: string, task: TaskSpec | null): Promise<GlueData> {
  need(path, 'a data file');
  return readTaskFile(task, new Uint8Array(readFileSync(path)), path);
}

/** GLUE's submission format: `index<TAB>prediction`, a label name or a score, rows in order. */
function submission(data: GlueData, predictions: number[]): string {
  const names = data.task.labels;
  const rows = predictions.map((p, i) => `${i}\t${names ? names[p] : p.toFixed(3)}`);
  return ['index\tprediction', ...rows].join('\n') + '\n';
}

export async function runPredict(req: PredictRequest): Promise<object> {
  const tokenizer = openTokenizer(req.tokenizer);
  const data = await readData(req.data, req.task);
  const examples = encodeRows(tokenizer, data, req.maxLen);
  const model = await openModel(req.model);
  try {
    const vocab = pruneVocab(
      examples.map((e) => e.ids),
      model.config.vocabSize,
    );
    const shape = shapeFromConfig(model.config, headOf(data.task), { vocab, dropout: 0 });
    const loaded = await loadWeights(model.weights, model.config, shape, {
      vocab,
      fileName: model.weightsName,
    });
    try {
      const net = new RobertaModel(shape);
      const logits = await predictRows(net, loaded.params, examples, req.batch, vocab);
      const predictions = predictionsOf(data.task, logits);
      if (req.submission) writeFileSync(req.submission, submission(data, predictions));
      const metrics = metricsOf(data, logits);
      return {
        model: req.model,
        task: data.task.name,
        n: examples.length,
        logits,
        predictions,
        ...(metrics ? { metrics } : {}),
        ...(loaded.notes.length ? { notes: loaded.notes } : {}),
      };
    } finally {
      tf.dispose(Object.values(loaded.params));
    }
  } finally {
    await model.weights.source.close();
  }
}

/**
 * One `train` output object per optimizer (one, or each of a share link's) and seed: seed by
 * seed (seed, seed + 1, …), every optimizer once per seed, as the page races them.
 */
export async function runTrain(req: TrainRequest, runs: RunSpec[]): Promise<object[]> {
  const tokenizer = openTokenizer(req.tokenizer);
  const trainData = await readData(req.train, req.task);
  const devData = req.dev ? await readData(req.dev, req.task) : null;
  if (trainData.labelled < trainData.examples.length)
    fail(req.train, 'has rows without labels (a test split?): they cannot be trained on');
  const trainRows = firstRows(trainData, req.maxTrain);
  const devRows = devData ? firstRows(devData, req.maxDev) : null;
  const train = encodeRows(tokenizer, trainRows, req.maxLen);
  const dev = devRows ? encodeRows(tokenizer, devRows, req.maxLen) : [];
  const order = { rows: train.length, batch: req.batch, shuffle: req.shuffle, seed: req.seed };
  const T = req.steps ?? req.epochs * stepsPerEpoch(order);
  const schedule: Schedule = {
    kind: req.schedule,
    warmup: req.schedule === 'linear' ? req.warmup : 0,
    steps: T,
  };
  const out: object[] = [];
  const labels = labRunLabels(runs);
  const several = runs.length * req.seeds > 1;
  for (let k = 0; k < req.seeds; k++)
    for (const [i, spec] of runs.entries()) {
      // one folder per run and seed when there are several (as the page keeps them)
      const save =
        req.save && several
          ? join(req.save, `${labels[i].replace(/[^A-Za-z0-9._-]+/g, '_')}-seed${req.seed + k}`)
          : req.save;
      out.push(
        await trainOne(
          { ...req, seed: req.seed + k, save },
          spec.config,
          schedule,
          train,
          dev,
          devRows,
        ),
      );
    }
  return out;
}

async function trainOne(
  req: TrainRequest,
  config: OptimizerConfig,
  schedule: Schedule,
  train: EncodedExample[],
  dev: EncodedExample[],
  devData: GlueData | null,
): Promise<object> {
  // a resumed run reads the weights and state that --save wrote
  const model = await openModel(req.resume ?? req.model);
  let state: { file: OpenFile; name: string } | undefined;
  try {
    if (req.resume) {
      const name = join(req.resume, 'optimizer.safetensors');
      need(name, '--resume needs a folder written by --save');
      state = { file: await openSafetensorsFile(name), name };
    }
    const run = await createRun({
      ...model,
      head: headOf(req.task),
      train,
      extra: dev,
      settings: {
        config,
        schedule,
        batch: req.batch,
        microBatch: req.microBatch,
        seed: req.seed,
        shuffle: req.shuffle,
      },
      prune: req.pruneVocab,
      dropout: req.dropout,
      freezeWord: req.freezeEmbeddings,
      state,
    });
    try {
      const steps: StepRecord[] = [];
      let status = 'ok';
      while (run.ft.t < schedule.steps) {
        const rec = await run.ft.step();
        if (!rec) {
          status = 'diverged';
          break;
        }
        steps.push(rec);
      }
      if (req.save) await saveFolder(req.save, req, model.configText, run.ft, run.fullWord);
      const metrics =
        devData && status === 'ok'
          ? metricsOf(devData, await run.ft.predict(dev, Math.max(req.batch, 32)))
          : null;
      return {
        model: req.model,
        task: req.task.name,
        config: {
          ...config,
          schedule: schedule.kind,
          warmup: schedule.warmup,
          steps: schedule.steps,
          batch: req.batch,
          microBatch: req.microBatch,
          maxLen: req.maxLen,
          dropout: req.dropout,
          shuffle: req.shuffle,
          seed: req.seed,
          pruneVocab: req.pruneVocab,
          freezeEmbeddings: req.freezeEmbeddings,
          maxTrain: req.maxTrain,
          maxDev: req.maxDev,
        },
        status,
        steps,
        dev: devData ? { metrics } : null,
        ...(run.notes.length ? { notes: run.notes } : {}),
      };
    } finally {
      run.dispose();
    }
  } finally {
    await model.weights.source.close();
    await state?.file.source.close();
  }
}

/**
 * The model folder of a run (hfFolder.ts): what `AutoModelForSequenceClassification` and
 * `AutoTokenizer` load, and the optimizer state for --resume.
 */
async function saveFolder(
  dir: string,
  req: TrainRequest,
  configText: string,
  ft: Parameters<typeof stateFile>[0],
  fullWord: Float32Array,
): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, WEIGHTS_FILE), await weightsFile(ft, fullWord));
  writeFileSync(join(dir, STATE_FILE), await stateFile(ft));
  writeFileSync(join(dir, CONFIG_FILE), fineTunedConfig(configText, req.task));
  writeFileSync(join(dir, TOKENIZER_CONFIG_FILE), tokenizerConfig(configText));
  for (const [name, path] of tokenizerPaths(req.tokenizer))
    if (resolve(path) !== resolve(dir, name)) copyFileSync(path, join(dir, name));
}
