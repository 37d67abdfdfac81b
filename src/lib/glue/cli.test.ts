/** The `glue` command's argument parsing (pure); the script itself is tested end to end in tf/glue. */
import { describe, expect, it } from 'vitest';
import { recipe } from '../optim/config';
import { OPTIMIZER_SETTINGS } from '../state/schema';
import { GLUE_RHO, helpText, parseGlueArgs, type TrainRequest } from './cli';
import { TASKS } from './tasks';

const base = ['train', '--model', 'm', '--task', 'MRPC', '--train', 't.tsv'];

function train(args: string[]): TrainRequest {
  const r = parseGlueArgs([...base, ...args]);
  if (!r.ok) throw new Error(r.message);
  if (r.request.kind !== 'train') throw new Error('expected train');
  return r.request;
}

const error = (args: string[]) => {
  const r = parseGlueArgs(args);
  return r.ok ? null : r.message;
};

describe('parseGlueArgs', () => {
  it('train defaults follow glue.md §4 per task, not the 2-D pages', () => {
    const mrpc = train([]);
    expect(mrpc.task).toBe(TASKS.MRPC);
    expect(mrpc.tokenizer).toBe('m');
    expect(mrpc).toMatchObject({
      batch: 16,
      microBatch: 16,
      maxLen: 128,
      warmup: 0.06,
      schedule: 'linear',
      dropout: 0.1,
      shuffle: true,
      seed: 1,
      pruneVocab: true,
      backend: 'wasm',
      steps: null,
    });
    expect(mrpc.runs).toEqual([
      {
        family: 'adasam',
        preset: 'paper',
        config: recipe('adasam', 'paper', { lr: 1e-5, rho: GLUE_RHO }),
      },
    ]);
    const rte = parseGlueArgs(['train', '--model', 'm', '--task', 'rte', '--train', 't']);
    const qqp = parseGlueArgs(['train', '--model', 'm', '--task', 'QQP', '--train', 't']);
    expect(rte.ok && rte.request.kind === 'train' && rte.request.runs[0].config.lr).toBe(2e-5);
    expect(qqp.ok && qqp.request.kind === 'train' && qqp.request.batch).toBe(32);
  });

  it('takes every optimizer option of the settings table, as trace does', () => {
    expect(OPTIMIZER_SETTINGS.map((s) => s.name).every((n) => helpText().includes(`--${n}`))).toBe(
      true,
    );
    const r = train([
      '--optimizer',
      'amsgrad',
      '--preset',
      'torch',
      '--lr=3e-5',
      '--beta1',
      '0',
      '--beta2',
      '0.98',
      '--eps',
      '1e-6',
      '--weightDecay',
      '0.01',
      '--batch',
      '8',
      '--micro-batch',
      '2',
      '--steps',
      '5',
      '--schedule',
      'constant',
      '--dropout',
      '0',
      '--shuffle',
      'false',
      '--prune-vocab',
      'false',
      '--backend',
      'cpu',
      '--max-len',
      '40',
      '--seed',
      '3',
    ]);
    expect(r.runs[0]).toEqual({
      family: 'amsgrad',
      preset: 'torch',
      config: recipe('amsgrad', 'torch', {
        lr: 3e-5,
        beta1: 0,
        beta2: 0.98,
        eps: 1e-6,
        weightDecay: 0.01,
      }),
    });
    expect(r).toMatchObject({
      batch: 8,
      microBatch: 2,
      steps: 5,
      schedule: 'constant',
      dropout: 0,
    });
    expect(r).toMatchObject({
      shuffle: false,
      pruneVocab: false,
      backend: 'cpu',
      maxLen: 40,
      seed: 3,
    });
  });

  it('a share link replaces the optimizer options', () => {
    const r = train(['http://127.0.0.1:5173/#v=1&r0=sgd&r1=adasam']);
    expect(r.link).toContain('r1=adasam');
    expect(error([...base, '#v=1&r0=sgd', '--lr', '1e-3'])).toMatch(/--lr cannot be given/);
  });

  it('a GLUE page link holds the task, the race and the training settings', () => {
    const link =
      'http://127.0.0.1:5173/#v=1&page=glue&glue.task=RTE&glue.b=8&glue.mb=4&glue.steps=5' +
      '&glue.sched=constant&glue.len=64&glue.drop=0&glue.seed=9&glue.ntr=100&glue.ndev=50' +
      '&glue.prune=0&glue.r0=sam&glue.r0.lr=0.01&glue.r1=amsgrad&glue.r1.lr=2e-5&glue.model=bad//id';
    const r = parseGlueArgs(['train', '--model', 'm', '--train', 't.tsv', '--dev', 'd.tsv', link]);
    if (!r.ok || r.request.kind !== 'train') throw new Error(r.ok ? 'not train' : r.message);
    const q = r.request;
    expect(q.task).toBe(TASKS.RTE);
    expect(q).toMatchObject({
      link,
      train: 't.tsv',
      dev: 'd.tsv',
      batch: 8,
      microBatch: 4,
      steps: 5,
      schedule: 'constant',
      maxLen: 64,
      dropout: 0,
      seed: 9,
      maxTrain: 100,
      maxDev: 50,
      pruneVocab: false,
      shuffle: true,
    });
    expect(q.runs).toEqual([
      { family: 'sam', preset: 'paper', config: recipe('sam', 'paper', { lr: 0.01 }) },
      { family: 'amsgrad', preset: 'paper', config: recipe('amsgrad', 'paper', { lr: 2e-5 }) },
    ]);
    expect(q.ignored.map((i) => i.key)).toEqual(['glue.model']);
    // what the link holds cannot be given again; files, backend and --shuffle can
    expect(error(['train', '--model', 'm', '--train', 't', '--batch', '4', link])).toMatch(
      /GLUE share link already holds --batch/,
    );
    expect(error(['train', '--model', 'm', '--train', 't', '--task', 'MRPC', link])).toMatch(
      /already holds --task/,
    );
    const cpu = parseGlueArgs(['train', '--model', 'm', '--train', 't', '--backend', 'cpu', link]);
    expect(cpu.ok && cpu.request.kind === 'train' && cpu.request.backend).toBe('cpu');
  });

  it('--seeds, or glue.seeds of a GLUE link, runs each optimizer over seed, seed + 1, …', () => {
    expect(train([]).seeds).toBe(1);
    expect(train(['--seeds', '3', '--seed', '4'])).toMatchObject({ seeds: 3, seed: 4 });
    expect(error([...base, '--seeds', '0'])).toMatch(/^--seeds must be an integer/);
    const link = '#v=1&page=glue&glue.seeds=2&glue.r0=adasam';
    const r = parseGlueArgs(['train', '--model', 'm', '--train', 't.tsv', link]);
    expect(r.ok && r.request.kind === 'train' && r.request.seeds).toBe(2);
    // a link without the key keeps its old meaning: one seed
    const old = parseGlueArgs(['train', '--model', 'm', '--train', 't.tsv', '#v=1&page=glue']);
    expect(old.ok && old.request.kind === 'train' && old.request.seeds).toBe(1);
    expect(error(['train', '--model', 'm', '--train', 't', '--seeds', '2', link])).toMatch(
      /already holds --seeds/,
    );
  });

  it('rejects bad input with one line naming the option', () => {
    expect(error(['serve'])).toMatch(/unknown command "serve"/);
    expect(error([...base, '--bogus', '1'])).toMatch(/unknown option --bogus/);
    expect(error([...base, '--lr', '-1'])).toMatch(/^--lr must be/);
    expect(error([...base, '--beta1', '1'])).toMatch(/^--beta1 must be/);
    expect(error([...base, '--batch', '0'])).toMatch(/^--batch must be an integer/);
    expect(error([...base, '--batch', '4', '--micro-batch', '8'])).toMatch(/--micro-batch \(8\)/);
    expect(error([...base, '--steps', '3', '--epochs', '2'])).toMatch(/--steps or --epochs/);
    expect(error(['train', '--model', 'm', '--task', 'foo', '--train', 't'])).toMatch(
      /--task must be one of/,
    );
    expect(error(['train', '--model', 'm', '--train', 't'])).toMatch(/--task is required/);
    expect(error(['predict', '--model', 'm'])).toMatch(/--data is required/);
    expect(error(['predict', '--data', 'd'])).toMatch(/--model is required/);
    expect(error(['predict', '--model', 'm', '--data', 'd', '--lr', '1'])).toMatch(
      /unknown option --lr for predict/,
    );
    expect(error([...base, '--backend', 'webgpu'])).toMatch(/--backend must be one of wasm, cpu/);
    for (const message of [error(['serve']), error([...base, '--lr', 'x'])])
      expect(message).not.toContain('\n');
  });
});
