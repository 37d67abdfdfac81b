/**
 * Known-answer pins: what the PRNG, detmath and a set of share links compute, as committed
 * fixtures (tests/fixtures/pins/), so that a refactor cannot change what an old link shows
 * without a test failing. The pins were generated from the code at link version v=1; a
 * deliberate change regenerates them with `npm run pins` and says so in its commit.
 *
 * This module defines the pinned cases and computes them; scripts/pins.ts writes the fixtures,
 * the tests (trace/pins.test.ts, tf/traceLab.test.ts) recompute and compare.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { exp, log, powInt } from '../math/detmath';
import { makeRng, mixSeed, shuffle } from '../math/rng';
import { decodeLink } from '../state/url';
import { traceScene, type TraceJson } from '../trace/trace';

export const PINS_DIR = fileURLToPath(new URL('../../../tests/fixtures/pins/', import.meta.url));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test names the shape it reads
export const loadPins = <T = any>(name: string): T =>
  JSON.parse(readFileSync(PINS_DIR + name, 'utf8')) as T;

/** The IEEE-754 bits of a double as 16 hex digits (sign, exponent, mantissa). */
export function hex64(x: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
}

/** The double whose bits are `h`. */
export function fromHex64(h: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt('0x' + h));
  return view.getFloat64(0);
}

// ─── the PRNG ────────────────────────────────────────────────────────────────────────────────

export const RNG_SEEDS = [0, 1, 42, 2 ** 31 - 1, -7];

export interface RngPin {
  seed: number;
  /** mixSeed(seed, stream, k) for stream 3 (the batch order) and k = 0, 1, 2 */
  mixed: number[];
  /** the first uniforms × 2³² (integers: the stream's raw 32-bit outputs) */
  uniform: number[];
  /** the next normals, as bits */
  normal: string[];
  /** int(7) eight times after that */
  int7: number[];
  /** shuffle of 0…9 with a fresh stream */
  shuffle: number[];
}

export function rngPin(seed: number): RngPin {
  const rng = makeRng(seed);
  const uniform = Array.from({ length: 8 }, () => rng.uniform() * 2 ** 32);
  const normal = Array.from({ length: 6 }, () => hex64(rng.normal()));
  const int7 = Array.from({ length: 8 }, () => rng.int(7));
  return {
    seed,
    mixed: [0, 1, 2].map((k) => mixSeed(seed, 3, k)),
    uniform,
    normal,
    int7,
    shuffle: Array.from(
      shuffle(
        makeRng(seed),
        Array.from({ length: 10 }, (_, i) => i),
      ),
    ),
  };
}

// ─── detmath ─────────────────────────────────────────────────────────────────────────────────

/** Inputs spanning each function's branches (tiny, reduced, subnormal and overflow ranges). */
export const EXP_INPUTS = [
  -746, -745.1, -708.5, -100, -20.5, -3.125, -1, -0.78125, -0.5, -0.3465, -1e-10, -1e-300, 0, 3e-9,
  1e-5, 0.1, 0.34657359027997264, 0.5, 0.6931471805599453, 1, 1.5, 2.5, 10, 88.7, 700, 709.78,
  709.8,
];
export const LOG_INPUTS = [
  5e-324,
  1e-310,
  2.2250738585072014e-308,
  1e-300,
  1e-16,
  1e-8,
  0.001,
  0.1,
  0.5,
  0.7071067811865476,
  0.999,
  0.9999999,
  1,
  1.0000001,
  1.25,
  1.4142135623730951,
  2,
  Math.E,
  10,
  12345.678,
  1e300,
  1.7976931348623157e308,
];
export const POW_INPUTS: [number, number][] = [
  [0.9, 0],
  [0.9, 1],
  [0.9, 2],
  [0.9, 10],
  [0.9, 37],
  [0.999, 1],
  [0.999, 100],
  [0.999, 1000],
  [0.999, 12345],
  [0.95, 300],
  [2, 30],
  [1.0001, 99999],
];

