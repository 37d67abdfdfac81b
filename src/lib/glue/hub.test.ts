/**
 * Hub downloads without a network: a fake Hub answering Range requests (as huggingface.co's CDN
 * does: 206 with Content-Range), one connection that breaks mid-chunk, a download resumed from a
 * partial temporary file, and the hosts that may never be fetched.
 */
import { describe, expect, it } from 'vitest';
import { downloadRanged, hubFileUrl, isHubUrl, type ChunkSink, type Progress } from './hub';

const FILE = Uint8Array.from({ length: 1000 }, (_, i) => (i * 37) % 251);

/** A fake Hub: serves FILE by Range from `landing` (where a redirect ended). */
function fakeHub(opts: { breakAt?: number[]; ignoreRange?: boolean; landing?: string } = {}) {
  const requests: string[] = [];
  const fetch = async (url: string, init: RequestInit) => {
    const range = (init.headers as Record<string, string>).Range;
    requests.push(range);
    const m = /^bytes=(\d+)-(\d+)$/.exec(range)!;
    const start = Number(m[1]);
    const end = Math.min(Number(m[2]), FILE.length - 1);
    const body = opts.ignoreRange ? FILE : FILE.slice(start, end + 1);
    const broken = opts.breakAt?.includes(requests.length);
    return {
      status: opts.ignoreRange ? 200 : 206,
      url: opts.landing ?? url,
      headers: new Headers(
        opts.ignoreRange ? {} : { 'content-range': `bytes ${start}-${end}/${FILE.length}` },
      ),
      arrayBuffer: async () => {
        if (broken) throw new TypeError('network error: connection reset');
        return body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength);
      },
    } as unknown as Response;
  };
  return { fetch, requests };
}

function memorySink(initial = new Uint8Array(0)) {
  let data = initial;
  let committed = false;
  const sink: ChunkSink = {
    size: async () => data.length,
    write: async (offset, bytes) => {
      expect(offset).toBe(data.length);
      const next = new Uint8Array(data.length + bytes.length);
      next.set(data);
      next.set(bytes, data.length);
      data = next;
    },
    commit: async () => {
      committed = true;
    },
  };
  return { sink, bytes: () => data, committed: () => committed };
}

const URL_ = hubFileUrl('distilbert/distilroberta-base', 'model.safetensors');

describe('Hub downloads', () => {
  it('builds only huggingface.co URLs from a strict id, a model file and a revision', () => {
    expect(URL_).toBe(
      'https://huggingface.co/distilbert/distilroberta-base/resolve/main/model.safetensors',
    );
    expect(() => hubFileUrl('evil.example/x/../y', 'config.json')).toThrow(/owner\/name/);
    expect(() => hubFileUrl('a/b', 'config.json', '../main')).toThrow(/revision/);
    expect(() => hubFileUrl('a/b', '../../x' as 'config.json')).toThrow(/not a model file/);
    expect(isHubUrl('https://cdn-lfs.huggingface.co/repos/x')).toBe(true);
    expect(isHubUrl('https://cas-bridge.xethub.hf.co/x')).toBe(true);
    for (const bad of [
      'http://huggingface.co/x',
      'https://huggingface.co.evil.example/x',
      'https://evilhuggingface.co/x',
      'https://huggingface.co:8443/x',
      'https://user@huggingface.co/x',
      'https://example.com/huggingface.co',
      'not a url',
    ])
      expect(isHubUrl(bad), bad).toBe(false);
  });

  it('downloads by Range chunks with progress, asking a broken chunk again', async () => {
    const hub = fakeHub({ breakAt: [2] });
    const mem = memorySink();
    const seen: Progress[] = [];
    let t = 0;
    const n = await downloadRanged({
      url: URL_,
      sink: mem.sink,
      fetch: hub.fetch,
      chunkBytes: 300,
      onProgress: (p) => seen.push(p),
      now: () => (t += 500),
    });
    expect(n).toBe(1000);
    expect(mem.bytes()).toEqual(FILE);
    expect(mem.committed()).toBe(true);
    // the second request broke and was asked for again
    expect(hub.requests).toEqual([
      'bytes=0-299',
      'bytes=300-599',
      'bytes=300-599',
      'bytes=600-899',
      'bytes=900-999',
    ]);
    expect(seen.map((p) => p.bytes)).toEqual([300, 600, 900, 1000]);
    expect(seen.every((p) => p.total === 1000 && p.mbPerS > 0)).toBe(true);
  });

  it('resumes from a partial temporary file, and stops after repeated breaks', async () => {
    const hub = fakeHub();
    const mem = memorySink(FILE.slice(0, 450));
    await downloadRanged({ url: URL_, sink: mem.sink, fetch: hub.fetch, chunkBytes: 400 });
    expect(hub.requests).toEqual(['bytes=450-849', 'bytes=850-999']);
    expect(mem.bytes()).toEqual(FILE);

    const broken = fakeHub({ breakAt: [1, 2, 3, 4] });
    const partial = memorySink();
    await expect(
      downloadRanged({ url: URL_, sink: partial.sink, fetch: broken.fetch, retries: 3 }),
    ).rejects.toThrow(/broke 4 times at byte 0/);
    expect(partial.committed()).toBe(false);
  });

  it('fetches nothing off the Hub, refuses a redirect off it and a resume without Range', async () => {
    const hub = fakeHub();
    await expect(
      downloadRanged({
        url: 'https://example.com/model.safetensors',
        sink: memorySink().sink,
        fetch: hub.fetch,
      }),
    ).rejects.toThrow(/not a Hugging Face Hub URL/);
    expect(hub.requests).toEqual([]);

    const away = fakeHub({ landing: 'https://evil.example/file' });
    await expect(
      downloadRanged({ url: URL_, sink: memorySink().sink, fetch: away.fetch }),
    ).rejects.toThrow(/redirected off the Hub/);

    const noRange = fakeHub({ ignoreRange: true });
    const resumed = memorySink(FILE.slice(0, 10));
    await expect(
      downloadRanged({ url: URL_, sink: resumed.sink, fetch: noRange.fetch }),
    ).rejects.toThrow(/ignored the Range request/);
    const whole = memorySink();
    await downloadRanged({ url: URL_, sink: whole.sink, fetch: noRange.fetch });
    expect(whole.bytes()).toEqual(FILE);
  });
});
