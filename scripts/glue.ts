/**
 * `npm run --silent glue -- predict|train …` (glue.md §5): the GLUE engine headlessly, in Node, on
 * the wasm backend by default. Prints JSON on stdout; bad input (a missing or malformed file, an
 * unknown option, an invalid value) exits with status 2 and one line on stderr, nothing on stdout.
 * Options: src/lib/glue/cli.ts (optimizer options generated from the settings table, as `trace`).
 */
import { resolve } from 'node:path';
import { helpText, parseGlueArgs } from '../src/lib/glue/cli';
import { GlueInputError } from '../src/lib/glue/errors';
import { ConfigError } from '../src/lib/optim/config';

function fail(message: string, status = 2): never {
  process.stderr.write(`glue: ${message.split('\n')[0]}\n`);
  process.exit(status);
}

async function main(): Promise<void> {
  const parsed = parseGlueArgs(process.argv.slice(2));
  if (!parsed.ok) fail(parsed.message);
  const req = parsed.request;
  if (req.kind === 'help') {
    process.stdout.write(helpText() + '\n');
    return;
  }
  if (req.kind === 'train')
    for (const i of req.ignored)
      process.stderr.write(`glue: ignored ${i.key}=${i.value}: ${i.reason}\n`);
  const { pickBackend } = await import('../src/lib/tf/backend');
  const choice = await pickBackend(req.backend, {
    nodeWasmDir: resolve('node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/',
  });
  if (choice.name !== req.backend)
    fail(`the ${req.backend} backend did not start (${choice.fallbacks.join('; ')})`, 1);
  const { runPredict, runTrain } = await import('../src/lib/tf/glue/command');
  if (req.kind === 'predict') {
    process.stdout.write(JSON.stringify(await runPredict(req)) + '\n');
    return;
  }
  const out = await runTrain(req, req.runs);
  // an array for a link's optimizers or several seeds, as `trace` prints a lab link's runs
  process.stdout.write(JSON.stringify(req.link !== null || req.seeds > 1 ? out : out[0]) + '\n');
}

main().catch((e: unknown) => {
  // bad input names itself; anything else is a bug, reported with status 1
  const input = e instanceof GlueInputError || e instanceof ConfigError || e instanceof RangeError;
  fail(e instanceof Error ? e.message : String(e), input ? 2 : 1);
});
