/**
 * Hub downloads on the GLUE page against a mock Hub (Playwright routes for https://huggingface.co
 * only: its API naming a commit, the tiny RoBERTa and an MRPC parquet file served by HTTP Range,
 * one connection broken once). Click Download, watch the progress, see the files in the cache list
 * with their sizes and the link pin their commits; reload with the Hub unreachable and train a
 * 2-step run from the cache; delete everything. axe-core finds nothing serious in the panel.
 * Screenshots go to test-results/glue-hub/.
 */
import { readFileSync } from 'node:fs';
import { test as plainTest, type Page, type Route } from '@playwright/test';
import { expectNoSeriousAxe } from './axe';
import { test, expect } from './fixtures';

test.use({ mockedOrigins: ['https://huggingface.co'] });

const FIX = 'tests/fixtures/roberta/';
const SHOTS = 'test-results/glue-hub';
const ID = 'test-owner/tiny-roberta';
const SHA = '1111111111111111111111111111111111111111';
const DATA_SHA = '2222222222222222222222222222222222222222';
const CHUNK = 4 * 1024 * 1024; // the page's Range request size (HubState CHUNK_BYTES)

const MODEL_FILES: Record<string, Buffer> = {
  'config.json': readFileSync(FIX + 'tiny/config.json'),
  'tokenizer.json': readFileSync(FIX + 'tokenizer.json'),
  'model.safetensors': readFileSync(FIX + 'tiny/model.safetensors'),
};
// the six MRPC dev rows stand in for both splits of the task
const MRPC = readFileSync(FIX + 'glue/parquet/mrpc-validation.parquet');
const SERVED: Record<string, Buffer> = {
  ...Object.fromEntries(
    Object.entries(MODEL_FILES).map(([f, b]) => [`/${ID}/resolve/${SHA}/${f}`, b]),
  ),
  [`/datasets/nyu-mll/glue/resolve/${DATA_SHA}/mrpc/train-00000-of-00001.parquet`]: MRPC,
  [`/datasets/nyu-mll/glue/resolve/${DATA_SHA}/mrpc/validation-00000-of-00001.parquet`]: MRPC,
};
const API: Record<string, unknown> = {
  [`/api/models/${ID}/revision/main`]: {
    sha: SHA,
    siblings: Object.keys(MODEL_FILES).map((rfilename) => ({ rfilename })),
  },
  '/api/datasets/nyu-mll/glue/revision/main': { sha: DATA_SHA },
};
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'Content-Range, X-Repo-Commit',
  'cross-origin-resource-policy': 'cross-origin',
};

/**
 * The mock Hub. The second chunk of the weights breaks once; its second try waits for `gate` so
 * that the test can see the progress part-way. Returns the requests it saw.
 */
async function mockHub(page: Page, gate: Promise<void>) {
  const seen: string[] = [];
  let weightRequests = 0;
  await page.route('https://huggingface.co/**', async (route: Route) => {
    const req = route.request();
    const path = new URL(req.url()).pathname;
    const range = req.headers()['range'] ?? '';
    seen.push(`${path} ${range}`.trim());
    if (path in API) return route.fulfill({ status: 200, headers: CORS, json: API[path] });
    const body = SERVED[path];
    if (!body) return route.fulfill({ status: 404, headers: CORS, body: 'not found' });
    const m = /^bytes=(\d+)-(\d+)$/.exec(range);
    if (!m) return route.fulfill({ status: 200, headers: CORS, body });
    const start = Number(m[1]);
    const end = Math.min(Number(m[2]), body.length - 1);
    if (path.endsWith('model.safetensors') && start > 0) {
      weightRequests += 1;
      if (weightRequests === 1) return route.abort('connectionreset');
      await gate;
    }
    return route.fulfill({
      status: 206,
      headers: { ...CORS, 'content-range': `bytes ${start}-${end}/${body.length}` },
      body: body.subarray(start, end + 1),
    });
  });
  return seen;
}

const RACE =
  `glue.model=${encodeURIComponent(ID)}&glue.be=wasm&glue.steps=2&glue.b=4&glue.len=40` +
  '&glue.eval=2&glue.r0=adasam&glue.r0.lr=0.001&glue.r0.rho=0.05';

