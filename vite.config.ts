/// <reference types="vitest/config" />
import { createHash } from 'node:crypto';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { serviceWorkerSource } from './src/offline/serviceWorker.ts';

/** Every file under `dir`, relative to it, with '/' separators. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path).map((f) => `${name}/${f}`) : [name];
  });
}

/** Writes dist/sw.js listing every file of the finished build, so the app works offline once loaded. */
function offlinePlugin(): Plugin {
  let outDir = 'dist';
  return {
    name: 'adasam-offline',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      // Fonts are cached as woff2 only (every browser that has service workers reads woff2), and
      // tfjs's threaded WASM never runs here (it needs cross-origin isolation, which we do not set).
      const files = filesUnder(outDir)
        .filter((f) => f !== 'sw.js' && !/\.(ttf|woff)$/.test(f) && !f.includes('threaded'))
        .map((f) => './' + relative('.', f).split(sep).join('/'))
        .sort();
      const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 12);
      writeFileSync(join(outDir, 'sw.js'), serviceWorkerSource(files, version));
    },
  };
}

export default defineConfig({
  plugins: [svelte(), offlinePlugin()],
  // public/: copied as is (icon). static/: data the app imports (texts for the LM task).
  publicDir: 'public',
  base: './',
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
  worker: { format: 'es' },
  server: { port: 5173, strictPort: false },
  preview: { port: 4173, strictPort: true },
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    // Generous: CI and the shared 2-core machines run several suites at once, and a tfjs-cpu test
    // that takes 20 s alone (the Race training test) then takes two minutes. Hangs still fail.
    testTimeout: 300_000,
  },
});
