/**
 * The transformer benchmark on every tfjs backend in headless Chromium (Debian's, as the browser
 * tests use): a Vite dev server serves scripts/bench-transformer.html, one page per backend.
 * Headless Chromium here renders in software (SwiftShader): these figures compare backends on
 * this machine, they are not GPU speeds.
 */
import { chromium } from 'playwright-core';
import { createServer } from 'vite';

const BACKENDS = ['cpu', 'wasm', 'webgl', 'webgpu'] as const;

export async function benchTransformerBrowser(
  opts: { steps?: number; warmup?: number } = {},
): Promise<Record<string, unknown>> {
  const server = await createServer({
    logLevel: 'error',
    server: { host: '127.0.0.1', port: 4181, strictPort: false },
  });
  await server.listen();
  const base = server.resolvedUrls?.local[0];
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--enable-unsafe-webgpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--no-sandbox',
    ],
  });
  const results: Record<string, unknown> = {};
  try {
    if (!base) throw new Error('the Vite dev server reported no URL');
    for (const backend of BACKENDS) {
      const page = await browser.newPage();
      await page.goto(
        `${base}scripts/bench-transformer.html?backend=${backend}&steps=${opts.steps ?? 5}&warmup=${opts.warmup ?? 1}`,
      );
      await page.waitForFunction(
        () => (window as unknown as { __bench?: unknown }).__bench !== undefined,
        null,
        { timeout: 600_000, polling: 1000 },
      );
      results[backend] = await page.evaluate(
        () => (window as unknown as { __bench: unknown }).__bench,
      );
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return results;
}