test('download from a mock Hub with a broken chunk, train from the cache after a reload, delete', async ({
  page,
}) => {
  test.setTimeout(120_000);
  let release!: () => void;
  const seen = await mockHub(page, new Promise<void>((r) => (release = r)));
  await page.goto(`./?debug=1#v=3&page=glue&${RACE}`);
  const hub = page.getByTestId('glue-hub');
  await expect(hub).toBeVisible({ timeout: 30_000 });
  await expect(hub).toContainText('Nothing downloaded yet');
  // the sizes are shown before anything is fetched
  await expect(hub.getByRole('radio', { name: /distilroberta-base .*≈ 332 MB/ })).toBeVisible();
  await expect(page.getByTestId('glue-hub-task')).toContainText('MNLI (≈ 53 MB)');
  await expect(hub).toContainText('its size shows when the Hub answers');
  expect(seen).toEqual([]);
  await expectNoSeriousAxe(page, 'the Hub panel before a download');

  await page.getByTestId('glue-hub-get-model').click();
  // the first chunk arrived, the second broke and is being asked for again
  const job = page.getByTestId('glue-hub-job');
  const total = MODEL_FILES['model.safetensors'].length;
  await expect(job).toContainText(
    `model.safetensors (file 3 of 3), 4.2 MB of ${(total / 1e6).toFixed(1)} MB`,
  );
  await expect(page.getByTestId('glue-hub-progress')).toHaveAttribute('value', String(CHUNK));
  await page.screenshot({ path: `${SHOTS}/progress.png`, fullPage: true });
  await expectNoSeriousAxe(page, 'the Hub panel during a download');
  release();
  const modelBytes = Object.values(MODEL_FILES).reduce((s, b) => s + b.length, 0);
  await expect(page.getByTestId('glue-hub-model-state')).toContainText(
    `cached: ${(modelBytes / 1e6).toFixed(1)} MB at commit ${SHA.slice(0, 7)}, in use`,
  );
  const w = '/test-owner/tiny-roberta/resolve/' + SHA + '/model.safetensors';
  expect(seen).toEqual([
    `/api/models/${ID}/revision/main`,
    `/${ID}/resolve/${SHA}/config.json bytes=0-${CHUNK - 1}`,
    `/${ID}/resolve/${SHA}/tokenizer.json bytes=0-${CHUNK - 1}`,
    `${w} bytes=0-${CHUNK - 1}`,
    `${w} bytes=${CHUNK}-${total - 1}`,
    `${w} bytes=${CHUNK}-${total - 1}`,
  ]);

  await page.getByTestId('glue-hub-get-data').click();
  await expect(page.getByTestId('glue-hub-data-state')).toContainText(
    `at commit ${DATA_SHA.slice(0, 7)}, in use`,
  );
  const rows = page.getByTestId('glue-hub-entry');
  await expect(rows).toHaveCount(5);
  await expect(rows.filter({ hasText: 'model.safetensors' })).toContainText('6.8 MB');
  await expect(rows.filter({ hasText: 'tokenizer.json' })).toContainText('1.4 MB');
  await expect(rows.filter({ hasText: 'validation-00000-of-00001.parquet' })).toContainText(
    `${Math.round(MRPC.length / 1e3)} kB`,
  );
  await expect(page.getByTestId('glue-hub-storage')).toContainText(/This site uses .* of the/);
  await expect(page.getByTestId('glue-file-weights')).toContainText('from the Hub cache');
  await expect(page.getByTestId('glue-file-train')).toContainText('train-00000-of-00001.parquet');
  await expect(page).toHaveURL(new RegExp(`glue\\.mrev=${SHA}`));
  await expect(page).toHaveURL(new RegExp(`glue\\.drev=${DATA_SHA}`));
  await page.screenshot({ path: `${SHOTS}/cached.png`, fullPage: true });
  await expectNoSeriousAxe(page, 'the Hub panel with a cache');

  // a reload finds everything in the cache: the Hub is not asked again
  await page.unroute('https://huggingface.co/**');
  const after: string[] = [];
  await page.route('https://huggingface.co/**', (r) => {
    after.push(r.request().url());
    return r.abort();
  });
  await page.reload();
  await expect(page.getByTestId('glue-file-weights')).toContainText('from the Hub cache', {
    timeout: 30_000,
  });
  await expect(page.getByTestId('glue-file-dev')).toContainText('from the Hub cache');
  await expect(page.getByTestId('glue-data')).toContainText('6 rows');
  await page.getByTestId('glue-start').click();
  await expect(page.getByTestId('glue-status')).toHaveAttribute('data-state', 'done', {
    timeout: 60_000,
  });
  const losses = await page.evaluate(() =>
    (globalThis as unknown as { __glue: { steps: { loss: number }[][] } }).__glue.steps.map((run) =>
      run.map((s) => s.loss),
    ),
  );
  expect(losses).toHaveLength(1);
  expect(losses[0]).toHaveLength(2);
  expect(losses[0].every(Number.isFinite)).toBe(true);
  expect(after).toEqual([]);

  // delete every cached file: the page forgets the cached files too
  while ((await rows.count()) > 0) {
    const n = await rows.count();
    await rows
      .first()
      .getByRole('button', { name: /^Delete / })
      .click();
    await expect(rows).toHaveCount(n - 1);
  }
  await expect(hub).toContainText('Nothing downloaded yet');
  await expect(page.getByTestId('glue-file-weights')).toHaveCount(0);
  await expect(page.getByTestId('glue-start')).toBeDisabled();
  expect(after).toEqual([]);
});

// Not the fixture's `test`: the refused fetch is logged as a console error on purpose.
plainTest(
  'the built page may fetch from itself and the Hub only (CSP connect-src)',
  async ({ page }) => {
    await page.route('https://huggingface.co/**', (r) =>
      r.fulfill({ status: 200, headers: CORS, body: 'hub' }),
    );
    await page.goto('./#v=3&page=glue');
    await expect(page.getByTestId('glue-hub')).toBeVisible({ timeout: 30_000 });
    const csp = await page
      .locator('meta[http-equiv="Content-Security-Policy"]')
      .getAttribute('content');
    expect(csp).toBe(
      "connect-src 'self' https://huggingface.co https://*.huggingface.co https://*.hf.co",
    );
    const result = await page.evaluate(async () => {
      const blocked = new Promise<string>((resolve) =>
        document.addEventListener('securitypolicyviolation', (e) => resolve(e.blockedURI), {
          once: true,
        }),
      );
      const get = (url: string) =>
        fetch(url).then(
          (r) => r.text(),
          () => 'refused',
        );
      const out = {
        self: (await get('./favicon.svg')).startsWith('<svg') ? 'ok' : 'not an svg',
        hub: await get('https://huggingface.co/api/models/a/b/revision/main'),
        other: await get('https://example.com/steal'),
        blocked: await blocked,
      };
      return out;
    });
    expect(result.self).toBe('ok');
    expect(result.hub).toBe('hub');
    expect(result.other).toBe('refused');
    expect(result.blocked).toBe('https://example.com/steal');
  },
);
