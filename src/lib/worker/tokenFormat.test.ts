/**
 * The token cache's file format (tokenFormat.ts): a round trip gives the rows back (ids as uint16
 * or int32, labels exact, empty sections), the layout is the documented one (checked byte by byte
 * on a hand-made entry), and a file that is truncated, altered, foreign or made under another key
 * reads as a miss with its reason, never as rows.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  decodeTokens,
  encodeTokens,
  entryName,
  readTokenHeader,
  sha256,
  type TokenKey,
  type TokenRows,
} from './tokenFormat';

const key: TokenKey = {
  encoding: 1,
  task: 'MRPC',
  maxLen: 40,
  maxTrain: 0,
  maxDev: 0,
  tokenizer: 'json:aa',
  train: 'bb',
  dev: 'cc',
};
const source = { model: null, revision: null, tokenizer: 'tokenizer.json', train: 't', dev: 'd' };

const small: TokenRows = {
  train: [
    { ids: [0, 5, 2], label: 1 },
    { ids: [0, 7, 8, 2], label: 0 },
  ],
  dev: [{ ids: [0, 2], label: 1 }],
};

const plain = (rows: TokenRows) => ({
  train: rows.train.map((r) => ({ ids: [...Array.from(r.ids)], label: r.label })),
  dev: rows.dev.map((r) => ({ ids: [...Array.from(r.ids)], label: r.label })),
});

async function decoded(bytes: Uint8Array, k = key) {
  const r = await decodeTokens(bytes, k);
  if (!('rows' in r)) throw new Error(r.problem);
  return r;
}

describe('token cache format', () => {
  it('lays out a small entry as documented, with uint16 ids', async () => {
    const bytes = await encodeTokens(key, source, small, 1234);
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('ADSMTOK1');
    const headerLength = new DataView(bytes.buffer).getUint32(8, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength)));
    // train: labels 2×8 = 16, starts 3×4 = 12 → 16, ids 7×2 = 14 → 16; dev: 8, 2×4 = 8, 2×2 → 8
    expect(header).toMatchObject({ ids: 'u16', body: 72, train: { rows: 2, tokens: 7 } });
    const start = Math.ceil((12 + headerLength) / 8) * 8;
    expect(bytes.length).toBe(start + 72);
    const body = bytes.slice(start);
    expect(createHash('sha256').update(body).digest('hex')).toBe(header.sha256);
    const view = new DataView(body.buffer);
    expect([view.getFloat64(0, true), view.getFloat64(8, true)]).toEqual([1, 0]);
    expect([0, 4, 8].map((o) => view.getUint32(16 + o, true))).toEqual([0, 3, 7]);
    expect([...Array(7).keys()].map((i) => view.getUint16(32 + 2 * i, true))).toEqual([
      0, 5, 2, 0, 7, 8, 2,
    ]);
    expect(view.getFloat64(48, true)).toBe(1);
    expect([view.getUint16(64, true), view.getUint16(66, true)]).toEqual([0, 2]);
  });

  it('round-trips rows: int32 ids past 65535, regression labels, an empty dev section', async () => {
    const rows: TokenRows = {
      train: [
        { ids: [0, 70000, 2], label: 3.8 },
        { ids: [0, 65535, 1, 2], label: 0.1 + 0.2 },
        { ids: [0, 2], label: -1 },
      ],
      dev: [],
    };
    const r = await decoded(await encodeTokens(key, source, rows));
    expect(r.header.ids).toBe('i32');
    expect(plain(r.rows)).toEqual(rows);
    expect(plain((await decoded(await encodeTokens(key, source, small))).rows)).toEqual(small);
  });

  it('refuses ids it cannot store', async () => {
    await expect(
      encodeTokens(key, source, { train: [{ ids: [-1], label: 0 }], dev: [] }),
    ).rejects.toThrow(/token id -1/);
  });

  it('a file made under another key is a miss', async () => {
    const bytes = await encodeTokens(key, source, small);
    for (const other of [
      { ...key, maxLen: 64 },
      { ...key, train: 'other' },
      { ...key, dev: null },
      { ...key, encoding: 2 },
    ])
      expect(await decodeTokens(bytes, other)).toEqual({
        problem: 'it was made for other files or settings',
      });
  });

  it('a truncated, altered or foreign file is a miss, with its reason', async () => {
    const bytes = await encodeTokens(key, source, small);
    const problem = async (b: Uint8Array) => {
      const r = await decodeTokens(b, key);
      return 'problem' in r ? r.problem : 'read as rows';
    };
    expect(await problem(bytes.subarray(0, bytes.length - 1))).toMatch(/^it holds \d+ bytes/);
    expect(await problem(bytes.subarray(0, 30))).toBe('its header is cut short');
    expect(await problem(bytes.subarray(0, 5))).toBe('shorter than its prefix');
    expect(await problem(new TextEncoder().encode('{"not": "tokens"}       '))).toBe(
      'not a token cache file',
    );
    const longer = new Uint8Array(bytes.length + 8);
    longer.set(bytes);
    expect(await problem(longer)).toMatch(/^it holds \d+ bytes/);
    // one id changed in the body: the checksum catches it
    const flipped = bytes.slice();
    flipped[flipped.length - 10] ^= 1;
    expect(await problem(flipped)).toBe('its contents do not match their checksum');
    // a broken header: not JSON, another version, sizes that do not add up
    const headerLength = new DataView(bytes.buffer).getUint32(8, true);
    const withHeader = (edit: (h: Record<string, unknown>) => void) => {
      const h = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength)));
      edit(h);
      const text = new TextEncoder().encode(JSON.stringify(h).padEnd(headerLength, ' '));
      const out = bytes.slice();
      out.set(text.subarray(0, headerLength), 12);
      return out;
    };
    const garbled = bytes.slice();
    garbled[12] = 0x41;
    expect(await problem(garbled)).toBe('its header is not JSON');
    expect(await problem(withHeader((h) => (h.version = 9)))).toBe('format version 9, not 1');
    expect(await problem(withHeader((h) => (h.body = 80)))).toBe('its header does not add up');
    expect(await problem(withHeader((h) => (h.ids = 'u8')))).toBe('its header lacks a field');
    // a row table that points past its ids, with a checksum that matches the altered body
    const start = bytes.length - 72;
    const body = bytes.slice(start);
    new DataView(body.buffer).setUint32(20, 9, true);
    const forged = withHeader((h) => (h.sha256 = createHash('sha256').update(body).digest('hex')));
    forged.set(body, start);
    expect(await problem(forged)).toBe('its row table is inconsistent');
  });

  it('reads the header alone from the first bytes', async () => {
    const bytes = await encodeTokens(key, source, small, 99);
    const r = readTokenHeader(bytes.subarray(0, bytes.length - 72));
    expect('header' in r && r.header).toMatchObject({ key, source, created: 99 });
  });

  it('names an entry by the hash of its key, whatever the order of its fields', async () => {
    const reordered = Object.fromEntries(Object.entries(key).reverse()) as unknown as TokenKey;
    expect(await entryName(reordered)).toBe(await entryName(key));
    expect(await entryName({ ...key, task: 'RTE' })).not.toBe(await entryName(key));
    expect(await entryName(key)).toMatch(/^[0-9a-f]{32}\.tokens$/);
    // the SHA-256 check value of "abc" (FIPS 180-2)
    expect(await sha256('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
