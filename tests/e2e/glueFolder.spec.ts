/**
 * GLUE checkpoints of every seed, downloaded as a model folder (issue 9, item 3), tiny RoBERTa
 * and the MRPC sample on wasm: a one-step race of two optimizers over two seeds keeps four
 * checkpoints, each listed with its seed; one downloads as a .zip that Python's zipfile reads,
 * holding config.json with the task's head (as transformers writes it), the tokenizer's files, the
 * weights under Hugging Face names and the optimizer state of that seed. axe-core finds nothing
 * serious in the panel. The panel's screenshot goes to test-results/glue/.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSafetensorsFile } from '../../src/lib/glue/safetensorsNode';
import { expectNoSeriousAxe } from './axe';
import { test, expect } from './fixtures';
import { chooseTinyFiles, FIX, openGlue } from './glueHelpers';

const SHOTS = 'test-results/glue';
const RACE =
  'glue.be=wasm&glue.steps=1&glue.b=4&glue.len=40&glue.seed=3&glue.seeds=2' +
  '&glue.r0=adasam&glue.r0.lr=0.001&glue.r0.rho=0.05&glue.r1=amsgrad&glue.r1.lr=0.001';

test('every seed keeps its checkpoint; one downloads as a model folder in a zip', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await openGlue(page, RACE);
  await chooseTinyFiles(page);
  await expect(page.getByTestId('glue-start')).toBeEnabled();
  await page.getByTestId('glue-start').click();
  await expect(page.getByTestId('glue-status')).toHaveAttribute('data-state', 'done');
  const rows = page.getByTestId('glue-kept-run');
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(3)).toHaveAttribute('data-seed', '1');
  await expect(rows.nth(3).getByRole('rowheader')).toHaveText('AMSGrad (seed 4)');
  await expectNoSeriousAxe(page, 'the checkpoint panel with four checkpoints');
  await page.getByTestId('glue-checkpoints').screenshot({ path: `${SHOTS}/checkpoints-seeds.png` });

  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: /^Download the model folder of AMSGrad \(seed 4\)/ }).click(),
  ]);
  expect(file.suggestedFilename()).toBe('MRPC-AMSGrad-seed4-step1.zip');
  const dir = test.info().outputPath('folder');
  const zip = test.info().outputPath('folder.zip');
  await file.saveAs(zip);
  const py = spawnSync(
    process.env.PYTHON_TORCH || '/usr/bin/python3',
    [
      '-c',
      'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print("\\n".join(z.namelist())); z.extractall(sys.argv[2])',
      zip,
      dir,
    ],
    { encoding: 'utf8' },
  );
  expect(py.stderr).toBe('');
  const stem = 'MRPC-AMSGrad-seed4-step1';
  expect(py.stdout.trim().split('\n').sort()).toEqual(
    [
      'config.json',
      'model.safetensors',
      'optimizer.safetensors',
      'tokenizer.json',
      'tokenizer_config.json',
    ].map((f) => `${stem}/${f}`),
  );
  const folder = join(dir, stem);
  // the tiny model is an MRPC classifier already: transformers' config, the same as JSON
  expect(JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8'))).toEqual(
    JSON.parse(readFileSync(FIX + 'tiny/config.json', 'utf8')),
  );
  expect(readFileSync(join(folder, 'tokenizer.json'))).toEqual(
    readFileSync(FIX + 'tokenizer.json'),
  );
  const weights = await openSafetensorsFile(join(folder, 'model.safetensors'));
  expect(weights.tensors.get('roberta.embeddings.word_embeddings.weight')?.shape).toEqual([
    50265, 32,
  ]);
  expect(weights.tensors.has('classifier.out_proj.weight')).toBe(true);
  await weights.source.close();
  const state = await openSafetensorsFile(join(folder, 'optimizer.safetensors'));
  expect([state.metadata.seed, state.metadata.step]).toEqual(['1', '1']);
  expect(JSON.parse(state.metadata.order).seed).toBe(4);
  await state.source.close();
});
