/**
 * The kinds of user-visible setting and how each is parsed from, and written to, text (a URL
 * value or a command-line option). One row describes a setting once; the URL codec, the
 * controls and the `trace` command are generated from the tables built of these rows
 * (schema.ts), as TensorFlow Playground's `State.PROPS` drives its hash.
 */

interface Base<K extends string, T> {
  kind: K;
  /** the name in code, in JSON and on the command line (`--name`) */
  name: string;
  /** the key in a share link (short, and the same symbol the equations use) */
  url: string;
  label: string;
  /** one sentence for tooltips and `--help` */
  help: string;
  default: T;
}

/**
 * What a number is counted in, read after it by screen readers (a slider's `aria-valuetext`)
 * and beside its field: a plural noun ("steps", "examples"; singular for 1 comes from dropping
 * the s), or for a pure number what it is, in parentheses ("(learning rate)").
 */
interface Unit {
  unit?: string;
}

export interface NumberSetting extends Base<'number', number>, Unit {
  min: number;
  max: number;
  /** true when `min` itself is not allowed (lr > 0, ε > 0) */
  minExclusive?: boolean;
  /** true when `max` itself is not allowed (β1 < 1) */
  maxExclusive?: boolean;
  /** slider range and scale; the valid range above may be wider */
  ui?: { min: number; max: number; step?: number; log?: boolean };
}

export interface IntSetting extends Base<'int', number>, Unit {
  min: number;
  max: number;
}

export type BoolSetting = Base<'bool', boolean>;

export interface EnumSetting extends Base<'enum', string> {
  values: readonly string[];
  /** display names, same order as values */
  labels?: readonly string[];
}

export interface Vec2Setting extends Base<'vec2', [number, number] | null> {
  min: number;
  max: number;
}

/** Free text held to a strict pattern (a Hub model id); the empty text is always allowed. */
export interface TextSetting extends Base<'text', string> {
  pattern: RegExp;
  /** the pattern in words, for messages */
  patternHelp: string;
  maxLength: number;
}

export type Setting =
  NumberSetting | IntSetting | BoolSetting | EnumSetting | Vec2Setting | TextSetting;
export type SettingValue = number | boolean | string | [number, number] | null;

/** The type of one row's value: an enum's own values, a number, a boolean or a point. */
export type ValueOf<R extends Setting> = R extends { kind: 'enum'; values: readonly (infer V)[] }
  ? V
  : R extends { kind: 'number' | 'int' }
    ? number
    : R extends { kind: 'bool' }
      ? boolean
      : R extends { kind: 'vec2' }
        ? [number, number] | null
        : R extends { kind: 'text' }
          ? string
          : never;

/** The settings object a table of rows describes: one field per row, named and typed by it. */
export type ValuesOf<Rows extends readonly Setting[]> = {
  [R in Rows[number] as R['name']]: ValueOf<R>;
};

/** Every row's default, as the table's settings object (rows are the one source of defaults). */
export function defaultsOf<const Rows extends readonly Setting[]>(rows: Rows): ValuesOf<Rows> {
  return Object.fromEntries(rows.map((r) => [r.name, r.default])) as ValuesOf<Rows>;
}

/** One row's value in a settings object of its table. */
export function valueOf<Rows extends readonly Setting[]>(
  values: ValuesOf<Rows>,
  row: Rows[number],
): SettingValue {
  return (values as Record<string, SettingValue>)[row.name];
}

export type Parsed = { ok: true; value: SettingValue } | { ok: false; reason: string };

// A plain decimal or exponent literal: rejects '', ' ', '0x10', 'Infinity', '1e', '--1' that Number() would accept or mangle.
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export function parseNumber(text: string): number | null {
  if (!NUMBER.test(text)) return null;
  const x = Number(text);
  return Number.isFinite(x) ? x : null;
}

/** The valid range of a row, in words, for messages: "[0, 1)", "(0, 10]". */
export function describeRange(s: Setting): string {
  switch (s.kind) {
    case 'number':
      return `a number in ${s.minExclusive ? '(' : '['}${s.min}, ${s.max}${s.maxExclusive ? ')' : ']'}`;
    case 'int':
      return `an integer in [${s.min}, ${s.max}]`;
    case 'bool':
      return 'true or false';
    case 'enum':
      return `one of ${s.values.join(', ')}`;
    case 'vec2':
      return `two numbers "a,b" in [${s.min}, ${s.max}], or empty`;
    case 'text':
      return `${s.patternHelp}, or empty`;
  }
}

