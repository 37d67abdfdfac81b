/**
 * The file format of the GLUE page's persistent token cache (issue 9, item 2: tokenization cached
 * per model and task, across reloads). One file holds a race's encoded training and dev rows:
 *
 *     "ADSMTOK1" | u32 LE header length H | H bytes of UTF-8 JSON (TokenHeader) | 0-pad to 8 | body
 *
 * and the body, per section (train, then dev), each part starting on an 8-byte boundary:
 * labels as float64 [rows] (exact for STS-B's scores), row starts as uint32 [rows + 1] into the
 * ids, the ids as uint16 (when every id < 65536, as in RoBERTa's 50,265-token vocabulary) or int32
 * [tokens]. The ids are the tokenizer's, unpruned (pruning maps them later, per run). The header
 * carries the key the rows were made under, the body's length and its SHA-256: a file is used only
 * when its key equals the one asked for and every check below holds, so a corrupt, truncated or
 * foreign file is a miss, never trusted.
 */
import type { EncodedExample } from '../tf/roberta/batch';

export const TOKENS_FORMAT = 'adasam-glue-tokens';
/** bump when the layout changes */
export const TOKENS_VERSION = 1;
const MAGIC = 'ADSMTOK1';
const PREFIX = 12;
const MAX_HEADER = 1 << 20;

/** Everything the encoded rows depend on (the files by the SHA-256 of their bytes). */
export interface TokenKey {
  /** bump when tokenization or the row framing changes (encode.ts), so old entries miss */
  encoding: number;
  task: string;
  maxLen: number;
  maxTrain: number;
  maxDev: number;
  /** `json:<sha256>` of tokenizer.json, or `vocab:<sha256>+merges:<sha256>` */
  tokenizer: string;
  train: string;
  dev: string | null;
}

/** What the cache panel says about an entry (never part of the key). */
export interface TokenSource {
  /** the Hub repository and commit the tokenizer came from; null for files from disk */
  model: string | null;
  revision: string | null;
  tokenizer: string;
  train: string;
  dev: string | null;
}

interface Section {
  rows: number;
  tokens: number;
}

export interface TokenHeader {
  format: typeof TOKENS_FORMAT;
  version: number;
  key: TokenKey;
  source: TokenSource;
  train: Section;
  dev: Section;
  ids: 'u16' | 'i32';
  /** body bytes and their SHA-256 (hex) */
  body: number;
  sha256: string;
  /** ms since the epoch */
  created: number;
}

export interface TokenRows {
  train: EncodedExample[];
  dev: EncodedExample[];
}

const align8 = (n: number) => Math.ceil(n / 8) * 8;

const hex = (bytes: ArrayBuffer) =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');

/** SHA-256 of bytes as lowercase hex (Web Crypto: the browser, its workers and Node ≥ 20). */
export async function sha256(bytes: Uint8Array | string): Promise<string> {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  return hex(await crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>));
}

/** A value with object keys sorted, so that equal keys have one JSON text. */
export function canonicalJson(v: unknown): string {
  const sort = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(sort)
      : x && typeof x === 'object'
        ? Object.fromEntries(
            Object.keys(x)
              .sort()
              .map((k) => [k, sort((x as Record<string, unknown>)[k])]),
          )
        : x;
  return JSON.stringify(sort(v));
}

/** The file name of a key's entry: its SHA-256, shortened (128 bits). */
export async function entryName(key: TokenKey): Promise<string> {
  return `${(await sha256(canonicalJson(key))).slice(0, 32)}.tokens`;
}

function sectionBytes(s: Section, idBytes: number): number {
  return align8(s.rows * 8) + align8((s.rows + 1) * 4) + align8(s.tokens * idBytes);
}

const sectionOf = (rows: readonly EncodedExample[]): Section => ({
  rows: rows.length,
  tokens: rows.reduce((a, r) => a + r.ids.length, 0),
});

/** Writes one section into `body` at `at`; returns where the next starts. */
function writeSection(
  body: ArrayBuffer,
  at: number,
  rows: readonly EncodedExample[],
  s: Section,
  u16: boolean,
): number {
  const labels = new Float64Array(body, at, s.rows);
  at += align8(s.rows * 8);
  const starts = new Uint32Array(body, at, s.rows + 1);
  at += align8((s.rows + 1) * 4);
  const ids = u16 ? new Uint16Array(body, at, s.tokens) : new Int32Array(body, at, s.tokens);
  let n = 0;
  rows.forEach((r, i) => {
    labels[i] = r.label;
    starts[i] = n;
    for (let j = 0; j < r.ids.length; j++) ids[n++] = r.ids[j];
  });
  starts[s.rows] = n;
  return at + align8(s.tokens * (u16 ? 2 : 4));
}

