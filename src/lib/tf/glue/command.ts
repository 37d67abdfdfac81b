/**
 * What the `glue` command computes (glue.md §5), given a parsed request: `predict` prints the
 * model's outputs on a file, `train` fine-tunes and prints each step's f(x_t), ‖s_t‖, f(x_t+δ_t)
 * and the dev metrics. Node only (files come from disk); the data readers, tokenizer and metrics
 * are lib/glue's, passed in as `GlueIo`.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskName, PredictRequest, TrainRequest } from '../../glue/cli';
import { readConfig, type RobertaConfig } from '../../glue/config';
import { fail } from '../../glue/errors';
import { openSafetensorsFile, type FileSource } from '../../glue/safetensorsNode';
import type { SafetensorsFile } from '../../glue/safetensors';
import type { OptimizerConfig } from '../../optim/config';
import type { Schedule } from '../../optim/schedule';
import type { RunSpec } from '../../state/url';
import type { EncodedExample } from '../roberta/batch';
import { weightsFile, stateFile } from './checkpoint';
import { predictRows, type StepRecord } from './finetune';
import { stepsPerEpoch } from './order';
import { createRun } from './run';
import { loadWeights, shapeFromConfig } from '../roberta/load';
import { RobertaModel } from '../roberta/model';
import { pruneVocab } from '../roberta/vocab';

/** A task file read by lib/glue: rows in file order. */
export interface TaskRows {
  task: TaskName;
  rows: { a: string; b: string | null; label: number | null; index: string }[];
}

/** The pieces of lib/glue the command uses. */
export interface GlueIo {
  readRows(path: string, task: TaskName | null): Promise<TaskRows>;
  /** ids with the special tokens, truncated longest-first to maxLen */
  tokenizer(modelDir: string): Promise<(a: string, b: string | null, maxLen: number) => number[]>;
  /** metric name → value ×100 (glue.md §3) */
  metrics(task: TaskName, outputs: number[][], labels: number[]): Record<string, number>;
  /** label names for a submission file (null for regression) */
  labelNames(task: TaskName): string[] | null;
}

export const isRegression = (task: TaskName): boolean => task === 'stsb';
const labelCount = (task: TaskName): number => (task === 'stsb' ? 1 : task === 'mnli' ? 3 : 2);

interface ModelDir {
  dir: string;
  config: RobertaConfig;
  weights: SafetensorsFile & { source: FileSource };
  weightsName: string;
  configText: string;
}

async function openModel(dir: string): Promise<ModelDir> {
  const configPath = join(dir, 'config.json');
  if (!existsSync(configPath)) fail(configPath, 'not found (--model must be a model folder)');
  const configText = readFileSync(configPath, 'utf8');
  const config = readConfig(configText, configPath);
  const weightsName = join(dir, 'model.safetensors');
  if (!existsSync(weightsName)) fail(weightsName, 'not found');
  return { dir, config, weights: await openSafetensorsFile(weightsName), weightsName, configText };
}

async function encode(
  io: GlueIo,
  model: string,
  rows: TaskRows,
  maxLen: number,
): Promise<EncodedExample[]> {
  const tokenize = await io.tokenizer(model);
  return rows.rows.map((r) => ({ ids: tokenize(r.a, r.b, maxLen), label: r.label ?? -1 }));
}

/** argmax per row, or the value for regression. */
const predictionsOf = (task: TaskName, outputs: number[][]): number[] =>
  isRegression(task) ? outputs.map((o) => o[0]) : outputs.map((o) => o.indexOf(Math.max(...o)));

function metricsOf(io: GlueIo, task: TaskName, rows: TaskRows, outputs: number[][]) {
  const labelled = rows.rows.every((r) => r.label !== null && r.label >= 0);
  return labelled
    ? io.metrics(
        task,
        outputs,
        rows.rows.map((r) => r.label!),
      )
    : null;
}

