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
import { ConfigError, recipe, validateConfig, type FamilyName, type OptimizerConfig, type Preset } from '../optim/config';
import { DEFAULT_LINK } from './defaults';
import { MAX_RUNS, OPTIMIZER_SETTINGS, PAGES, RUN_SETTINGS, SCENE_SETTINGS, SCHEMA_VERSION, VIEW_SETTINGS, type Page } from './schema';
import { formatSetting, parseSetting, sameValue, type Setting, type SettingValue } from './settings';

export interface SceneSettings {
  problem: string;
  x0: [number, number] | null;
  steps: number;
  sigma: number;
  batch: number;
  seed: number;
}

export interface ViewSettings {
  view: 'contour' | '3d' | 'both';
  anatomyRun: number;
  anatomyStep: number;
  anatomyPhase: number;
}

/** One optimizer of a race: the family member it starts from, its preset, and the resolved knobs. */
export interface RunSpec {
  family: FamilyName;
  preset: Preset;
  config: OptimizerConfig;
}

export interface PlaygroundLink {
  page: Page;
  scene: SceneSettings;
  view: ViewSettings;
  runs: RunSpec[];
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

type Values = Record<string, SettingValue>;

/** The parameter part of a whole URL, a "?query", a "#hash" or a bare "a=1&b=2". */
export function paramsOf(input: string): string {
  const hash = input.indexOf('#');
  if (hash >= 0) return input.slice(hash + 1).replace(/^\?/, '');
  const query = input.indexOf('?');
  return query >= 0 ? input.slice(query + 1) : input;
}

/** The runs of a link as RunSpecs; the base config of a run is its family's recipe under its preset. */
export function runSpec(family: FamilyName, preset: Preset, overrides: Partial<OptimizerConfig> = {}): RunSpec {
  return { family, preset, config: validateConfig({ ...recipe(family, preset), ...overrides }) };
}

/** The value of one row from its text, or its fallback (noted in `ignored`) when malformed. */
function pick(row: Setting, key: string, text: string | undefined, fallback: SettingValue, ignored: Ignored[]): SettingValue {
  if (text === undefined) return fallback;
  const parsed = parseSetting(row, text);
  if (parsed.ok) return parsed.value;
  ignored.push({ key, value: text, reason: parsed.reason });
  return fallback;
}

function decodeRows(rows: readonly Setting[], params: Map<string, string>, prefix: string, defaults: Values, used: Set<string>, ignored: Ignored[]): Values {
  const out: Values = { ...defaults };
  for (const row of rows) {
    const key = prefix + row.url;
    used.add(key);
    out[row.name] = pick(row, key, params.get(key), defaults[row.name], ignored);
  }
  return out;
}

function decodeRun(i: number, params: Map<string, string>, used: Set<string>, ignored: Ignored[]): RunSpec {
  const p = `r${i}`;
  const [familyRow, presetRow] = RUN_SETTINGS;
  used.add(p).add(`${p}.preset`);
  const family = pick(familyRow, p, params.get(p), familyRow.default, ignored) as FamilyName;
  const preset = pick(presetRow, `${p}.preset`, params.get(`${p}.preset`), presetRow.default, ignored) as Preset;
  const base = recipe(family, preset);
  const knobs = decodeRows(OPTIMIZER_SETTINGS, params, `${p}.`, base as unknown as Values, used, ignored) as unknown as OptimizerConfig;
  // Cross-field rules (β2 = 1 with bias correction, …) are the optimizer's own: revert the key it names.
  for (let tries = 0; tries < OPTIMIZER_SETTINGS.length; tries++) {
    try {
      validateConfig(knobs);
      break;
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      const row = OPTIMIZER_SETTINGS.find((r) => r.name === e.key)!;
      ignored.push({ key: `${p}.${row.url}`, value: formatSetting(row, knobs[e.key] as SettingValue), reason: e.message });
      (knobs as unknown as Values)[e.key] = base[e.key];
    }
  }
  return { family, preset, config: knobs };
}

/** Parses a share link (whole URL, query or hash). Never throws. */
export function decodeLink(input: string): Decoded {
  const ignored: Ignored[] = [];
  let text = typeof input === 'string' ? input : '';
  if (text.length > MAX_LINK_LENGTH) {
    ignored.push({ key: '(link)', value: `${text.length} characters`, reason: `the link is longer than ${MAX_LINK_LENGTH} characters; the rest was cut` });
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
    if (params.has(key)) ignored.push({ key, value, reason: `${key} appears more than once; the first value was used` });
    else params.set(key, value);
  }
  const used = new Set<string>(['v', 'page']);

  const version = params.get('v');
  if (version !== undefined && version !== String(SCHEMA_VERSION)) {
    ignored.push({ key: 'v', value: version, reason: `this link has schema version ${JSON.stringify(version)}; this playground reads version ${SCHEMA_VERSION}, so some settings may differ` });
  }
  const pageText = params.get('page');
  let page: Page = DEFAULT_LINK.page;
  if (pageText !== undefined) {
    if ((PAGES as readonly string[]).includes(pageText)) page = pageText as Page;
    else ignored.push({ key: 'page', value: pageText, reason: `page must be one of ${PAGES.join(', ')}` });
  }

  const scene = decodeRows(SCENE_SETTINGS, params, '', DEFAULT_LINK.scene as unknown as Values, used, ignored) as unknown as SceneSettings;
  const view = decodeRows(VIEW_SETTINGS, params, '', DEFAULT_LINK.view as unknown as Values, used, ignored) as unknown as ViewSettings;

  const runIndices = [...params.keys()].map((k) => /^r(\d+)(?:\.|$)/.exec(k)?.[1]).filter((i): i is string => i !== undefined).map(Number);
  const present = [...new Set(runIndices)].filter((i) => i < MAX_RUNS && params.has(`r${i}`)).sort((a, b) => a - b);
  const runs = present.length > 0 ? present.map((i) => decodeRun(i, params, used, ignored)) : DEFAULT_LINK.runs.map((r) => ({ ...r, config: { ...r.config } }));

  for (const [key, value] of params) {
    if (used.has(key)) continue;
    const reason = /^r\d+/.test(key) ? `not a setting of a run (runs are r0…r${MAX_RUNS - 1}, each needs r<i>=<optimizer>)` : 'unknown setting';
    ignored.push({ key, value, reason });
  }
  if (view.anatomyRun >= runs.length) view.anatomyRun = 0;
  return { link: { page, scene, view, runs }, ignored };
}

function encodeRows(rows: readonly Setting[], values: Values, defaults: Values, prefix: string, out: [string, string][]): void {
  for (const row of rows) {
    const value = values[row.name];
    if (value === undefined || sameValue(value, defaults[row.name])) continue;
    out.push([prefix + row.url, formatSetting(row, value)]);
  }
}

function sameRuns(a: RunSpec[], b: RunSpec[]): boolean {
  return a.length === b.length && a.every((r, i) => r.family === b[i].family && r.preset === b[i].preset && OPTIMIZER_SETTINGS.every((row) => r.config[row.name] === b[i].config[row.name]));
}

/** The link's parameter string (put it after '#'). Omits defaults; always carries the schema version. */
export function encodeLink(link: PlaygroundLink): string {
  const out: [string, string][] = [['v', String(SCHEMA_VERSION)]];
  if (link.page !== DEFAULT_LINK.page) out.push(['page', link.page]);
  encodeRows(SCENE_SETTINGS, link.scene as unknown as Values, DEFAULT_LINK.scene as unknown as Values, '', out);
  encodeRows(VIEW_SETTINGS, link.view as unknown as Values, DEFAULT_LINK.view as unknown as Values, '', out);
  if (!sameRuns(link.runs, DEFAULT_LINK.runs)) {
    link.runs.slice(0, MAX_RUNS).forEach((run, i) => {
      out.push([`r${i}`, run.family]);
      if (run.preset !== 'paper') out.push([`r${i}.preset`, run.preset]);
      encodeRows(OPTIMIZER_SETTINGS, run.config as unknown as Values, recipe(run.family, run.preset) as unknown as Values, `r${i}.`, out);
    });
  }
  return new URLSearchParams(out).toString();
}
