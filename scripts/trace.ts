/**
 * `npm run --silent trace -- [options | '<share link>']`: runs a configuration headlessly and
 * prints its trace as JSON on stdout (see src/lib/trace/cli.ts for the options, generated from the
 * settings table). Bad input: exit status 2 and one line on stderr, nothing on stdout.
 */
import { helpText, parseTraceArgs } from '../src/lib/trace/cli';
import { traceScene, traceText, type TraceJson } from '../src/lib/trace/trace';
import { decodeLink } from '../src/lib/state/url';
import type { RunSpec, SceneSettings } from '../src/lib/state/url';

function fail(message: string): never {
  process.stderr.write(`trace: ${message}\n`);
  process.exit(2);
}

async function run(
  backend: 'f64' | 'tfjs',
  scene: SceneSettings,
  runs: RunSpec[],
): Promise<TraceJson[]> {
  if (backend === 'f64') return traceScene(scene, runs);
  const { traceSceneTf } = await import('../src/lib/tf/traceTf');
  return traceSceneTf(scene, runs);
}

async function main(): Promise<void> {
  const parsed = parseTraceArgs(process.argv.slice(2));
  if (!parsed.ok) fail(parsed.message);
  const request = parsed.request;
  if (request.kind === 'help') {
    process.stdout.write(helpText() + '\n');
    return;
  }
  if (request.kind === 'options') {
    const [one] = await run(request.backend, request.scene, [request.run]);
    process.stdout.write(traceText(one));
    return;
  }
  const { link, ignored } = decodeLink(request.link);
  if (link.page !== '2d')
    fail(`this link opens the ${link.page} page; trace runs the 2-D explainer's links`);
  // The page opens such a link with defaults for what it ignored, and so does trace; it says so on stderr.
  for (const i of ignored)
    process.stderr.write(`trace: ignored ${i.key}=${i.value}: ${i.reason}\n`);
  process.stdout.write(traceText(await run(request.backend, link.scene, link.runs)));
}

main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
