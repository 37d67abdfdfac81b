/**
 * The GLUE worker's logic driven in Node on the tiny fixtures (tests only): the files as the page
 * sends them, a short full-batch race (dropout 0, constant schedule: the goldens' conditions),
 * and a harness that records every message the handlers post.
 */
import { recipe } from '../optim/config';
import { DEFAULT_GLUE } from '../state/defaults';
import { GlueHandlers } from './glueHandlers';
import type { FromGlue, GlueFiles, GlueRaceSettings, NamedBlob } from './glueProtocol';
import { fixtureBytes } from '../testing/roberta';

export const fixtureBlob = (path: string, name = path.split('/').pop()!): NamedBlob => ({
  name,
  blob: new Blob([fixtureBytes(path) as Uint8Array<ArrayBuffer>]),
});

export const textBlob = (text: string, name: string): NamedBlob => ({
  name,
  blob: new Blob([text]),
});

export const tinyFiles = (): GlueFiles => ({
  config: fixtureBlob('tiny/config.json'),
  weights: fixtureBlob('tiny/model.safetensors'),
  tokenizer: fixtureBlob('tokenizer.json'),
  vocab: null,
  merges: null,
  train: fixtureBlob('glue/MRPC/train.tsv'),
  dev: fixtureBlob('glue/MRPC/dev.tsv'),
});

const { xAxis: _x, runs: _r, ...rows } = DEFAULT_GLUE;

/** AdaSAM (ρ 0.05) and AMSGrad at lr 1e-3, 3 full-batch steps of the 6 MRPC rows. */
export const tinyRace = (over: Partial<GlueRaceSettings> = {}): GlueRaceSettings => ({
  ...rows,
  backend: 'wasm',
  batch: 6,
  steps: 3,
  maxLen: 40,
  dropout: 0,
  schedule: 'constant',
  evalEvery: 100,
  runs: [
    { label: 'AdaSAM', config: recipe('adasam', 'paper', { lr: 1e-3, rho: 0.05 }) },
    { label: 'AMSGrad', config: recipe('amsgrad', 'paper', { lr: 1e-3 }) },
  ],
  ...over,
});

export function glueHarness() {
  const sent: FromGlue[] = [];
  const h = new GlueHandlers({
    post: (m) => sent.push(m),
    pickBackend: async () => ({ name: 'wasm', reason: 'test', fallbacks: [] }),
  });
  return { h, sent };
}
