/**
 * Share links: the whole state of a page in the URL hash, e.g.
 *   #v=1&land=wells&T=100&r0=sgd&r0.lr=0.05&r1=adasam&r1.lr=0.05&r1.rho=0.25
 * Run i is `r<i>=<family>` plus `r<i>.<key>=<value>` for each knob that differs from that
 * family's recipe under its preset. Defaults are omitted, so links stay short.
 *
 * decodeLink never throws on untrusted input: unknown keys are ignored, malformed or
 * out-of-range values fall back to their defaults, and everything ignored is listed so the page
 * can say so. Values are only ever parsed against the tables in schema.ts, never evaluated or
 * rendered as markup.
 */
import {
  ConfigError,
  FAMILY,
  recipe,
  validateConfig,
  type FamilyName,
  type OptimizerConfig,
  type Preset,
} from '../optim/config';
import {
  DEFAULT_GLUE,
  DEFAULT_LINK,
  labDefaults,
  linkDefaults,
  type LinkDefaults,
} from './defaults';
import {
  GLUE_SETTINGS,
  GLUE_VIEW_SETTINGS,
  LAB_SETTINGS,
  LAB_VIEW_SETTINGS,
  LINK_VERSIONS,
  MAX_RUNS,
  OPTIMIZER_SETTINGS,
  PAGES,
  RUN_SETTINGS,
  SCENE_SETTINGS,
  SCHEMA_VERSION,
  VIEW_SETTINGS,
  type LinkVersion,
  type Page,
} from './schema';
import {
  formatSetting,
  parseSetting,
  sameValue,
  valueOf,
  type Setting,
  type SettingValue,
  type ValuesOf,
} from './settings';
import { listWords } from './words';
import type { LabSettings, TaskSettings } from '../lab/types';

/** The 2-D page's scene: one field per SCENE_SETTINGS row. */
export type SceneSettings = ValuesOf<typeof SCENE_SETTINGS>;

/** The 2-D page's view: one field per VIEW_SETTINGS row. */
export type ViewSettings = ValuesOf<typeof VIEW_SETTINGS>;

/** One optimizer of a race: the family member it starts from, its preset, and the resolved knobs. */
export interface RunSpec {
  family: FamilyName;
  preset: Preset;
  config: OptimizerConfig;
}

/** The lab's own settings: one field per LAB_SETTINGS row (task, model, training, backend). */
export type LabRowSettings = ValuesOf<typeof LAB_SETTINGS>;

/**
 * The transformer lab's part of a link: one field per LAB_SETTINGS / LAB_VIEW_SETTINGS row, plus
 * its own race. Its runs are separate from the 2-D page's `runs` (keys `lab.r<i>…`): a learning
 * rate that suits a 2-D landscape is far too large for a transformer, so sharing one list would
 * make every switch of page retune every run.
 */
export type LabLinkSettings = LabRowSettings &
  ValuesOf<typeof LAB_VIEW_SETTINGS> & {
    runs: RunSpec[];
  };

/** The GLUE page's part of a link: one field per GLUE_SETTINGS / GLUE_VIEW_SETTINGS row, its race. */
export type GlueLinkSettings = ValuesOf<typeof GLUE_SETTINGS> &
  ValuesOf<typeof GLUE_VIEW_SETTINGS> & {
    runs: RunSpec[];
  };

export interface PlaygroundLink {
  page: Page;
  scene: SceneSettings;
  view: ViewSettings;
  runs: RunSpec[];
  /** the transformer lab's settings; absent means its defaults (decodeLink always fills it in) */
  lab?: LabLinkSettings;
  /** the GLUE page's settings; absent means its defaults (decodeLink always fills it in) */
  glue?: GlueLinkSettings;
}

/** Something in a link that was not used, and why. */
export interface Ignored {
  key: string;
  value: string;
  reason: string;
}

export interface Decoded {
  link: PlaygroundLink;
  ignored: Ignored[];
}

/** Links longer than this are cut before parsing: no real state needs it, and it bounds the work. */
export const MAX_LINK_LENGTH = 8192;

/** The parameter part of a whole URL, a "?query", a "#hash" or a bare "a=1&b=2". */
export function paramsOf(input: string): string {
  const hash = input.indexOf('#');
  if (hash >= 0) return input.slice(hash + 1).replace(/^\?/, '');
  const query = input.indexOf('?');
  return query >= 0 ? input.slice(query + 1) : input;
}

/** The runs of a link as RunSpecs; the base config of a run is its family's recipe under its preset. */
export function runSpec(
  family: FamilyName,
  preset: Preset,
  overrides: Partial<OptimizerConfig> = {},
): RunSpec {
  return { family, preset, config: validateConfig({ ...recipe(family, preset), ...overrides }) };
}

