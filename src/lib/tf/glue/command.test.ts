/**
 * The `glue` command end to end (child processes, wasm backend) on the tiny fixtures: train under
 * the determinism contract reproduces the golden losses (shared/roberta README §5), predict the
 * golden logits; bad input exits with status 2, one line on stderr and nothing on stdout.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tinyGolden } from '../roberta/tinyModel';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const FIX = 'tests/fixtures/roberta/';
const glue = (args: string[]) =>
  spawnSync(ROOT + 'node_modules/.bin/tsx', ['scripts/glue.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
const model = ['--model', FIX + 'tiny', '--tokenizer', FIX + 'tokenizer.json'];
const close = (got: number, want: number) => Math.abs(got - want) <= 1e-4 + 1e-3 * Math.abs(want);

describe('glue command', () => {
  it('train under the determinism contract prints the golden AdaSAM losses (README §5)', () => {
    const r = glue([
      'train',
      ...model,
      '--task',
      'MRPC',
      '--train',
      FIX + 'glue/MRPC/train.tsv',
      '--dev',
      FIX + 'glue/MRPC/dev.tsv',
      '--batch',
      '6',
      '--steps',
      '3',
      '--max-len',
      '40',
      '--preset',
      'paper',
      '--lr',
      '1e-3',
      '--rho',
      '0.05',
      '--shuffle',
      'false',
      '--dropout',
      '0',
      '--schedule',
      'constant',
    ]);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('glue:'))).toEqual([]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    const want = tinyGolden('mrpc').optimizer.runs.adasam_paper.steps;
    expect(out.status).toBe('ok');
    expect(out.steps.map((s: { step: number }) => s.step)).toEqual([0, 1, 2]);
    out.steps.forEach(
      (s: { loss: number; sNorm: number; lossPerturbed: number; lr: number }, t: number) => {
        expect(close(s.loss, want[t].loss), `loss ${t}`).toBe(true);
        expect(close(s.sNorm, want[t].sNorm), `sNorm ${t}`).toBe(true);
        expect(close(s.lossPerturbed, want[t].lossPerturbed), `lossPerturbed ${t}`).toBe(true);
        expect(s.lr).toBe(1e-3);
      },
    );
    expect(Object.keys(out.dev.metrics)).toEqual(['f1', 'accuracy']);
  }, 120_000);

  it('--seeds 2 prints one object per seed, the second the run of --seed + 1', () => {
    const args = [
      'train',
      ...model,
      '--task',
      'MRPC',
      '--train',
      FIX + 'glue/MRPC/train.tsv',
      '--batch',
      '4',
      '--steps',
      '2',
      '--max-len',
      '40',
      '--optimizer',
      'amsgrad',
      '--lr',
      '1e-3',
    ];
    const dir = mkdtempSync(join(tmpdir(), 'glue-save-'));
    const two = glue([...args, '--seed', '3', '--seeds', '2', '--save', join(dir, 'two')]);
    expect(two.status, two.stderr).toBe(0);
    const out = JSON.parse(two.stdout) as { config: { seed: number }; steps: { loss: number }[] }[];
    expect(out.map((o) => o.config.seed)).toEqual([3, 4]);
    const alone = JSON.parse(
      glue([...args, '--seed', '4', '--save', join(dir, 'one')]).stdout,
    ) as (typeof out)[number];
    expect(out[1].steps).toEqual(alone.steps);
    expect(out[0].steps[1].loss).not.toBe(out[1].steps[1].loss);
    // --save: a model folder per run and seed when there are several, the folder itself for one
    expect(readdirSync(join(dir, 'two')).sort()).toEqual(['AMSGrad-seed3', 'AMSGrad-seed4']);
    for (const d of [join(dir, 'two', 'AMSGrad-seed3'), join(dir, 'one')]) {
      // --tokenizer names tokenizer.json: the folder holds a copy
      expect(readdirSync(d).sort()).toEqual([
        'config.json',
        'model.safetensors',
        'optimizer.safetensors',
        'tokenizer.json',
        'tokenizer_config.json',
      ]);
      expect(readFileSync(join(d, 'tokenizer.json'))).toEqual(
        readFileSync(join(ROOT, FIX, 'tokenizer.json')),
      );
      // the tiny model's config is already an MRPC classifier's: the saved one equals it as JSON
      expect(JSON.parse(readFileSync(join(d, 'config.json'), 'utf8'))).toEqual(
        JSON.parse(readFileSync(join(ROOT, FIX, 'tiny/config.json'), 'utf8')),
      );
    }
    // the seed-4 folder of the race is the lone seed-4 run's
    expect(readFileSync(join(dir, 'two', 'AMSGrad-seed4', 'model.safetensors'))).toEqual(
      readFileSync(join(dir, 'one', 'model.safetensors')),
    );
  }, 240_000);

  it('predict prints the golden logits, predictions and metrics; --submission writes the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'glue-'));
    const r = glue([
      'predict',
      ...model,
      '--data',
      FIX + 'glue/MRPC/train.tsv',
      '--max-len',
      '40',
      '--submission',
      join(dir, 'MRPC.tsv'),
    ]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    const g = tinyGolden('mrpc');
    expect(out).toMatchObject({ task: 'MRPC', n: 6 });
    (out.logits as number[][]).flat().forEach((x, i) => {
      expect(Math.abs(x - g.logits.flat()[i])).toBeLessThan(1e-5 + 1e-4 * Math.abs(x));
    });
    const argmax = (g.logits as number[][]).map((l) => (l[1] > l[0] ? 1 : 0));
    expect(out.predictions).toEqual(argmax);
    const accuracy = (100 * argmax.filter((p, i) => p === g.labels[i]).length) / 6;
    expect(out.metrics.accuracy).toBeCloseTo(accuracy, 10);
    const names = ['not_equivalent', 'equivalent'];
    expect(readFileSync(join(dir, 'MRPC.tsv'), 'utf8')).toBe(
      ['index\tprediction', ...argmax.map((p, i) => `${i}\t${names[p]}`)].join('\n') + '\n',
    );
  }, 120_000);

  it('bad input: exit status 2, one line on stderr naming the problem, nothing on stdout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'glue-bad-'));
    const badTsv = join(dir, 'bad.tsv');
    writeFileSync(badTsv, 'Quality\t#1 String\n1\tonly one sentence\n');
    const cases: [string[], RegExp][] = [
      [
        ['train', ...model, '--task', 'MRPC', '--train', FIX + 'glue/MRPC/train.tsv', '--lr', '0'],
        /--lr must be/,
      ],
      [
        ['predict', '--model', join(dir, 'nope'), '--data', FIX + 'glue/MRPC/dev.tsv'],
        /nope.*not found/,
      ],
      [['predict', ...model, '--task', 'MRPC', '--data', badTsv], /bad\.tsv/],
      [
        ['predict', ...model, '--data', FIX + 'glue/MRPC/dev.tsv', '--bogus', '1'],
        /unknown option --bogus/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = glue(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.split('\n').filter((l) => l.startsWith('glue:'));
      expect(lines.length).toBe(1);
      expect(lines[0]).toMatch(message);
    }
  }, 120_000);
});
