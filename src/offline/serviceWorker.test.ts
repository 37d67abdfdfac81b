/**
 * The generated service worker, run in a stand-in worker scope: it answers this origin's GET
 * requests (from its cache, with the isolation and CSP headers) and never handles a request to
 * another origin — the Hub's downloads go to the network untouched and are never cached by it.
 * And the CSP's hosts are exactly the ones the download code accepts (an independent matcher of
 * CSP host sources, CSP3 §6.7.2.7, checked against lib/glue/hub.ts isHubUrl).
 */
import { describe, expect, it } from 'vitest';
import { isHubUrl } from '../lib/glue/hub';
import { CONTENT_SECURITY_POLICY, HUB_SOURCES, serviceWorkerSource } from './serviceWorker';

const ORIGIN = 'https://app.example';

function startWorker() {
  const listeners: Record<string, (e: unknown) => void> = {};
  const fetched: string[] = [];
  const matched: string[] = [];
  const self = {
    location: { origin: ORIGIN },
    addEventListener: (type: string, f: (e: unknown) => void) => (listeners[type] = f),
  };
  const caches = {
    match: async (key: Request | string) => {
      matched.push(typeof key === 'string' ? key : key.url);
      return new Response('cached', { status: 200 });
    },
  };
  const fetch = async (r: Request) => {
    fetched.push(r.url);
    return new Response('net');
  };
  new Function('self', 'caches', 'fetch', serviceWorkerSource(['./index.js'], 'v'))(
    self,
    caches,
    fetch,
  );
  /** Dispatches a fetch event; the response the worker gave, or null when it left it alone. */
  const request = async (url: string, init?: RequestInit) => {
    let answer = null as Promise<Response> | null;
    listeners.fetch({
      request: new Request(url, init),
      respondWith: (p: Promise<Response>) => (answer = p),
    });
    return answer ? await answer : null;
  };
  return { request, fetched, matched };
}

describe('the service worker', () => {
  it('never handles a request to another origin', async () => {
    const sw = startWorker();
    for (const url of [
      'https://huggingface.co/distilbert/distilroberta-base/resolve/main/model.safetensors',
      'https://cas-bridge.xethub.hf.co/xet-bridge-us/abc',
      'https://huggingface.co/api/models/a/b/revision/main',
      'https://app.example.evil.com/index.js',
      'http://app.example/index.js',
    ])
      expect(await sw.request(url), url).toBeNull();
    expect(sw.fetched).toEqual([]);
    expect(sw.matched).toEqual([]);
  });

  it('answers this origin’s GET requests from its cache with the isolation and CSP headers', async () => {
    const sw = startWorker();
    const r = await sw.request(`${ORIGIN}/index.js`);
    expect(await r!.text()).toBe('cached');
    expect(r!.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    expect(r!.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await sw.request(`${ORIGIN}/upload`, { method: 'POST', body: 'x' })).toBeNull();
  });
});

/** Whether `url` matches a CSP host source such as `https://*.hf.co` (scheme, host, default port). */
function matchesSource(source: string, url: string): boolean {
  const m = /^(https?):\/\/(\*\.)?([^/:]+)$/.exec(source)!;
  const u = new URL(url);
  if (u.protocol !== `${m[1]}:` || u.port !== '') return false;
  const host = u.hostname;
  return m[2] ? host.endsWith(`.${m[3]}`) : host === m[3];
}

describe('the CSP', () => {
  it("allows 'self' and the Hub's hosts only, the same hosts the downloads accept", () => {
    expect(CONTENT_SECURITY_POLICY).toBe(`connect-src 'self' ${HUB_SOURCES.join(' ')}`);
    for (const url of [
      'https://huggingface.co/a/b/resolve/main/config.json',
      'https://cdn-lfs.huggingface.co/repos/x',
      'https://cdn-lfs-us-1.hf.co/repos/x',
      'https://cas-bridge.xethub.hf.co/x',
      'https://huggingface.co.evil.example/x',
      'https://evilhuggingface.co/x',
      'https://hf.co/x',
      'http://huggingface.co/x',
      'https://huggingface.co:8443/x',
      'https://example.com/huggingface.co',
    ]) {
      const csp = HUB_SOURCES.some((s) => matchesSource(s, url));
      expect(csp, url).toBe(isHubUrl(url));
    }
  });
});
