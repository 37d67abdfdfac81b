/**
 * The tiny RoBERTa fixtures (tests/fixtures/roberta/tiny, from shared/roberta) loaded for the
 * unit tests: config, weights, and the goldens' batch as encoded examples. Used by tests only.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readConfig } from '../../glue/config';
import { openSafetensorsFile } from '../../glue/safetensorsNode';
import { ROBERTA_DIR } from '../../testing/roberta';
import type { EncodedExample } from './batch';
import { loadWeights, shapeFromConfig, type LoadedWeights } from './load';
import { RobertaModel } from './model';
import { pruneVocab, type VocabMap } from './vocab';
import { replaceWasmKernels } from '../wasmKernels';

export type TinyTask = 'mrpc' | 'stsb';

/**
 * The wasm backend for the tests: about twice as fast as cpu on these runs, and the command's
 * default backend.
 */
export async function useWasm(): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(resolve('node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/');
  replaceWasmKernels(); // as pickBackend does: the goldens then check the project's kernels too
  await tf.setBackend('wasm');
}

export const tinyDir = (task: TinyTask): string =>
  ROBERTA_DIR + (task === 'mrpc' ? 'tiny/' : 'tiny/stsb/');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are read field by field
export const tinyGolden = (task: TinyTask): any =>
  JSON.parse(readFileSync(tinyDir(task) + 'golden.json', 'utf8'));

/** The goldens' batch: input_ids without their pads, and the labels. */
export function goldenExamples(task: TinyTask): EncodedExample[] {
  const g = tinyGolden(task);
  return (g.input_ids as number[][]).map((ids, i) => ({
    ids: ids.filter((_, t) => g.attention_mask[i][t] === 1),
    label: g.labels[i] as number,
  }));
}

export interface Tiny extends LoadedWeights {
  model: RobertaModel;
  vocab: VocabMap | null;
  examples: EncodedExample[];
}

/** The tiny model of `task` from `file`, dropout off, pruned to the golden batch's ids by default. */
export async function loadTiny(
  task: TinyTask,
  opts: { file?: string; prune?: boolean; dropout?: number } = {},
): Promise<Tiny> {
  const dir = tinyDir(task);
  const config = readConfig(readFileSync(dir + 'config.json', 'utf8'));
  const examples = goldenExamples(task);
  const vocab =
    opts.prune === false
      ? null
      : pruneVocab(
          examples.map((e) => e.ids),
          config.vocabSize,
        );
  const head = { labels: task === 'stsb' ? 1 : 2, regression: task === 'stsb' };
  const shape = shapeFromConfig(config, head, { vocab, dropout: opts.dropout ?? 0 });
  const file = await openSafetensorsFile(dir + (opts.file ?? 'model.safetensors'));
  try {
    const weights = await loadWeights(file, config, shape, { vocab });
    return { ...weights, model: new RobertaModel(shape), vocab, examples };
  } finally {
    await file.source.close();
  }
}