/** The value of one row from its text, or its fallback (noted in `ignored`) when malformed. */
function pick(
  row: Setting,
  key: string,
  text: string | undefined,
  fallback: SettingValue,
  ignored: Ignored[],
): SettingValue {
  if (text === undefined) return fallback;
  const parsed = parseSetting(row, text);
  if (parsed.ok) return parsed.value;
  ignored.push({ key, value: text, reason: parsed.reason });
  return fallback;
}

/** The settings object of a table read from a link: each row's value, or its default there. */
function decodeRows<const Rows extends readonly Setting[]>(
  rows: Rows,
  params: Map<string, string>,
  prefix: string,
  defaults: ValuesOf<Rows>,
  used: Set<string>,
  ignored: Ignored[],
): ValuesOf<Rows> {
  const out = Object.fromEntries(
    rows.map((row) => {
      const key = prefix + row.url;
      used.add(key);
      return [row.name, pick(row, key, params.get(key), valueOf(defaults, row), ignored)];
    }),
  );
  return out as ValuesOf<Rows>;
}

function decodeRun(
  i: number,
  params: Map<string, string>,
  used: Set<string>,
  ignored: Ignored[],
  prefix: string,
  runBase: LinkDefaults['runBase'],
): RunSpec {
  const p = `${prefix}${i}`;
  const [familyRow, presetRow] = RUN_SETTINGS;
  used.add(p).add(`${p}.preset`);
  const family = pick(familyRow, p, params.get(p), familyRow.default, ignored) as FamilyName;
  const preset = pick(
    presetRow,
    `${p}.preset`,
    params.get(`${p}.preset`),
    presetRow.default,
    ignored,
  ) as Preset;
  const base = runBase(family, preset);
  let knobs: OptimizerConfig = decodeRows(OPTIMIZER_SETTINGS, params, `${p}.`, base, used, ignored);
  // Cross-field rules (β2 = 1 with bias correction, …) are the optimizer's own: revert the key it names.
  for (let tries = 0; tries < OPTIMIZER_SETTINGS.length; tries++) {
    try {
      validateConfig(knobs);
      break;
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      const row = OPTIMIZER_SETTINGS.find((r) => r.name === e.key)!;
      ignored.push({
        key: `${p}.${row.url}`,
        value: formatSetting(row, knobs[e.key]),
        reason: e.message,
      });
      knobs = { ...knobs, [e.key]: base[e.key] };
    }
  }
  return { family, preset, config: knobs };
}

/** Parses a share link (whole URL, query or hash). Never throws. */
export function decodeLink(input: string): Decoded {
  const ignored: Ignored[] = [];
  let text = typeof input === 'string' ? input : '';
  if (text.length > MAX_LINK_LENGTH) {
    ignored.push({
      key: '(link)',
      value: `${text.length} characters`,
      reason: `the link is longer than ${MAX_LINK_LENGTH} characters; the rest was cut`,
    });
    text = text.slice(0, MAX_LINK_LENGTH);
  }
  const params = new Map<string, string>();
  let search: URLSearchParams;
  try {
    search = new URLSearchParams(paramsOf(text));
  } catch {
    search = new URLSearchParams();
  }
  for (const [key, value] of search) {
    if (params.has(key))
      ignored.push({
        key,
        value,
        reason: `${key} appears more than once; the first value was used`,
      });
    else params.set(key, value);
  }
  const used = new Set<string>(['v', 'page']);

  const versionText = params.get('v');
  const version: LinkVersion =
    LINK_VERSIONS.find((v) => String(v) === versionText) ?? SCHEMA_VERSION;
  if (versionText !== undefined && String(version) !== versionText) {
    ignored.push({
      key: 'v',
      value: versionText,
      reason: `this link has schema version ${JSON.stringify(versionText)}; this playground reads versions ${listWords(LINK_VERSIONS.map(String))} and read it as version ${SCHEMA_VERSION}, so some settings may differ`,
    });
  }
  const pageText = params.get('page');
  let page: Page = DEFAULT_LINK.page;
  if (pageText !== undefined) {
    if ((PAGES as readonly string[]).includes(pageText)) page = pageText as Page;
    else
      ignored.push({
        key: 'page',
        value: pageText,
        reason: `page must be one of ${PAGES.join(', ')}`,
      });
  }

  // The landscape first: the other settings' defaults depend on it (and on the version).
  const problemRow = SCENE_SETTINGS[0];
  const problem = pick(
    problemRow,
    problemRow.url,
    params.get(problemRow.url),
    problemRow.default,
    [],
  ) as string;
  const defaults = linkDefaults(version, problem);
  const scene = decodeRows(SCENE_SETTINGS, params, '', defaults.scene, used, ignored);
  if (params.get('x0') === undefined || ignored.some((i) => i.key === 'x0'))
    scene.x0 = defaults.scene.x0;
  const view = decodeRows(VIEW_SETTINGS, params, '', defaults.view, used, ignored);

  const runs = decodeRuns(params, 'r', defaults.runs, used, ignored, defaults.runBase);
  const lab = decodeLab(params, used, ignored, labDefaults(version));
  const glue = decodeGlue(params, used, ignored);

  for (const [key, value] of params) {
    if (used.has(key)) continue;
    const run = /^(lab\.|glue\.)?r\d+/.exec(key);
    const reason = run
      ? `not a setting of a run (runs are ${run[1] ?? ''}r0…${run[1] ?? ''}r${MAX_RUNS - 1}, each needs ${run[1] ?? ''}r<i>=<optimizer>)`
      : 'unknown setting';
    ignored.push({ key, value, reason });
  }
  const ar = params.get('ar');
  if (view.anatomyRun >= runs.length) {
    if (ar !== undefined && !ignored.some((i) => i.key === 'ar'))
      ignored.push({
        key: 'ar',
        value: ar,
        reason: `the race has ${runs.length} runs (0…${runs.length - 1})`,
      });
    view.anatomyRun = defaultAnatomyRun(runs);
  } else if (ar === undefined) view.anatomyRun = defaultAnatomyRun(runs);
  return { link: { page, scene, view, runs, lab, glue }, ignored };
}

