/**
 * The GLUE page's token cache across a reload (issue 9, item 2), tiny RoBERTa and the MRPC sample
 * on wasm: a first one-step race tokenizes and keeps the token ids in OPFS; the cache panel lists
 * the entry with its size; after a reload the same files chosen again start without tokenizing
 * (the worker's progress messages, counted by a listener this test adds to every Worker, show no
 * 'tokenizing' phase) and the page says the ids came from the cache; the same loss follows; the
 * entry is deleted from the panel. axe-core finds nothing serious with the entry listed. The
 * panel's screenshot goes to test-results/glue/.
 */
import type { Page } from '@playwright/test';
import { expectNoSeriousAxe } from './axe';
import { test, expect } from './fixtures';
import { chooseTinyFiles, openGlue } from './glueHelpers';

const SHOTS = 'test-results/glue';
const RACE = 'glue.be=wasm&glue.steps=1&glue.b=4&glue.len=40&glue.r0=amsgrad&glue.r0.lr=0.001';

/** Every progress phase the GLUE worker posts, recorded in `window.__phases` (test only). */
function recordPhases(page: Page) {
  return page.addInitScript(() => {
    const w = window as unknown as { __phases: string[]; Worker: typeof Worker };
    w.__phases = [];
    const Base = w.Worker;
    w.Worker = class extends Base {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        this.addEventListener('message', (e: MessageEvent<{ type?: string; phase?: string }>) => {
          if (e.data?.type === 'progress') w.__phases.push(e.data.phase ?? '');
        });
      }
    };
  });
}

/** Chooses the files, starts the race and waits for its end; the phases and the loss. */
async function race(page: Page) {
  await chooseTinyFiles(page);
  await expect(page.getByTestId('glue-start')).toBeEnabled();
  await page.getByTestId('glue-start').click();
  await expect(page.getByTestId('glue-status')).toHaveAttribute('data-state', 'done');
  return page.evaluate(() => {
    const w = window as unknown as {
      __phases: string[];
      __glue: { steps: { loss: number }[][] };
    };
    return { phases: [...new Set(w.__phases)], loss: w.__glue.steps[0][0].loss };
  });
}

test('token ids kept in OPFS: a reload starts without tokenizing; the panel lists and deletes them', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await recordPhases(page);
  await openGlue(page, RACE);
  let t0 = Date.now();
  const first = await race(page);
  const firstMs = Date.now() - t0;
  expect(first.phases).toContain('tokenizing');
  await expect(page.getByTestId('glue-prepared')).not.toContainText('from the cache');
  const entry = page.getByTestId('glue-token-entry');
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText('tokenizer.json (from disk)');
  await expect(entry).toContainText('MRPC: train.tsv, dev.tsv');
  await expect(entry).toContainText('length ≤ 40');
  await expect(entry).toContainText(/\d+(\.\d)? kB/);
  await expectNoSeriousAxe(page, 'the cache panel with a token entry');
  await page.getByTestId('glue-hub').screenshot({ path: `${SHOTS}/token-cache.png` });

  await page.reload();
  await expect(page.getByRole('heading', { name: 'GLUE fine-tuning' })).toBeVisible();
  await expect(page.getByTestId('glue-token-entry')).toHaveCount(1);
  t0 = Date.now();
  const second = await race(page);
  const secondMs = Date.now() - t0;
  expect(second.phases).toEqual(['tokenized (from cache)']);
  await expect(page.getByTestId('glue-prepared')).toContainText('token ids from the cache');
  expect(second.loss).toBe(first.loss);
  console.log(`first race ${firstMs} ms (tokenizing), after the reload ${secondMs} ms`);

  await page
    .getByRole('button', { name: 'Delete the token ids of MRPC: train.tsv, dev.tsv' })
    .click();
  await expect(page.getByTestId('glue-token-entry')).toHaveCount(0);
});
