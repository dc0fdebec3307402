// loadKerasModel in the built bundle: its zip and HDF5 readers (fflate, jsfive) sit in chunks that
// only a dynamic import() reaches, so importing wasm-rnn loads neither; in headless Chromium a
// page fetches a .keras archive and a legacy .h5 file, loads them from their bytes and predicts
// what Keras predicted. Needs `npm run build` first (`npm test` does it).
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectClose } from '../helpers/close.js';
import { launchChromium, recordErrors } from './chromium.js';
import { ROOT, startStaticServer, type StaticServer } from './static-server.js';

/** Text only each reader's code contains: fflate's error table, jsfive's missing-object error. */
const MARKERS = { fflate: 'invalid zip data', jsfive: ' not found in group' };

interface Graph {
  /** dist-relative paths reached from index.js through static imports and re-exports. */
  staticFiles: Set<string>;
  /** Every chunk file of dist/ reachable at all, by dist-relative path, with its code. */
  code: Map<string, string>;
}

/** Follows `import … from './x.js'` / `export … from` (static) and `import('./x.js')` (dynamic). */
function moduleGraph(entry: string): Graph {
  const code = new Map<string, string>();
  const staticFiles = new Set<string>();
  const visit = (file: string, isStatic: boolean) => {
    if (isStatic) {
      if (staticFiles.has(file)) return;
      staticFiles.add(file);
    } else if (code.has(file)) {
      return;
    }
    const text = code.get(file) ?? readFileSync(join(ROOT, 'dist', file), 'utf8');
    code.set(file, text);
    const resolve = (specifier: string) => normalize(join(dirname(file), specifier));
    for (const m of text.matchAll(/(?:^|[;\n}])\s*(?:import|export)\s*(?:[\w*{}\s,$]+from\s*)?['"](\.{1,2}\/[^'"]+)['"]/g)) visit(resolve(m[1]!), isStatic);
    for (const m of text.matchAll(/import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g)) visit(resolve(m[1]!), false);
  };
  visit(entry, true);
  return { staticFiles, code };
}

function filesWith(graph: Graph, marker: string): string[] {
  return [...graph.code].filter(([, text]) => text.includes(marker)).map(([file]) => file);
}

describe('the built bundle', () => {
  it('exports loadKerasModel and reaches fflate and jsfive only through import()', () => {
    const graph = moduleGraph('index.js');
    expect(readFileSync(join(ROOT, 'dist/index.js'), 'utf8')).toMatch(/\bloadKerasModel\b/);
    for (const [name, marker] of Object.entries(MARKERS)) {
      const holders = filesWith(graph, marker);
      expect(holders.length, `${name} is bundled in some chunk`).toBeGreaterThan(0);
      expect(holders.filter((file) => graph.staticFiles.has(file)), `${name} statically imported`).toEqual([]);
    }
  });
});

const fixture = (file: string) => readFileSync(join(ROOT, 'test/fixtures/keras', file));

describe('in headless Chromium', () => {
  let server: StaticServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startStaticServer(), launchChromium()]);
    for (const file of ['bidirectional.keras', 'bidirectional.h5', 'embedding_mask.keras']) server.put(`/keras/${file}`, fixture(file));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('imports wasm-rnn without loading the readers, then loads .keras and .h5 bytes and predicts what Keras did', async () => {
    const page = await browser.newPage();
    const errors = recordErrors(page);
    const requested: string[] = [];
    page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    await page.goto(`${server.origin}/`);
    await page.evaluate("import('/dist/index.js').then(() => undefined)");
    const graph = moduleGraph('index.js');
    const readerChunks = Object.values(MARKERS).flatMap((marker) => filesWith(graph, marker)).map((file) => `/dist/${file}`);
    expect(requested.filter((path) => readerChunks.includes(path))).toEqual([]);

    const cases = ['bidirectional.keras', 'bidirectional.h5', 'embedding_mask.keras'];
    const outputs = (await page.evaluate(`(async () => {
      const lib = await import('/dist/index.js');
      const out = {};
      for (const [file, input] of ${JSON.stringify(cases.map((file) => [file, JSON.parse(fixture(file.replace(/\.\w+$/, '.json')).toString()).input]))}) {
        const bytes = await (await fetch('/keras/' + file)).arrayBuffer();
        const model = await lib.loadKerasModel(bytes);
        out[file] = Array.from(model.predict(new lib.Tensor(Float32Array.from(input.data), input.shape)).data);
        model.dispose();
      }
      return out;
    })()`)) as Record<string, number[]>;
    for (const file of cases) {
      const expected = JSON.parse(fixture(file.replace(/\.\w+$/, '.json')).toString()).output.data as number[];
      expectClose(outputs[file]!, expected, { abs: 1e-6, rel: 0 }, `${file} in Chromium`);
    }
    expect(readerChunks.every((chunk) => requested.includes(chunk))).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a file path is refused in a browser with a hint to pass the bytes', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.origin}/`);
    const message = await page.evaluate("import('/dist/index.js').then((lib) => lib.loadKerasModel('model.keras').then(() => 'resolved', (error) => error.message))");
    expect(message).toMatch(/file paths work in Node only; in a browser pass the bytes/);
    await page.close();
  });
});
