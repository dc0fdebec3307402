// The built bundles in headless Chromium: they load from a plain <script type="module">, pick
// Wasm SIMD, and give the same numbers as Node for the same seeds on both backends (forward, and
// two training steps of the full entry); without WebAssembly or without its SIMD they run on the
// pure-TS backend and say so. Needs `npm run build` first (`npm test` does it).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectClose } from '../helpers/close.js';
import { WITHOUT_WASM_SIMD, WITHOUT_WEBASSEMBLY, launchChromium, recordErrors } from './chromium.js';
import { bundleWithEsbuild } from './esbuild-bundle.js';
import { ROOT, startStaticServer, type StaticServer } from './static-server.js';

type Backend = 'wasm' | 'js';

interface ForwardResult {
  layer: string;
  options: Record<string, unknown>;
  output: number[];
  hN: number[];
  cN?: number[];
}

/** What test/browser/page/train-cases.mjs `trainAll` returns per model. */
interface TrainResult {
  name: string;
  batchLosses: number[];
  epochLoss: number[];
  weights: number[];
}

/** What test/browser/page/harness.mjs `run` returns. */
interface RunResult {
  init: Backend;
  backend: Backend;
  forward: ForwardResult[];
  /** Two fit steps per model; null for the inference entry, which cannot train. */
  train: TrainResult[] | null;
}

/** Same engine family, same code, same inputs: equal numbers (±0 count as equal). */
const EXACT = { abs: 0, rel: 0 };
/**
 * Wasm vs TS after two Adam steps: float32 kernels whose sums run in another order (SIMD lanes,
 * polynomial tanh/sigmoid/exp vs Math's). Measured here: losses within 1e-8 relative, weights
 * within 2e-7 absolute.
 */
const BACKENDS_AGREE = { losses: { abs: 0, rel: 1e-6 }, weights: { abs: 1e-5, rel: 1e-5 } };
/**
 * Node vs the page, same backend: weights (float32) exactly equal; losses to a few float64 ulps,
 * because the TS backend reduces a loss in float64 through Math.log / Math.exp, whose last bit
 * differs between V8 versions (Node 20 vs Chromium: 1 ulp measured here). Wasm losses are exact.
 */
const NODE_VS_PAGE = { losses: { abs: 0, rel: 4 * Number.EPSILON }, weights: EXACT };

const execFileAsync = promisify(execFile);

/**
 * Chromium validates relaxed SIMD and so runs the relaxed build of the kernel module (FMA in the
 * GEMM); Node 20 does so only with this flag. With it, both sides run the same module.
 */
const NODE_FLAGS = ['--experimental-wasm-relaxed-simd'];

/** The harness run in Node on the built entry, imported by package name. */
async function runInNode(entry: string, choice: Backend): Promise<RunResult> {
  const { stdout } = await execFileAsync(process.execPath, [...NODE_FLAGS, join(ROOT, 'test/browser/node-run.mjs'), entry, choice], { cwd: ROOT });
  return JSON.parse(stdout) as RunResult;
}

function runInPage(page: Page, entry: string, choice?: Backend): Promise<RunResult> {
  return page.evaluate(`import('/test/browser/page/harness.mjs').then((h) => h.run(${JSON.stringify(entry)}, ${JSON.stringify(choice)}))`);
}

function expectSameForward(actual: ForwardResult[], expected: ForwardResult[]): void {
  expect(actual.map((r) => r.layer)).toEqual(expected.map((r) => r.layer));
  actual.forEach((result, i) => {
    const reference = expected[i]!;
    const label = `${result.layer} ${JSON.stringify(result.options)}`;
    expectClose(result.output, reference.output, EXACT, `${label} output`);
    expectClose(result.hN, reference.hN, EXACT, `${label} hN`);
    expect(result.cN === undefined).toBe(reference.cN === undefined);
    if (result.cN !== undefined) expectClose(result.cN, reference.cN!, EXACT, `${label} cN`);
  });
}

function expectSameTraining(actual: TrainResult[] | null, expected: TrainResult[] | null, tolerance: typeof BACKENDS_AGREE): void {
  expect(actual).not.toBeNull();
  expect(actual!.map((r) => r.name)).toEqual(expected!.map((r) => r.name));
  actual!.forEach((result, i) => {
    const reference = expected![i]!;
    expect(result.batchLosses).toHaveLength(2);
    expectClose(result.batchLosses, reference.batchLosses, tolerance.losses, `${result.name}: batch losses`);
    expectClose(result.epochLoss, reference.epochLoss, tolerance.losses, `${result.name}: epoch loss`);
    expectClose(result.weights, reference.weights, tolerance.weights, `${result.name}: weights after two steps`);
  });
}

/** The ```html block of docs/BROWSER.md, served as it is written. */
function docsExample(): string {
  const docs = readFileSync(join(ROOT, 'docs/BROWSER.md'), 'utf8');
  const block = /```html\n([\s\S]*?)```/.exec(docs);
  if (block === null) throw new Error('docs/BROWSER.md has no ```html example');
  return block[1]!;
}

let server: StaticServer;
let browser: Browser;
let node: { full: Record<Backend, RunResult>; inference: RunResult };

beforeAll(async () => {
  const [started, launched, wasm, js, inference, bundled] = await Promise.all([
    startStaticServer(), launchChromium(),
    runInNode('wasm-rnn', 'wasm'), runInNode('wasm-rnn', 'js'), runInNode('wasm-rnn/inference', 'wasm'),
    bundleWithEsbuild(),
  ]);
  server = started;
  browser = launched;
  node = { full: { wasm, js }, inference };
  server.put('/example.html', docsExample());
  for (const [name, text] of bundled.files) server.put(`/esbuild/${name}`, text);
});

