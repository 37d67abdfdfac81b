/**
 * What the GLUE browser tests share: opening the page on a link, choosing the tiny files, the
 * `glue` command's losses as the oracle, and reading and checking the page's losses.
 */
import { spawn } from 'node:child_process';
import type { Page } from '@playwright/test';
import { expect } from './fixtures';

export const FIX = 'tests/fixtures/roberta/';

/** The GLUE page of `#v=1&page=glue&<hash>`, with `window.__glue` (debug=1). */
export async function openGlue(page: Page, hash: string) {
  await page.goto(`./?debug=1#v=1&page=glue&${hash}`);
  await expect(page.getByRole('heading', { name: 'GLUE fine-tuning' })).toBeVisible({
    timeout: 30_000,
  });
}

/** The tiny RoBERTa, its tokenizer and the MRPC sample files, through the file inputs. */
export async function chooseTinyFiles(page: Page) {
  await page
    .getByTestId('glue-pick-model')
    .setInputFiles([
      FIX + 'tiny/config.json',
      FIX + 'tiny/model.safetensors',
      FIX + 'tokenizer.json',
    ]);
  await page.getByTestId('glue-pick-train').setInputFiles(FIX + 'glue/MRPC/train.tsv');
  await page.getByTestId('glue-pick-dev').setInputFiles(FIX + 'glue/MRPC/dev.tsv');
}

/**
 * The `glue` command's losses for a share link with the tiny files as options, one list per
 * optimizer (the oracle, run in Node). A child process, so that it runs while the page trains;
 * await it where the losses are compared.
 */
export function commandLosses(link: string): Promise<number[][]> {
  const child = spawn(
    'node_modules/.bin/tsx',
    [
      'scripts/glue.ts',
      'train',
      ...['--model', FIX + 'tiny', '--tokenizer', FIX + 'tokenizer.json'],
      ...['--train', FIX + 'glue/MRPC/train.tsv', '--dev', FIX + 'glue/MRPC/dev.tsv'],
      link,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const losses = new Promise<number[][]>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`glue command failed: ${stderr}`));
      else
        resolve(
          (JSON.parse(stdout) as { steps: { loss: number }[] }[]).map((run) =>
            run.steps.map((s) => s.loss),
          ),
        );
    });
  });
  // a failure is thrown where the test awaits the losses, not as an unhandled rejection before
  losses.catch(() => undefined);
  return losses;
}

/** The part of the page's `window.__glue` the tests read. */
export interface GlueDebug {
  status: string;
  steps: { step: number; loss: number }[][];
  runStatus: string[];
  error: { phase: string; message: string } | null;
  /** per run, per seed (glueCheckpoints.ts manifest version 2) */
  checkpoint: { runs: ({ step: number; status: string } | null)[][] } | null;
}

/** `window.__glue`'s status, losses and error, copied out of the page. */
export const readGlue = (page: Page) =>
  page.evaluate(
    () =>
      JSON.parse(
        JSON.stringify((globalThis as unknown as { __glue: GlueDebug }).__glue, [
          'status',
          'steps',
          'step',
          'loss',
          'runStatus',
          'error',
          'phase',
          'message',
        ]),
      ) as GlueDebug,
  );

/** Spec §9.4 float32 tolerance. */
export const close = (got: number, want: number) =>
  Math.abs(got - want) <= 1e-4 + 1e-3 * Math.abs(want);

/** Both runs ended ok, each with the steps 0…n−1 whose losses equal `want`'s at float32 tolerance. */
export function expectLosses(g: GlueDebug, want: number[][], n: number) {
  expect(g.error).toBeNull();
  expect(g.runStatus).toEqual(['ok', 'ok']);
  expect(g.steps).toHaveLength(want.length);
  g.steps.forEach((run, i) => {
    expect(run.map((s) => s.step)).toEqual([...Array(n).keys()]);
    run.forEach((s, t) =>
      expect(close(s.loss, want[i][t]), `run ${i} step ${t}: ${s.loss} vs ${want[i][t]}`).toBe(
        true,
      ),
    );
  });
}