/** The bytes of an entry holding `rows` under `key`. */
export async function encodeTokens(
  key: TokenKey,
  source: TokenSource,
  rows: TokenRows,
  created = Date.now(),
): Promise<Uint8Array> {
  let max = 0;
  for (const r of [...rows.train, ...rows.dev])
    for (let j = 0; j < r.ids.length; j++) {
      const id = r.ids[j];
      if (!Number.isInteger(id) || id < 0 || id > 0x7fffffff)
        throw new RangeError(`token id ${id} cannot be stored`);
      if (id > max) max = id;
    }
  const u16 = max < 0x10000;
  const train = sectionOf(rows.train);
  const dev = sectionOf(rows.dev);
  const size = sectionBytes(train, u16 ? 2 : 4) + sectionBytes(dev, u16 ? 2 : 4);
  const body = new ArrayBuffer(size);
  writeSection(body, writeSection(body, 0, rows.train, train, u16), rows.dev, dev, u16);
  const header: TokenHeader = {
    format: TOKENS_FORMAT,
    version: TOKENS_VERSION,
    key,
    source,
    train,
    dev,
    ids: u16 ? 'u16' : 'i32',
    body: size,
    sha256: await sha256(new Uint8Array(body)),
    created,
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const start = align8(PREFIX + json.length);
  const out = new Uint8Array(start + size);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(8, json.length, true);
  out.set(json, PREFIX);
  out.set(new Uint8Array(body), start);
  return out;
}

export type HeaderRead = { header: TokenHeader; bodyStart: number } | { problem: string };

const isCount = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;

/** The header of an entry from its first bytes (at least the prefix and the header). */
export function readTokenHeader(bytes: Uint8Array): HeaderRead {
  if (bytes.length < PREFIX) return { problem: 'shorter than its prefix' };
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC)
    return { problem: 'not a token cache file' };
  const length = new DataView(bytes.buffer, bytes.byteOffset, PREFIX).getUint32(8, true);
  if (length > MAX_HEADER || PREFIX + length > bytes.length)
    return { problem: 'its header is cut short' };
  let header: TokenHeader;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREFIX, PREFIX + length)),
    ) as TokenHeader;
  } catch {
    return { problem: 'its header is not JSON' };
  }
  if (!header || typeof header !== 'object' || header.format !== TOKENS_FORMAT)
    return { problem: 'its header is not a token cache header' };
  if (header.version !== TOKENS_VERSION)
    return { problem: `format version ${String(header.version)}, not ${TOKENS_VERSION}` };
  const sections = [header.train, header.dev];
  if (
    !sections.every((s) => s && isCount(s.rows) && isCount(s.tokens)) ||
    (header.ids !== 'u16' && header.ids !== 'i32') ||
    !isCount(header.body) ||
    typeof header.sha256 !== 'string' ||
    !header.key ||
    !header.source
  )
    return { problem: 'its header lacks a field' };
  const idBytes = header.ids === 'u16' ? 2 : 4;
  if (sectionBytes(header.train, idBytes) + sectionBytes(header.dev, idBytes) !== header.body)
    return { problem: 'its header does not add up' };
  return { header, bodyStart: align8(PREFIX + length) };
}

export type TokensRead = { rows: TokenRows; header: TokenHeader } | { problem: string };

function readSection(
  body: ArrayBuffer,
  at: number,
  s: Section,
  u16: boolean,
): { rows: EncodedExample[]; next: number } | null {
  const labels = new Float64Array(body, at, s.rows);
  at += align8(s.rows * 8);
  const starts = new Uint32Array(body, at, s.rows + 1);
  at += align8((s.rows + 1) * 4);
  const ids = u16 ? new Uint16Array(body, at, s.tokens) : new Int32Array(body, at, s.tokens);
  if (starts[0] !== 0 || starts[s.rows] !== s.tokens) return null;
  const rows: EncodedExample[] = [];
  for (let i = 0; i < s.rows; i++) {
    if (starts[i + 1] < starts[i] || !Number.isFinite(labels[i])) return null;
    rows.push({ ids: ids.subarray(starts[i], starts[i + 1]), label: labels[i] });
  }
  if (!u16 && ids.some((id) => id < 0)) return null;
  return { rows, next: at + align8(s.tokens * (u16 ? 2 : 4)) };
}

/**
 * The rows of an entry, when it is whole, unchanged and made under `key`; otherwise what is
 * wrong with it (the caller tokenizes again).
 */
export async function decodeTokens(bytes: Uint8Array, key: TokenKey): Promise<TokensRead> {
  const read = readTokenHeader(bytes);
  if ('problem' in read) return read;
  const { header, bodyStart } = read;
  if (canonicalJson(header.key) !== canonicalJson(key))
    return { problem: 'it was made for other files or settings' };
  if (bytes.length !== bodyStart + header.body)
    return { problem: `it holds ${bytes.length} bytes, not ${bodyStart + header.body}` };
  // a copy: the typed arrays need an aligned buffer of their own
  const body = bytes.slice(bodyStart).buffer;
  if ((await sha256(new Uint8Array(body))) !== header.sha256)
    return { problem: 'its contents do not match their checksum' };
  const u16 = header.ids === 'u16';
  const train = readSection(body, 0, header.train, u16);
  const dev = train && readSection(body, train.next, header.dev, u16);
  if (!train || !dev) return { problem: 'its row table is inconsistent' };
  return { rows: { train: train.rows, dev: dev.rows }, header };
}