/** Where a race on a landscape starts when a link of this version does not say (null: the landscape's own start). */
export const defaultStart = (problem: string): [number, number] | null =>
  linkDefaults(SCHEMA_VERSION, problem).scene.x0;

/** The run the step anatomy shows when the link does not say: the race's first AdaSAM, else its first run. */
export const defaultAnatomyRun = (runs: readonly RunSpec[]): number =>
  Math.max(
    0,
    runs.findIndex((r) => r.family === 'adasam'),
  );

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The runs `<prefix>0…` of a link in index order, or a copy of `defaults` when it names none. */
function decodeRuns(
  params: Map<string, string>,
  prefix: string,
  defaults: readonly RunSpec[],
  used: Set<string>,
  ignored: Ignored[],
  runBase: LinkDefaults['runBase'],
): RunSpec[] {
  const pattern = new RegExp(`^${escapeRegExp(prefix)}(\\d+)(?:\\.|$)`);
  const runIndices = [...params.keys()]
    .map((k) => pattern.exec(k)?.[1])
    .filter((i): i is string => i !== undefined)
    .map(Number);
  const present = [...new Set(runIndices)]
    .filter((i) => i < MAX_RUNS && params.has(`${prefix}${i}`))
    .sort((a, b) => a - b);
  return present.length > 0
    ? present.map((i) => decodeRun(i, params, used, ignored, prefix, runBase))
    : defaults.map((r) => ({ ...r, config: { ...r.config } }));
}

const LAB_RUN_PREFIX = 'lab.r';

/** The lab's part of a link, against the defaults of the link's version (defaults.ts labDefaults). */
function decodeLab(
  params: Map<string, string>,
  used: Set<string>,
  ignored: Ignored[],
  defaults: LabLinkSettings,
): LabLinkSettings {
  const settings = decodeRows(LAB_SETTINGS, params, '', defaults, used, ignored);
  const view = decodeRows(LAB_VIEW_SETTINGS, params, '', defaults, used, ignored);
  const runs = decodeRuns(params, LAB_RUN_PREFIX, defaults.runs, used, ignored, recipe);
  return { ...settings, ...view, runs };
}

const GLUE_RUN_PREFIX = 'glue.r';

function decodeGlue(
  params: Map<string, string>,
  used: Set<string>,
  ignored: Ignored[],
): GlueLinkSettings {
  const settings = decodeRows(GLUE_SETTINGS, params, '', DEFAULT_GLUE, used, ignored);
  const view = decodeRows(GLUE_VIEW_SETTINGS, params, '', DEFAULT_GLUE, used, ignored);
  const runs = decodeRuns(params, GLUE_RUN_PREFIX, DEFAULT_GLUE.runs, used, ignored, recipe);
  return { ...settings, ...view, runs };
}

/** Appends `prefix + url = value` for each row whose value differs from its default. */
function encodeRows<const Rows extends readonly Setting[]>(
  rows: Rows,
  values: ValuesOf<Rows>,
  defaults: ValuesOf<Rows>,
  prefix: string,
  out: [string, string][],
): void {
  for (const row of rows) {
    const value = valueOf(values, row);
    if (value === undefined || sameValue(value, valueOf(defaults, row))) continue;
    out.push([prefix + row.url, formatSetting(row, value)]);
  }
}

export function sameRuns(a: RunSpec[], b: RunSpec[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (r, i) =>
        r.family === b[i].family &&
        r.preset === b[i].preset &&
        OPTIMIZER_SETTINGS.every((row) => r.config[row.name] === b[i].config[row.name]),
    )
  );
}