export interface DetmathPins {
  /** ref: the exact value to 30 significant digits (Python's decimal module), the independent oracle */
  exp: { x: number; hex: string; ref: string }[];
  log: { x: number; hex: string; ref: string }[];
  powInt: { base: number; k: number; hex: string; ref: string }[];
}

/** The bits detmath computes for the tables (without the reference column). */
export function detmathBits() {
  return {
    exp: EXP_INPUTS.map((x) => ({ x, hex: hex64(exp(x)) })),
    log: LOG_INPUTS.map((x) => ({ x, hex: hex64(log(x)) })),
    powInt: POW_INPUTS.map(([base, k]) => ({ base, k, hex: hex64(powInt(base, k)) })),
  };
}

// ─── share links ─────────────────────────────────────────────────────────────────────────────

/**
 * 2-D links of version 1 whose full `trace` output is pinned. The bare link pins the defaults it
 * leaves out (the opening race); the others cover stochastic mode, each landscape, both presets,
 * ASAM, weight decay, an explicit x0 and a run that diverges.
 * Their fixture (links-v1.json) must stay byte-identical: version 1 keeps its meaning.
 */
export const LINKS_2D = [
  '#v=1',
  '#v=1&land=wells&T=60&sigma=0.3&b=4&seed=7&r0=adasam&r0.rho=0.25&r1=sgdm&r1.lr=0.05',
  '#v=1&land=rosenbrock&T=80&x0=-1.2,1&r0=adam&r0.preset=torch&r0.lr=0.02&r1=asam&r1.lr=0.001&r1.rho=0.5&r2=samAdam&r2.lr=0.01&r2.wd=0.01',
  '#v=1&land=quadratic&T=50&sigma=0.5&b=2&seed=3&r0=adasam&r0.preset=torch&r0.lr=0.1&r1=amsgrad&r1.epsMode=floor&r1.lr=0.1',
  '#v=1&land=quadratic&T=40&r0=adasam&r0.b2=1&r0.eps=1e-8&r0.lr=0.1',
];

/**
 * 2-D links of version 2, where each landscape's recommended settings are its defaults: the bare
 * link (the fair opening race), two landscapes' recommended races, a run knob and stochastic mode
 * against a landscape's defaults, and the landscape's own start with families outside the race.
 */
export const LINKS_2D_V2 = [
  '#v=2',
  '#v=2&land=rosenbrock',
  '#v=2&land=himmelblau',
  '#v=2&land=ravine&sigma=0.3&b=4&seed=5&r0=adasam&r0.rho=0.2&r1=sgdm',
  '#v=2&land=himmelblau&x0=&T=50&r0=asam&r1=samAdam&r1.preset=torch',
];

/** The transformer-lab link whose per-step training losses are pinned (cpu backend; small, so fast). */
export const LAB_LINK =
  '#v=1&page=lab&lab.task=modadd&lab.p=5&lab.L=1&lab.d=32&lab.h=2&lab.mlp=16&lab.b=8&lab.steps=6&lab.drop=0.1&lab.r0=adasam&lab.r0.preset=torch&lab.r0.lr=0.003&lab.r1=sgd&lab.r1.lr=0.1';

/**
 * A version-2 lab link that leaves the race, the task, the model and the seeds at version 2's
 * defaults (lab/recommended.ts: mod 13, one block of d_model 32, three seeds, SGD and SAM at
 * γ 0.3) and only shortens it, so the pin covers those defaults in seconds.
 */
export const LAB_LINK_V2 = '#v=2&page=lab&lab.steps=4&lab.eval=4';

/** What `trace` prints for a 2-D link (parsed), refusing a link that is not read in full. */
export function trace2d(link: string): TraceJson[] {
  const { link: decoded, ignored } = decodeLink(link);
  if (ignored.length) throw new Error(`${link}: ignored ${ignored.map((i) => i.key).join(', ')}`);
  if (decoded.page !== '2d') throw new Error(`${link} is not a 2-D link`);
  return traceScene(decoded.scene, decoded.runs);
}
