/**
 * `npm run --silent trace -- [options | '<share link>']`: runs a configuration headlessly and
 * prints its trace as JSON on stdout (see src/lib/trace/cli.ts for the options, generated from the
 * settings table). A transformer-lab link trains its race on the cpu backend and prints
 * {"runs":[{"label","losses"}]} (src/lib/tf/traceLab.ts). Bad input: exit status 2 and one line
 * on stderr, nothing on stdout.
 */
import { readFileSync } from 'node:fs';
import { helpText, parseTraceArgs } from '../src/lib/trace/cli';
import { traceScene, traceText, type TraceJson } from '../src/lib/trace/trace';
import { labProblems } from '../src/lib/state/labCheck';
import { decodeLink, toLabSettings } from '../src/lib/state/url';
import type { LabLinkSettings, RunSpec, SceneSettings } from '../src/lib/state/url';

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
  // The page opens such a link with defaults for what it ignored, and so does trace; it says so on stderr.
  for (const i of ignored)
    process.stderr.write(`trace: ignored ${i.key}=${i.value}: ${i.reason}\n`);
  if (link.page === 'lab') {
    if (request.backend !== 'f64')
      fail('--backend does not apply to a lab link: it always trains on the tfjs cpu backend');
    process.stdout.write(await traceLabLink(link.lab!));
    return;
  }
  if (link.page !== '2d')
    fail(
      `this link opens the ${link.page} page; trace runs the 2-D explainer's and the lab's links`,
    );
  process.stdout.write(traceText(await run(request.backend, link.scene, link.runs)));
}

/** The lab link's race on the cpu backend, as {"runs":[{"label","losses"}]}. */
async function traceLabLink(lab: LabLinkSettings): Promise<string> {
  const problems = labProblems(lab);
  if (problems.length) fail(problems.join(' '));
  const { traceLab } = await import('../src/lib/tf/traceLab');
  const texts = {
    alice: readFileSync(new URL('../static/texts/alice.txt', import.meta.url), 'utf8'),
  };
  return JSON.stringify(await traceLab(toLabSettings(lab), texts)) + '\n';
}

main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