export async function runPredict(io: GlueIo, req: PredictRequest): Promise<object> {
  const model = await openModel(req.model);
  try {
    const rows = await io.readRows(req.data, req.task);
    const task = rows.task;
    const examples = await encode(io, req.model, rows, req.maxLen);
    const vocab = pruneVocab(
      examples.map((e) => e.ids),
      model.config.vocabSize,
    );
    const head = { labels: labelCount(task), regression: isRegression(task) };
    const shape = shapeFromConfig(model.config, head, { vocab, dropout: 0 });
    const loaded = await loadWeights(model.weights, model.config, shape, {
      vocab,
      fileName: model.weightsName,
    });
    try {
      const logits = await predictRows(
        new RobertaModel(shape),
        loaded.params,
        examples,
        req.batch,
        vocab,
      );
      const predictions = predictionsOf(task, logits);
      if (req.submission) writeSubmission(io, task, req.submission, rows, predictions);
      const metrics = metricsOf(io, task, rows, logits);
      return {
        model: req.model,
        task,
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

/** GLUE's submission format: a header, then index and prediction (a label name or a score). */
function writeSubmission(
  io: GlueIo,
  task: TaskName,
  path: string,
  rows: TaskRows,
  predictions: number[],
): void {
  const names = io.labelNames(task);
  const lines = ['index\tprediction'];
  rows.rows.forEach((r, i) => {
    const p = predictions[i];
    lines.push(`${r.index}\t${names ? names[p] : p.toFixed(3)}`);
  });
  writeFileSync(path, lines.join('\n') + '\n');
}

/** One `train` output object per optimizer. */
export async function runTrain(io: GlueIo, req: TrainRequest, runs: RunSpec[]): Promise<object[]> {
  const source = req.resume ?? req.model;
  const model = await openModel(source);
  try {
    const trainRows = await io.readRows(req.train, req.task);
    const devRows = req.dev ? await io.readRows(req.dev, req.task) : null;
    const train = await encode(io, req.model, trainRows, req.maxLen);
    if (train.some((e) => e.label < 0))
      fail(req.train, 'has rows without labels (a test split?): cannot train on them');
    const dev = devRows ? await encode(io, req.model, devRows, req.maxLen) : [];
    const per = stepsPerEpoch({
      rows: train.length,
      batch: req.batch,
      shuffle: req.shuffle,
      seed: req.seed,
    });
    const T = req.steps ?? req.epochs * per;
    const schedule: Schedule = {
      kind: req.schedule,
      warmup: req.schedule === 'linear' ? req.warmup : 0,
      steps: T,
    };
    const out: object[] = [];
    for (const spec of runs)
      out.push(await trainOne(io, req, model, spec.config, schedule, train, dev, devRows));
    return out;
  } finally {
    await model.weights.source.close();
  }
}

async function trainOne(
  io: GlueIo,
  req: TrainRequest,
  model: ModelDir,
  config: OptimizerConfig,
  schedule: Schedule,
  train: EncodedExample[],
  dev: EncodedExample[],
  devRows: TaskRows | null,
): Promise<object> {
  let state: { file: SafetensorsFile & { source: FileSource }; name: string } | undefined;
  if (req.resume) {
    const name = join(req.resume, 'optimizer.safetensors');
    if (!existsSync(name)) fail(name, 'not found (--resume needs a folder written by --save)');
    state = { file: await openSafetensorsFile(name), name };
  }
  const task = req.task;
  const run = await createRun({
    ...model,
    head: { labels: labelCount(task), regression: isRegression(task) },
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
    if (req.save) {
      mkdirSync(req.save, { recursive: true });
      writeFileSync(join(req.save, 'model.safetensors'), await weightsFile(run.ft, run.fullWord));
      writeFileSync(join(req.save, 'optimizer.safetensors'), await stateFile(run.ft));
      writeFileSync(join(req.save, 'config.json'), savedConfig(model.configText, task));
    }
    const metrics =
      devRows && status === 'ok'
        ? metricsOf(io, task, devRows, await run.ft.predict(dev, 32))
        : null;
    return {
      model: req.model,
      task,
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
      },
      status,
      steps,
      dev: devRows ? { metrics } : null,
      ...(run.notes.length ? { notes: run.notes } : {}),
    };
  } finally {
    run.dispose();
    await state?.file.source.close();
  }
}

/** config.json of a fine-tuned model: the original's keys plus the task's head. */
function savedConfig(original: string, task: TaskName): string {
  const json = JSON.parse(original) as Record<string, unknown>;
  const n = labelCount(task);
  json.architectures = ['RobertaForSequenceClassification'];
  json.num_labels = n;
  json.id2label = Object.fromEntries(
    Array.from({ length: n }, (_, i) => [String(i), `LABEL_${i}`]),
  );
  json.label2id = Object.fromEntries(Array.from({ length: n }, (_, i) => [`LABEL_${i}`, i]));
  json.problem_type = isRegression(task) ? 'regression' : 'single_label_classification';
  return JSON.stringify(json, null, 2) + '\n';
}
