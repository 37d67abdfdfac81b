/** JSON helpers shared by the config, tokenizer and safetensors readers. */
import { fail } from './errors';

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses `text`; on failure a GlueInputError "FILE: not JSON (…)". */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    fail(file, `not JSON (${(e as Error).message})`);
  }
}

/** The parsed object of `input` (JSON text or an already parsed value); an error unless an object. */
export function jsonObject(input: unknown, file: string): Record<string, unknown> {
  const json = typeof input === 'string' ? parseJson(input, file) : input;
  if (!isPlainObject(json)) fail(file, 'not a JSON object');
  return json;
}
