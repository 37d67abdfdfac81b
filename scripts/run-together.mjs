// Runs npm scripts at the same time and fails if any fails: `node scripts/run-together.mjs check lint`.
// For the test command's independent steps, which each keep mostly one core busy (svelte-check,
// ESLint, Prettier, the two builds): on a 2-core machine two at once take about the time of the
// longer. Each script's output is printed whole when it ends (never interleaved), with its time.
import { spawn } from 'node:child_process';

const names = process.argv.slice(2);
if (names.length === 0) {
  console.error('usage: node scripts/run-together.mjs <npm script> [<npm script> …]');
  process.exit(2);
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const runs = names.map(
  (name) =>
    new Promise((resolve) => {
      const started = Date.now();
      const child = spawn(npm, ['run', name], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '1' },
      });
      const output = [];
      child.stdout.on('data', (d) => output.push(d));
      child.stderr.on('data', (d) => output.push(d));
      let ended = false;
      const done = (code, why) => {
        // 'error' and 'close' may both come
        if (ended) return;
        ended = true;
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        process.stdout.write(`\n> ${name} (${why}, ${seconds} s)\n`);
        process.stdout.write(Buffer.concat(output));
        resolve(code === 0);
      };
      child.on('error', (err) => done(1, `could not start: ${err.message}`));
      child.on('close', (code, signal) =>
        done(code, code === 0 ? 'ok' : `failed: ${signal ?? `exit ${code}`}`),
      );
    }),
);

const ok = await Promise.all(runs);
if (!ok.every(Boolean)) {
  console.error(`failed: ${names.filter((_, i) => !ok[i]).join(', ')}`);
  process.exit(1);
}
