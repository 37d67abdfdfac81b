/** What the GLUE browser tests share: opening the page on a link and choosing the tiny files. */
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
