/**
 * `npm run --silent export -- torch '<share link>' [-o FILE]`: the link as a runnable PyTorch
 * script (src/lib/export/script.ts), on stdout or into FILE.
 * `npm run --silent export -- adasam [-o FILE]`: the optimizer alone (adasam.py).
 * Bad input: exit status 2 and one line on stderr, nothing on stdout.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { exportTorch, standaloneAdasam } from '../src/lib/export/script';
import { readPythonSources } from '../src/lib/export/nodeSources';

const USAGE = "usage: npm run --silent export -- torch '<share link>' [-o FILE] | adasam [-o FILE]";

function fail(message: string): never {
  process.stderr.write(`export: ${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let out: string | null = null;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-o' || args[i] === '--out') {
      if (i + 1 >= args.length) fail(`${args[i]} needs a file name`);
      out = args[++i];
    } else if (args[i] === '--help' || args[i] === '-h') {
      process.stdout.write(USAGE + '\n');
      return;
    } else rest.push(args[i]);
  }
  const [what, link, ...extra] = rest;
  if (extra.length) fail(`unexpected argument after the link; ${USAGE}`);
  const sources = readPythonSources();
  let text: string;
  if (what === 'adasam' && link === undefined) text = standaloneAdasam(sources);
  else if (what === 'torch' && link !== undefined) {
    const texts = {
      alice: readFileSync(new URL('../static/texts/alice.txt', import.meta.url), 'utf8'),
    };
    const result = await exportTorch(link, { sources, texts });
    if (!result.ok) fail(result.message);
    text = result.text;
  } else fail(USAGE);
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
}

main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
