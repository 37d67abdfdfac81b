import { defineConfig } from '@playwright/test';

/**
 * Browser tests in Debian's Chromium (never a downloaded browser). By default they run against
 * the test build (`npm run build:test`: the production build plus the test hooks, in dist-test/)
 * served by `vite preview`; E2E_DEV=1 uses the dev server instead (no build), and PORT picks the
 * port so several checkouts can test at once. production.spec.ts opens the production build
 * (dist/) itself, to check that it carries no test hook.
 */
const port = Number(process.env.PORT ?? 4173);
const dev = process.env.E2E_DEV === '1';

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  workers: 1,
  fullyParallel: false,
  retries: process.env.CI ? 1 : 0,
  timeout: 90_000,
  expect: {
    timeout: 15_000,
    // Baselines compare the drawing, not the text (tests mask it) nor the renderer's last bits:
    // a pixel counts as different beyond a colour distance of 0.2, and up to 1 % may differ.
    toHaveScreenshot: { maxDiffPixelRatio: 0.01, threshold: 0.2, animations: 'disabled' },
  },
  // one baseline per test file and name, the same on every Linux machine (no platform suffix)
  snapshotPathTemplate: '{testDir}/__screenshots__/{testFileName}/{arg}{ext}',
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    viewport: { width: 1400, height: 1000 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--enable-unsafe-webgpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--no-sandbox',
      ],
    },
  },
  webServer: {
    command: dev
      ? `node node_modules/vite/bin/vite.js --host 127.0.0.1 --port ${port} --strictPort`
      : `node node_modules/vite/bin/vite.js preview --outDir dist-test --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 120_000,
  },
});