afterEach(async () => {
  await Promise.all((browser?.contexts() ?? []).map((context) => context.close()));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh page (fresh module state, so a fresh backend choice) on the test server. */
async function openPage(initScript?: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (initScript !== undefined) await page.addInitScript(initScript);
  const errors = recordErrors(page);
  await page.goto(`${server.origin}/`);
  return { page, errors };
}

describe('in headless Chromium', () => {
  it("docs/BROWSER.md's HTML example runs as written, from a plain <script type=\"module\">", async () => {
    const { page, errors } = await openPage();
    await page.goto(`${server.origin}/example.html`);
    const out = page.locator('#out');
    await out.filter({ hasText: 'backend:' }).waitFor();
    expect(await out.textContent()).toMatch(/^backend: wasm\noutput shape: \[3,1,4\]\nhN: (-?\d\.\d{4} ?){4}$/);
    expect(errors).toEqual([]);
  });

  it.each(['wasm', 'js'] as const)('backend %s: forward of LSTM, GRU and SimpleRNN equals Node for the same seeds', async (choice) => {
    const { page, errors } = await openPage();
    const result = await runInPage(page, '/dist/index.js', choice);
    expect([result.init, result.backend]).toEqual([choice, choice]);
    expectSameForward(result.forward, node.full[choice].forward);
    expect(errors).toEqual([]);
  });

  it('training: two fit steps give the Node losses and weights per backend (weights exactly); wasm and js agree to float32 tolerance', async () => {
    const results: Partial<Record<Backend, RunResult>> = {};
    for (const choice of ['wasm', 'js'] as const) {
      const { page, errors } = await openPage();
      const result = await runInPage(page, '/dist/index.js', choice);
      expect(result.backend).toBe(choice);
      expectSameTraining(result.train, node.full[choice].train, choice === 'wasm' ? { losses: EXACT, weights: EXACT } : NODE_VS_PAGE);
      expect(errors).toEqual([]);
      results[choice] = result;
    }
    expectSameTraining(results.wasm!.train, results.js!.train, BACKENDS_AGREE);
    // The first step changed the weights: the second batch is scored by another model.
    for (const result of results.wasm!.train!) expect(result.batchLosses[1]).not.toBe(result.batchLosses[0]);
  });

  it("inference entry: init() picks 'wasm' and forward equals Node", async () => {
    const { page, errors } = await openPage();
    const result = await runInPage(page, '/dist/inference.js');
    expect([result.init, result.backend]).toEqual(['wasm', 'wasm']);
    expectSameForward(result.forward, node.inference.forward);
    expect(result.train).toBeNull();
    expect(errors).toEqual([]);
  });

  it('inference entry: a model saved by the full entry loads as a core that predicts, steps and generates the same', async () => {
    const { page, errors } = await openPage();
    const result = await page.evaluate("import('/test/browser/page/harness.mjs').then((h) => h.inferenceRoundTrip('/dist/index.js', '/dist/inference.js'))") as {
      saved: Record<string, number[]>; loaded: Record<string, number[]>; trainable: boolean; savedCompile: unknown;
    };
    expect(result.loaded).toEqual(result.saved);
    expect(result.saved.generate).toHaveLength(6);
    expect(result.trainable).toBe(false);
    expect(result.savedCompile).toBeNull(); // a core cannot compile: its toJSON writes no compile block
    expect(errors).toEqual([]);
  });

  it('readCsvFile is Node-only: importing the bundle does not load node:fs, calling it rejects', async () => {
    const { page, errors } = await openPage();
    await page.evaluate("import('/dist/index.js').then(() => undefined)");
    // A browser reports its refusal to load node:fs/promises as console errors; none yet.
    expect(errors).toEqual([]);
    const outcome = await page.evaluate(
      "import('/dist/index.js').then((lib) => lib.readCsvFile('data.csv').then(() => 'resolved', (error) => error.constructor.name))");
    expect(outcome).toMatch(/Error$/);
  });

  it('an esbuild browser bundle of the package (no plugins) runs and picks wasm', async () => {
    // Two separate bundles, so each carries its own backend state; one page holds both.
    const { page, errors } = await openPage();
    for (const [file, reference] of [['full.js', node.full.wasm], ['inference.js', node.inference]] as const) {
      const result = await runInPage(page, `/esbuild/${file}`);
      expect([result.init, result.backend], file).toEqual(['wasm', 'wasm']);
      expectSameForward(result.forward, reference.forward);
    }
    expect(errors).toEqual([]);
  });
});

describe.each([
  ['without WebAssembly', WITHOUT_WEBASSEMBLY],
  ['with WebAssembly but without SIMD', WITHOUT_WASM_SIMD],
])('in headless Chromium %s', (_name, initScript) => {
  it.each(['/dist/index.js', '/dist/inference.js'])(
    "%s imports cleanly; init({ backend: 'wasm' }) says why not; init() falls back to 'js'; forward equals Node's js",
    async (entry) => {
      const { page, errors } = await openPage(initScript);
      const refusal = await page.evaluate(`import('/test/browser/page/harness.mjs').then((h) => h.initError(${JSON.stringify(entry)}, 'wasm'))`);
      expect(refusal).toMatch(/no WebAssembly SIMD/);
      const result = await runInPage(page, entry);
      expect([result.init, result.backend]).toEqual(['js', 'js']);
      expectSameForward(result.forward, node.full.js.forward);
      expect(result.train === null).toBe(entry === '/dist/inference.js');
      if (result.train !== null) expectSameTraining(result.train, node.full.js.train, NODE_VS_PAGE);
      expect(errors).toEqual([]);
    },
  );
});
