/**
 * Python literals from validated values only. The exported scripts never contain text taken
 * from a link: numbers are written by JavaScript's own formatting after a finiteness check,
 * enums are checked against their allowed values, arrays are base64 of binary data.
 */

export class ExportError extends Error {
  override name = 'ExportError';
}

/** A finite number as a Python float literal ("0.05", "1e-8", "2.0"). */
export function pyFloat(x: number): string {
  if (typeof x !== 'number' || !Number.isFinite(x))
    throw new ExportError(`not a finite number: ${String(x)}`);
  const s = String(x);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/** A safe integer as a Python int literal. */
export function pyInt(x: number): string {
  if (!Number.isSafeInteger(x)) throw new ExportError(`not an integer: ${String(x)}`);
  return String(x);
}

export const pyBool = (x: boolean): string => {
  if (typeof x !== 'boolean') throw new ExportError(`not a boolean: ${String(x)}`);
  return x ? 'True' : 'False';
};

/** One of `allowed` (the project's own constants, plain [A-Za-z0-9 #_-] text) as a Python string. */
export function pyEnum(value: string, allowed: readonly string[]): string {
  if (!allowed.includes(value) || !/^[A-Za-z0-9 #_-]+$/.test(value))
    throw new ExportError(`not one of ${allowed.join(', ')}`);
  return JSON.stringify(value);
}

/** A Python dict literal from already-formatted entries. */
export const pyDict = (entries: [string, string][]): string =>
  `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(', ')}}`;

/** Base64 text (only [A-Za-z0-9+/=]) as a parenthesised Python string, 96 characters a line. */
export function pyBase64(b64: string): string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw new ExportError('not base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 96) lines.push(`    "${b64.slice(i, i + 96)}"`);
  return `(\n${lines.join('\n')}\n)`;
}

/** zlib-compressed bytes of `data` as base64 (CompressionStream: Node ≥ 18 and every browser). */
export async function deflateBase64(data: ArrayBufferView): Promise<string> {
  // a copy into a plain ArrayBuffer (a Blob takes no SharedArrayBuffer views)
  const bytes = new Uint8Array(data.byteLength);
  bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate'));
  const packed = new Uint8Array(await new Response(stream).arrayBuffer());
  let text = '';
  for (let i = 0; i < packed.length; i += 0x8000)
    text += String.fromCharCode(...packed.subarray(i, i + 0x8000));
  return btoa(text);
}
