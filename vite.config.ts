/// <reference types="vitest/config" />
import { createHash } from 'node:crypto';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, sep } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import {
  CONTENT_SECURITY_POLICY,
  ISOLATION_HEADERS,
  RESPONSE_HEADERS,
  serviceWorkerSource,
} from './src/offline/serviceWorker.ts';

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
      // Fonts are cached as woff2 only (every browser that has service workers reads woff2).
      const files = filesUnder(outDir)
        .filter((f) => f !== 'sw.js' && !/\.(ttf|woff)$/.test(f))
        .map((f) => './' + relative('.', f).split(sep).join('/'))
        .sort();
      const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 12);
      writeFileSync(join(outDir, 'sw.js'), serviceWorkerSource(files, version));
    },
  };
}

/**
 * The built index.html carries the CSP (src/offline/serviceWorker.ts) as its first <meta>, before any script.
 * Not in the dev server, whose hot reload talks over a WebSocket of its own.
 */
function cspPlugin(): Plugin {
  return {
    name: 'adasam-csp',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
        injectTo: 'head-prepend',
      },
    ],
  };
}

/**
 * tfjs-wasm hands its threaded module factory to the pthread workers as source text
 * (Function.prototype.toString), so the factory may not refer to anything outside itself. Its
 * one outside reference, the enclosing `_scriptDir`, is guarded by `typeof` in the source, but
 * the minifier drops that guard (the variable is always declared) and the workers die with
 * "e is not defined". A global property survives minification and reads as undefined in a
 * worker, which is what the guard meant; in the page a module bundle has no currentScript, so
 * the value is undefined there too.
 */
function tfjsWasmThreadsPlugin(): Plugin {
  return {
    name: 'adasam-tfjs-wasm-threads',
    transform(code, id) {
      if (!/tfjs-backend-wasm[\\/]wasm-out[\\/]tfjs-backend-wasm-threaded-simd\.js$/.test(id))
        return null;
      const fixed = code
        .replace(/\bvar _scriptDir\b/g, '_scriptDir')
        .replace(/\b_scriptDir\b/g, 'globalThis.__tfjsWasmScriptDir');
      return { code: fixed, map: null };
    },
  };
}

export default defineConfig({
  plugins: [svelte(), tfjsWasmThreadsPlugin(), cspPlugin(), offlinePlugin()],
  // public/: copied as is (icon). static/: data the app imports (texts for the LM task).
  publicDir: 'public',
  base: './',
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
  // the lab's trainer worker loads tfjs-wasm: its bundle needs the same fix
  worker: { format: 'es', plugins: () => [tfjsWasmThreadsPlugin()] },
  // cross-origin isolated, so tfjs-wasm may use threads (a static host: see src/offline/)
  server: { port: 5173, strictPort: false, headers: ISOLATION_HEADERS },
  preview: { port: 4173, strictPort: true, headers: RESPONSE_HEADERS },
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    // Generous: CI and the shared 2-core machines run several suites at once, and a tfjs-cpu test
    // that takes 20 s alone (the Race training test) then takes two minutes. Hangs still fail.
    testTimeout: 300_000,
    // At least two test files at once, also on 2 cores (Vitest's default there is one): most files
    // keep one core busy, or wait on a Python or tsx child. The unit tests took 3.5 min instead of
    // 5–7 min on the 2-core machine.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
