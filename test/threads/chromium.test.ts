import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium } from '../browser/chromium.js';

/*
 * Threads in a real browser: Web Workers from a Blob URL, a shared WebAssembly.Memory, and the
 * main thread's bounded spin (it may not block in Atomics.wait). Pages are served with or without
 * the cross-origin isolation headers that make SharedArrayBuffer available.
 */

const ISOLATION = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

/** A fit whose products (LSTM 256 units, B = 64) are above the threshold, so they are cut across threads. */
const PAGE_SCRIPT = (threads: number, strict: boolean) => `
import { init, threads, sequential, layers } from './bundle.js';
const warnings = [];
const warn = console.warn;
console.warn = (message) => { warnings.push(String(message)); warn(message); };
try {
  await init({ threads: ${threads}, strict: ${strict} });
  const model = sequential([layers.lstm({ units: 256, inputShape: [8, 32] }), layers.dense({ units: 2, activation: 'softmax' })], { seed: 3 });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  const x = Array.from({ length: 64 }, (_, i) => Array.from({ length: 8 }, (_, t) => Array.from({ length: 32 }, (_, f) => Math.sin(i + t * 0.3 + f))));
  const y = Array.from({ length: 64 }, (_, i) => i % 2);
  const history = await model.fit(x, y, { epochs: 2, batchSize: 64, shuffle: false });
  window.result = { threads: threads(), losses: history.history.loss, warnings, isolated: globalThis.crossOriginIsolated };
} catch (error) {
  window.result = { error: error.name + ': ' + error.message, warnings };
}
`;

let browser: Browser;
let server: Server;
let origin: string;
let bundle: string;

beforeAll(async () => {
  const built = await build({
    entryPoints: [new URL('../../src/index.ts', import.meta.url).pathname],
    bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent', external: ['node:*'],
  });
  bundle = built.outputFiles[0]!.text;
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const headers = url.searchParams.has('isolated') ? ISOLATION : {};
    const [type, body] = url.pathname === '/bundle.js' ? ['text/javascript', bundle]
      : url.pathname === '/page.js' ? ['text/javascript', PAGE_SCRIPT(Number(url.searchParams.get('threads')), url.searchParams.has('strict'))]
      : ['text/html', `<!doctype html><meta charset="utf-8"><script type="module" src="/page.js${url.search}"></script>`];
    response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store', ...headers });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

interface PageResult {
  threads?: number;
  losses?: number[];
  warnings: string[];
  isolated?: boolean;
  error?: string;
}

async function runPage(query: string): Promise<PageResult> {
  const page = await browser.newPage();
  try {
    await page.goto(`${origin}/?${query}`);
    await page.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined, undefined, { timeout: 90_000 });
    return (await page.evaluate(() => (window as unknown as { result: unknown }).result)) as PageResult;
  } finally {
    await page.close();
  }
}

describe.runIf(existsSync(CHROMIUM))('threads in Chromium', () => {
  it('runs on 2 threads in a cross-origin isolated page, with losses bitwise equal to one thread', async () => {
    const one = await runPage('isolated&threads=1');
    const two = await runPage('isolated&threads=2');
    expect(two.error).toBeUndefined();
    expect(two.isolated).toBe(true);
    expect(two.threads).toBe(2);
    expect(two.warnings).toEqual([]);
    expect(two.losses).toEqual(one.losses);
  }, 120_000);

  it('falls back to one thread with a warning, without hanging, where the page is not isolated', async () => {
    const result = await runPage('threads=2');
    expect(result.error).toBeUndefined();
    expect(result.isolated).toBe(false);
    expect(result.threads).toBe(1);
    expect(result.warnings.join('\n')).toMatch(/threads: 2 is unavailable here: SharedArrayBuffer is not available.*Cross-Origin-Opener-Policy/);
    const strict = await runPage('threads=2&strict');
    expect(strict.error).toMatch(/^StateError: init: threads: 2 is unavailable here/);
  }, 120_000);
});
