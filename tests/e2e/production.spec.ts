/**
 * The production build (dist/, what `npm run build` ships) carries no test hook: the other
 * browser tests open the test build (dist-test/), whose hooks are compiled in by
 * `vite build --mode test`. This one serves dist/ itself on a free port and opens both pages with
 * the query strings that switch the hooks on in the test build.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, preview, type PreviewServer } from 'vite';
import { expect, test, type Page } from '@playwright/test';

const DIST = 'dist';
/** Every global a hook defines (Lab.svelte, Explainer.svelte, Glue.svelte). */
const HOOKS = ['__lab', '__labEmit', '__explainerBench', '__glue', '__glueWorker'];
/**
 * Messages only the test build's workers answer (glue.worker.ts, trainer.worker.ts), and the
 * global the trainer worker then defines for worker.evaluate
 */
const HOOK_MESSAGES = ['test-lose-device', 'test-gpu-oom', 'test-wasm-threads', '__trainerWasm'];

let server: PreviewServer;
let base: string;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  // npm run test:e2e builds dist/ first; the dev-server mode (E2E_DEV=1) may not have one yet.
  if (!existsSync(join(DIST, 'index.html'))) await build({ logLevel: 'error' });
  server = await preview({
    logLevel: 'error',
    build: { outDir: DIST },
    preview: { host: '127.0.0.1', port: Number(process.env.PORT ?? 4173) + 1, strictPort: false },
  });
  base = server.resolvedUrls!.local[0];
});

test.afterAll(async () => {
  await server?.close();
});

/** The hooks each page defines, when opened with the query that asks for them. */
async function hooksOn(page: Page, base: string): Promise<string[]> {
  const defined = () =>
    page.evaluate(
      (names) => names.filter((n) => (globalThis as Record<string, unknown>)[n] !== undefined),
      HOOKS,
    );
  await page.goto(`${base}?debug=1&bench=1#v=1&page=lab`);
  await expect(page.getByRole('heading', { name: 'Transformer lab' })).toBeVisible();
  const lab = await defined();
  await page.goto('about:blank');
  await page.goto(`${base}?debug=1&bench=1#v=1&page=glue`);
  await expect(page.getByRole('heading', { name: 'GLUE fine-tuning' })).toBeVisible();
  const glue = await defined();
  await page.goto('about:blank');
  await page.goto(`${base}?debug=1&bench=1#v=1`);
  await expect(page.getByTestId('explainer')).toBeVisible();
  return [...new Set([...lab, ...glue, ...(await defined())])].sort();
}

test('the test build defines every hook when asked', async ({ page, baseURL }) => {
  expect(await hooksOn(page, baseURL!)).toEqual([...HOOKS].sort());
});

test('the production build defines no test hook, even when asked', async ({ page }) => {
  expect(await hooksOn(page, base)).toEqual([]);
});

test('no hook name is anywhere in the production bundle', () => {
  const files = readdirSync(join(DIST, 'assets')).filter((f) => f.endsWith('.js'));
  expect(files.length).toBeGreaterThan(0);
  const found = files.flatMap((f) => {
    const text = readFileSync(join(DIST, 'assets', f), 'utf8');
    return [...HOOKS, ...HOOK_MESSAGES].filter((h) => text.includes(h)).map((h) => `${h} in ${f}`);
  });
  expect(found).toEqual([]);
});