/** The link's parameter string (put it after '#'). Omits defaults; always carries the schema version. */
export function encodeLink(link: PlaygroundLink): string {
  const out: [string, string][] = [['v', String(SCHEMA_VERSION)]];
  if (link.page !== DEFAULT_LINK.page) out.push(['page', link.page]);
  const defaults = linkDefaults(SCHEMA_VERSION, link.scene.problem);
  // the landscape against the table's default, everything else against that landscape's defaults
  const problem = SCENE_SETTINGS[0].default;
  encodeRows(SCENE_SETTINGS, link.scene, { ...defaults.scene, problem }, '', out);
  encodeRows(
    VIEW_SETTINGS,
    link.view,
    { ...defaults.view, anatomyRun: defaultAnatomyRun(link.runs) },
    '',
    out,
  );
  encodeRuns(link.runs, defaults.runs, 'r', out, defaults.runBase);
  if (link.lab) {
    const lab = labDefaults(SCHEMA_VERSION);
    encodeRows(LAB_SETTINGS, link.lab, lab, '', out);
    encodeRows(LAB_VIEW_SETTINGS, link.lab, lab, '', out);
    encodeRuns(link.lab.runs, lab.runs, LAB_RUN_PREFIX, out, recipe);
  }
  if (link.glue) {
    encodeRows(GLUE_SETTINGS, link.glue, DEFAULT_GLUE, '', out);
    encodeRows(GLUE_VIEW_SETTINGS, link.glue, DEFAULT_GLUE, '', out);
    encodeRuns(link.glue.runs, DEFAULT_GLUE.runs, GLUE_RUN_PREFIX, out, recipe);
  }
  return new URLSearchParams(out).toString();
}

/** Writes a race as `<prefix><i>=<family>` plus the knobs that differ from its recipe; nothing when it is the default race. */
function encodeRuns(
  runs: RunSpec[],
  defaults: RunSpec[],
  prefix: string,
  out: [string, string][],
  runBase: LinkDefaults['runBase'],
): void {
  if (sameRuns(runs, defaults)) return;
  runs.slice(0, MAX_RUNS).forEach((run, i) => {
    out.push([`${prefix}${i}`, run.family]);
    if (run.preset !== 'paper') out.push([`${prefix}${i}.preset`, run.preset]);
    encodeRows(
      OPTIMIZER_SETTINGS,
      run.config,
      runBase(run.family, run.preset),
      `${prefix}${i}.`,
      out,
    );
  });
}

// ─── the lab's link → the worker's settings ─────────────────────────────────────────────────

/** Characters of the LM text held out for testing (fixed: not worth a knob). */
const CHARLM_TEST_FRACTION = 0.1;

/** The task settings of the worker protocol for the lab's chosen task. */
export function labTaskSettings(lab: LabLinkSettings): TaskSettings {
  switch (lab.task) {
    case 'modadd':
      return { kind: 'modadd', p: lab.p, trainFraction: lab.trainFraction };
    case 'reverse':
    case 'sort':
      return {
        kind: lab.task,
        length: lab.length,
        alphabet: lab.alphabet,
        trainSize: lab.trainSize,
        testSize: lab.testSize,
      };
    case 'brackets':
    case 'majority':
      return {
        kind: lab.task,
        length: lab.length,
        trainSize: lab.trainSize,
        testSize: lab.testSize,
      };
    case 'charlm':
      return {
        kind: 'charlm',
        text: 'alice',
        seqLen: lab.seqLen,
        testFraction: CHARLM_TEST_FRACTION,
      };
  }
}

/** A run's display name: its family's label, numbered when the race has two of that family. */
export function labRunLabels(runs: readonly RunSpec[]): string[] {
  return runs.map((r, i) => {
    const name = recipeLabel(r.family);
    const same = runs.filter((o) => o.family === r.family).length;
    return same > 1 ? `${name} #${i + 1}` : name;
  });
}

const recipeLabel = (family: FamilyName): string => FAMILY[family].label;

/** The lab's link state as the worker protocol's LabSettings (pure; the one place this mapping lives). */
export function toLabSettings(lab: LabLinkSettings): LabSettings {
  const labels = labRunLabels(lab.runs);
  return {
    task: labTaskSettings(lab),
    model: {
      layers: lab.layers,
      dModel: lab.dModel,
      heads: lab.heads,
      mlp: lab.mlp,
      dropout: lab.dropout,
    },
    runs: lab.runs.map((r, i) => ({ label: labels[i], config: { ...r.config } })),
    batch: lab.batch,
    steps: lab.steps,
    evalEvery: lab.evalEvery,
    seed: lab.seed,
    seeds: lab.seeds,
    backend: lab.backend,
  };
}
