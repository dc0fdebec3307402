// The playground (web/, served by scripts/serve-web.mjs as `npm run web` does) clicked through in
// headless Chromium as a person would: train a small text model, watch the loss fall, generate,
// download the model and load it back, forecast the sunspots; and the same training in a worker
// without WebAssembly, on the TS backend. Needs `npm run build` first.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, recordErrors } from './chromium.js';
import { ROOT } from './static-server.js';

const EPOCHS = 6;

/** Starts `node scripts/serve-web.mjs --port 0` and resolves with the URL it prints. */
function startWebServer(): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(process.execPath, [join(ROOT, 'scripts/serve-web.mjs'), '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let printed = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
      const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(printed);
      if (url !== null) resolve({ url: url[0], process: child });
    });
    child.on('exit', (code) => reject(new Error(`serve-web.mjs exited with ${code}: ${printed}`)));
  });
}

/**
 * Makes the playground's Web Worker start without WebAssembly. page.addInitScript does not reach
 * workers (checked: a worker of such a page still sees WebAssembly), so the worker script is
 * served with a first import that deletes it: ES modules evaluate in import order, so this runs
 * before the library (/dist/index.js) is evaluated, as in an engine that never had WebAssembly.
 */
async function serveWorkerWithoutWebAssembly(context: BrowserContext): Promise<void> {
  await context.route('**/no-webassembly.js', (route) => route.fulfill({ contentType: 'text/javascript', body: 'delete globalThis.WebAssembly;\n' }));
  await context.route('**/worker.js', async (route) => {
    const original = await route.fetch();
    await route.fulfill({ response: original, body: `import './no-webassembly.js';\n${await original.text()}` });
  });
}

/** Picks the built-in sample text and starts training a GRU(32), one layer, EPOCHS epochs, as a person would. */
async function trainSampleText(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sample text' }).click();
  await page.locator('#cell').selectOption('gru');
  await page.locator('#units').fill('32');
  await page.locator('#layers').fill('1');
  await page.locator('#epochs').fill(String(EPOCHS));
  await page.locator('#train-text').click();
}

const numberIn = async (page: Page, selector: string) => Number((await page.locator(selector).textContent())!.replace(/,/g, ''));

let server: { url: string; process: ChildProcess };
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  server?.process.kill();
});

describe('the playground page', () => {
  it('trains a text model live, generates, downloads and loads it back, and forecasts sunspots', async () => {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 960, height: 1100 } });
    const page = await context.newPage();
    const errors = recordErrors(page);
    await page.goto(server.url);

    await expect.poll(() => page.locator('#backend').textContent()).toBe('wasm');
    await trainSampleText(page);

    // While the worker trains, the page stays responsive and shows live numbers.
    await page.locator('#epoch-losses li').first().waitFor();
    const timerDelay = await page.evaluate(async () => {
      const start = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 0));
      return performance.now() - start;
    });
    expect(timerDelay).toBeLessThan(100); // the page's thread is free: training runs in the worker
    expect(await numberIn(page, '#tokens-per-second')).toBeGreaterThan(0);
    await page.locator('#status', { hasText: 'trained' }).waitFor({ timeout: 30_000 });

    const epochLosses = (await page.locator('#epoch-losses li').allTextContents()).map(Number);
    expect(epochLosses).toHaveLength(EPOCHS);
    expect(epochLosses.every(Number.isFinite)).toBe(true);
    expect(epochLosses.at(-1)!).toBeLessThan(epochLosses[0]! * 0.8);
    expect(await page.locator('#loss-chart path.line').count()).toBe(1);

    await page.locator('#prefix').fill('the cat ');
    await page.locator('#temperature').fill('0');
    await page.locator('#generate').click();
    await page.locator('#status', { hasText: 'generated' }).waitFor();
    const continuation = (await page.locator('#continuation').textContent())!;
    expect(continuation.startsWith('the cat ')).toBe(true);
    expect(continuation.length).toBeGreaterThan('the cat '.length + 100);

    mkdirSync(join(ROOT, 'test-output'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'test-output/playground.png'), fullPage: true });

    // Download → load back: the loaded model writes the same greedy continuation.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download').click()]);
    const saved = await download.path();
    expect(download.suggestedFilename()).toBe('wasm-rnn-model.json');
    await page.locator('#load').setInputFiles(saved);
    await page.locator('#status', { hasText: 'model loaded' }).waitFor();
    expect(await page.locator('#model-info').textContent()).toMatch(new RegExp(`^loaded text model, [\\d,]+ parameters, ${EPOCHS} epochs trained$`));
    await page.locator('#continuation').evaluate((node) => { node.textContent = ''; });
    await page.locator('#generate').click();
    await page.locator('#status', { hasText: 'generated' }).waitFor();
    expect(await page.locator('#continuation').textContent()).toBe(continuation);

    // The forecast tab: a short training run, then a chart of forecast against actual.
    await page.getByRole('tab', { name: 'Forecast' }).click();
    await page.locator('#epochs').fill('3');
    await page.locator('#train-series').click();
    await page.locator('#status', { hasText: 'forecast done' }).waitFor({ timeout: 30_000 });
    expect(await page.locator('#forecast-chart path.line').count()).toBe(2);
    expect(await page.locator('#forecast-error').textContent()).toMatch(/^RMSE over 40 years: \d+\.\d$/);
    await page.screenshot({ path: join(ROOT, 'test-output/playground-forecast.png'), fullPage: true });

    expect(errors).toEqual([]);
    await context.close();
  });

  it("falls back to the TS backend in a worker without WebAssembly: shows 'js' and the loss still falls", async () => {
    const context = await browser.newContext();
    await serveWorkerWithoutWebAssembly(context);
    const page = await context.newPage();
    const errors = recordErrors(page);
    await page.goto(server.url);

    await expect.poll(() => page.locator('#backend').textContent()).toBe('js');
    // The same run as on Wasm above, with the same bound on the loss.
    await trainSampleText(page);
    await page.locator('#status', { hasText: 'trained' }).waitFor({ timeout: 60_000 });

    const epochLosses = (await page.locator('#epoch-losses li').allTextContents()).map(Number);
    expect(epochLosses).toHaveLength(EPOCHS);
    expect(epochLosses.every(Number.isFinite)).toBe(true);
    expect(epochLosses.at(-1)!).toBeLessThan(epochLosses[0]! * 0.8);
    expect(await page.locator('#backend').textContent()).toBe('js');
    // The page itself still has WebAssembly: only the worker, where the library runs, lacks it.
    expect(await page.evaluate('typeof WebAssembly')).toBe('object');
    expect(errors).toEqual([]);
    await context.close();
  });
});
