/**
 * `npm run pins`: regenerates the known-answer fixtures in tests/fixtures/pins/ from the current
 * code (src/lib/testing/pins.ts lists the cases). Run it only for a deliberate change of what the
 * PRNG, detmath or a link computes, and say so in the commit; the tests then pin the new output.
 * The detmath reference column comes from Python's decimal module (python3 on PATH).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import {
  detmathBits,
  LAB_LINK,
  LAB_LINK_V2,
  LAB_LINK_V3,
  LINKS_2D,
  LINKS_2D_V2,
  PINS_DIR,
  RNG_SEEDS,
  rngPin,
  trace2d,
  type DetmathPins,
} from '../src/lib/testing/pins';
import { decodeLink, toLabSettings } from '../src/lib/state/url';

const write = (name: string, value: unknown) => {
  writeFileSync(PINS_DIR + name, JSON.stringify(value) + '\n');
  process.stderr.write(`pins: wrote tests/fixtures/pins/${name}\n`);
};

/** exp x, ln x and base^k to 30 significant digits from the exact binary inputs. */
function references(d: ReturnType<typeof detmathBits>): DetmathPins {
  const program = `
import json, sys
from decimal import Decimal, getcontext
getcontext().prec = 60
d = json.load(sys.stdin)
fmt = lambda v: format(v, '.30e')
print(json.dumps({
  'exp': [fmt(Decimal(e['x']).exp()) for e in d['exp']],
  'log': [fmt(Decimal(e['x']).ln()) for e in d['log']],
  'powInt': [fmt(Decimal(e['base']) ** e['k']) for e in d['powInt']],
}))`;
  // Decimal(float) is the exact binary value; JSON carries the doubles exactly (shortest round-trip form)
  const refs = JSON.parse(
    execFileSync('python3', ['-c', program], { input: JSON.stringify(d), encoding: 'utf8' }),
  ) as Record<keyof DetmathPins, string[]>;
  return {
    exp: d.exp.map((e, i) => ({ ...e, ref: refs.exp[i] })),
    log: d.log.map((e, i) => ({ ...e, ref: refs.log[i] })),
    powInt: d.powInt.map((e, i) => ({ ...e, ref: refs.powInt[i] })),
  };
}

async function main(): Promise<void> {
  mkdirSync(PINS_DIR, { recursive: true });
  write('rng.json', RNG_SEEDS.map(rngPin));
  write('detmath.json', references(detmathBits()));
  write(
    'links-v1.json',
    LINKS_2D.map((link) => ({ link, output: trace2d(link) })),
  );
  write(
    'links-v2.json',
    LINKS_2D_V2.map((link) => ({ link, output: trace2d(link) })),
  );
  const { traceLab } = await import('../src/lib/tf/traceLab');
  const alice = readFileSync(new URL('../static/texts/alice.txt', import.meta.url), 'utf8');
  const lab = decodeLink(LAB_LINK).link.lab!;
  write('lab-v1.json', { link: LAB_LINK, output: await traceLab(toLabSettings(lab), { alice }) });
  for (const [name, link] of [
    ['lab-v2.json', LAB_LINK_V2],
    ['lab-v3.json', LAB_LINK_V3],
  ]) {
    const settings = toLabSettings(decodeLink(link).link.lab!);
    write(name, { link, output: await traceLab(settings, { alice }) });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`pins: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