function inRange(s: NumberSetting | IntSetting | Vec2Setting, x: number): boolean {
  const lowOk = s.kind === 'number' && s.minExclusive ? x > s.min : x >= s.min;
  const highOk = s.kind === 'number' && s.maxExclusive ? x < s.max : x <= s.max;
  return lowOk && highOk;
}

/** Whether a value, however it arrived (a link, a message, code), is one the row allows. */
export function fitsSetting(s: Setting, value: unknown): boolean {
  switch (s.kind) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && inRange(s, value);
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) && inRange(s, value);
    case 'bool':
      return typeof value === 'boolean';
    case 'enum':
      return typeof value === 'string' && s.values.includes(value);
    case 'vec2':
      return (
        value === null ||
        (Array.isArray(value) &&
          value.length === 2 &&
          value.every((x) => typeof x === 'number' && Number.isFinite(x) && inRange(s, x)))
      );
    case 'text':
      return (
        typeof value === 'string' &&
        (value === '' || (value.length <= s.maxLength && s.pattern.test(value)))
      );
  }
}

/** Null when the row allows `value`, else the message that names the setting and its range. */
export function checkSetting(s: Setting, value: unknown): string | null {
  if (fitsSetting(s, value)) return null;
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value);
  return `${s.name} must be ${describeRange(s)}; got ${shown}`;
}

/** The value a text stands for, before any range check; undefined when it is not of the row's kind. */
function readText(s: Setting, text: string): SettingValue | undefined {
  switch (s.kind) {
    case 'number':
    case 'int':
      return parseNumber(text) ?? undefined;
    case 'bool':
      if (text === 'true' || text === '1') return true;
      if (text === 'false' || text === '0') return false;
      return undefined;
    case 'enum':
    case 'text':
      return text;
    case 'vec2': {
      // empty: no point of its own (e.g. a landscape's default start)
      if (text === '') return null;
      const xy = text.split(',').map(parseNumber);
      return xy.length === 2 && xy[0] !== null && xy[1] !== null ? [xy[0], xy[1]] : undefined;
    }
  }
}

/** Parses one value; never throws. Accepts 1/0 and true/false for booleans. */
export function parseSetting(s: Setting, text: string): Parsed {
  const value = readText(s, text);
  if (value !== undefined && fitsSetting(s, value)) return { ok: true, value };
  return {
    ok: false,
    reason: `${s.name} must be ${describeRange(s)}; got ${JSON.stringify(text.slice(0, 40))}`,
  };
}

/** Writes a value so that parseSetting gives it back exactly (JS prints the shortest round-tripping decimal). */
export function formatSetting(s: Setting, value: SettingValue): string {
  if (s.kind === 'vec2')
    return value === null ? '' : (value as [number, number]).map(String).join(',');
  return String(value);
}

/** A number as a screen reader should say it: 1e-8 as "1 times 10 to the minus 8". */
export function spokenNumber(x: number): string {
  const [mantissa, exponent] = String(x).split('e');
  if (exponent === undefined) return mantissa.replace(/^-/, 'minus ');
  const e = Number(exponent);
  return `${spokenNumber(Number(mantissa))} times 10 to the ${e < 0 ? 'minus ' : ''}${Math.abs(e)}`;
}

/** The unit of a number row for a value: its plural noun made singular for 1, or its phrase. */
export function unitFor(s: NumberSetting | IntSetting, value: number): string {
  const unit = s.unit ?? '';
  return value === 1 && /^[a-z ]+s$/.test(unit) ? unit.slice(0, -1) : unit;
}

/**
 * A number row's value with its unit, in words, for `aria-valuetext` (issue 12, item 3): γ =
 * 0.05 reads "0.05 (learning rate)", 100 steps "100 steps", ε = 1e-8 "1 times 10 to the minus 8
 * (…)", never a slider position.
 */
export function spokenValue(s: NumberSetting | IntSetting, value: number): string {
  const unit = unitFor(s, value);
  return unit ? `${spokenNumber(value)} ${unit}` : spokenNumber(value);
}

export function sameValue(a: SettingValue, b: SettingValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a[0] === b[0] && a[1] === b[1];
  return a === b;
}
