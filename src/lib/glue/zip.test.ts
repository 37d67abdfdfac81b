/**
 * The stored ZIP writer against independent readers: CRC-32's published check value and Node's
 * zlib.crc32, and Python's zipfile (names, contents, CRCs via testzip) reading the archive.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, zipBlob } from './zip';

const PYTHON = process.env.PYTHON_TORCH || '/usr/bin/python3';

describe('crc32', () => {
  it('gives the check value of "123456789" and agrees with zlib', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(crc32(enc('123456789'))).toBe(0xcbf43926);
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 37 + 11) & 0xff);
    expect(crc32(bytes)).toBe(zlib.crc32(bytes));
    // continued over chunks, as the writer reads large files
    expect(crc32(bytes.subarray(600), crc32(bytes.subarray(0, 600)))).toBe(zlib.crc32(bytes));
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe('zipBlob', () => {
  it('writes an archive Python’s zipfile reads back whole', async () => {
    const big = Uint8Array.from({ length: 20000 }, (_, i) => (i * 7) & 0xff);
    const progress: number[] = [];
    const blob = await zipBlob(
      [
        { name: 'ckpt/config.json', blob: new Blob(['{"a": 1}\n']) },
        { name: 'ckpt/model.safetensors', blob: new Blob([big]) },
        { name: 'ckpt/empty.txt', blob: new Blob([]) },
        { name: 'ckpt/é.txt', blob: new Blob(['ü']) },
      ],
      (done, total) => progress.push(done / total),
    );
    expect(progress.at(-1)).toBe(1);
    const path = join(mkdtempSync(join(tmpdir(), 'zip-test-')), 'c.zip');
    writeFileSync(path, new Uint8Array(await blob.arrayBuffer()));
    const py = spawnSync(
      PYTHON,
      [
        '-c',
        [
          'import sys, zipfile, hashlib, json',
          'z = zipfile.ZipFile(sys.argv[1])',
          'assert z.testzip() is None',
          'print(json.dumps([[i.filename, i.compress_type, i.file_size, hashlib.sha256(z.read(i)).hexdigest()] for i in z.infolist()]))',
        ].join('\n'),
        path,
      ],
      { encoding: 'utf8' },
    );
    expect(py.stderr).toBe('');
    const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
    expect(JSON.parse(py.stdout)).toEqual([
      ['ckpt/config.json', 0, 9, sha('{"a": 1}\n')],
      ['ckpt/model.safetensors', 0, 20000, sha(big)],
      ['ckpt/empty.txt', 0, 0, sha('')],
      ['ckpt/é.txt', 0, 2, sha('ü')],
    ]);
  });
});
