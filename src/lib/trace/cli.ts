/**
 * The `trace` command's argument parsing, generated from the settings table (schema.ts), so the
 * command line, the share link and the controls accept the same settings with the same ranges.
 * Pure: returns a request or a one-line error; the script does the printing and exiting.
 */
import {
  FAMILY_NAMES,
  familyOf,
  validateConfig,
  ConfigError,
  type FamilyName,
  type OptimizerConfig,
  type Preset,
} from '../optim/config';
import { getLandscape, LANDSCAPE_IDS } from '../landscapes';
import { recommendedConfig, recommendedFor } from '../landscapes/recommended';
import { OPTIMIZER_SETTINGS, SCENE_SETTINGS } from '../state/schema';
import { defaultsOf, describeRange, parseSetting, type Setting } from '../state/settings';
import type { RunSpec, SceneSettings } from '../state/url';
import { DEFAULT_LINK } from '../state/defaults';

export type Backend = 'f64' | 'tfjs';

export type TraceRequest =
  | { kind: 'help' }
  | { kind: 'options'; backend: Backend; scene: SceneSettings; run: RunSpec }
  | { kind: 'link'; backend: Backend; link: string };

export type ParseResult = { ok: true; request: TraceRequest } | { ok: false; message: string };

const EXTRA: Setting[] = [
  {
    kind: 'enum',
    name: 'preset',
    url: 'preset',
    label: 'preset',
    help: 'paper or torch (spec §5); explicit options override it.',
    default: 'paper',
    values: ['paper', 'torch'],
  },
  {
    kind: 'enum',
    name: 'optimizer',
    url: 'opt',
    label: 'optimizer',
    help: 'Start from this family member’s knobs (spec §6) with the landscape’s recommended γ and ρ; explicit options override them.',
    default: 'adasam',
    values: FAMILY_NAMES,
  },
  {
    kind: 'enum',
    name: 'backend',
    url: 'backend',
    label: 'backend',
    help: 'f64: the float64 core; tfjs: TF.js tensors on the cpu backend (float32).',
    default: 'f64',
    values: ['f64', 'tfjs'],
  },
];

/** Every option the command takes, in --help order. */
export const OPTIONS: Setting[] = [...SCENE_SETTINGS, ...EXTRA, ...OPTIMIZER_SETTINGS];

export function helpText(): string {
  const lines = [
    'Usage: npm run --silent trace -- [options]            run one optimizer, print one JSON object',
    "       npm run --silent trace -- '<share link>'       run every optimizer of a link, print a JSON array",
    '       npm run --silent trace -- \'<lab link>\'         train a lab link\'s race (tfjs cpu), print {"runs":[{"label","losses"}]}',
    '',
    'Options (also as --name=value, needed for negative numbers: --x0=-1.2,0.5):',
  ];
  for (const o of OPTIONS) lines.push(`  --${o.name.padEnd(16)} ${describeRange(o)}. ${o.help}`);
  return lines.join('\n');
}

function looksLikeLink(arg: string): boolean {
  return /^(https?:\/\/|[#?])/.test(arg) || (!arg.startsWith('-') && arg.includes('='));
}

/** Parses argv (without node and the script). */
export function parseTraceArgs(argv: string[]): ParseResult {
  const fail = (message: string): ParseResult => ({ ok: false, message });
  const given = new Map<string, string>();
  let link: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { ok: true, request: { kind: 'help' } };
    if (!arg.startsWith('--')) {
      if (link !== null || !looksLikeLink(arg))
        return fail(
          `unexpected argument ${JSON.stringify(arg)}: give options (--name value) or one share link`,
        );
      link = arg;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const option = OPTIONS.find((o) => o.name === name);
    if (!option)
      return fail(
        `unknown option --${name}; valid options: ${OPTIONS.map((o) => '--' + o.name).join(' ')}`,
      );
    const value: string | undefined = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) return fail(`--${name} needs a value: ${describeRange(option)}`);
    if (given.has(name)) return fail(`--${name} is given more than once`);
    given.set(name, value);
  }

  const parsed: Record<string, unknown> = {};
  for (const [name, text] of given) {
    const option = OPTIONS.find((o) => o.name === name)!;
    const r = parseSetting(option, text);
    if (!r.ok)
      return fail(`--${name} must be ${describeRange(option)}; got ${JSON.stringify(text)}`);
    parsed[name] = r.value;
  }
  const backend = (parsed.backend as Backend | undefined) ?? 'f64';
  if (link !== null) {
    const others = [...given.keys()].filter((k) => k !== 'backend');
    if (others.length > 0)
      return fail(
        `a share link already holds every setting; only --backend may be given with it (got --${others[0]})`,
      );
    return { ok: true, request: { kind: 'link', backend, link } };
  }

  const problem = (parsed.problem as string | undefined) ?? DEFAULT_LINK.scene.problem;
  if (!getLandscape(problem)) return fail(`--problem must be one of ${LANDSCAPE_IDS.join(', ')}`);
  // As a current link (what the page shows; versions 2 and 3 alike): the landscape's recommended
  // steps, start, γ and ρ (landscapes/recommended.ts) for every option not given.
  const rec = recommendedFor(problem);
  // Each parsed value already fits its row (parseSetting above).
  const givenRows = (rows: readonly Setting[]) =>
    Object.fromEntries(rows.filter((s) => s.name in parsed).map((s) => [s.name, parsed[s.name]]));
  const scene: SceneSettings = {
    ...defaultsOf(SCENE_SETTINGS),
    problem,
    steps: rec.steps,
    x0: [...rec.x0],
    ...givenRows(SCENE_SETTINGS),
  };

  const preset = (parsed.preset as Preset | undefined) ?? 'paper';
  const family = parsed.optimizer as FamilyName | undefined;
  const base: OptimizerConfig = recommendedConfig(problem, family ?? 'adasam', preset);
  const config: OptimizerConfig = { ...base, ...givenRows(OPTIMIZER_SETTINGS) };
  try {
    validateConfig(config);
  } catch (e) {
    if (e instanceof ConfigError) return fail(`--${e.key}: ${e.message}`);
    throw e;
  }
  return {
    ok: true,
    request: {
      kind: 'options',
      backend,
      scene,
      run: {
        family: family ?? familyOf(config),
        preset,
        config,
      },
    },
  };
}
