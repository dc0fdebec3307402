// The built bundles as files: self-contained, free of top-level Node imports, accepted by a
// bundler without plugins, with types, and an inference entry without the training/data code,
// on the forward-only kernel module.
// Needs `npm run build` first (`npm test` does it).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleWithEsbuild } from './esbuild-bundle.js';
import { ROOT } from './static-server.js';

const DIST = join(ROOT, 'dist');

interface EntrySize {
  name: string;
  files: string[];
  bytes: number;
  gzipBytes: number;
  /** The embedded kernel modules' base64, gzipped on its own. */
  wasm: { modules: number; bytes: number; base64GzipBytes: number };
}

/**
 * The library's bundle files: everything in dist/ but the Node-only scripts, which import Node
 * built-ins by design: the CLI (`cli.js`) and runProject's worker-thread script (`project-worker.js`).
 */
const NODE_ONLY = ['cli.js', 'project-worker.js'];
function distJsFiles(): string[] {
  if (!existsSync(join(DIST, 'index.js'))) throw new Error('dist/index.js is missing: run `npm run build` first');
  return readdirSync(DIST, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js') && !NODE_ONLY.includes(file));
}

/** Specifiers of every static `import … from '…'` / `export … from '…'` / `import '…'`. */
function staticSpecifiers(source: string): string[] {
  const pattern = /^(?:import|export)\s[^;]*?from\s*['"]([^'"]+)['"];|^import\s*['"]([^'"]+)['"];/gm;
  return [...source.matchAll(pattern)].map((match) => (match[1] ?? match[2])!);
}

function measureSizes(): EntrySize[] {
  const output = execFileSync(process.execPath, [join(ROOT, 'scripts/bundle-size.mjs'), '--json'], { encoding: 'utf8' });
  return (JSON.parse(output) as { entries: EntrySize[] }).entries;
}

describe('dist/', () => {
  it('imports nothing but its own chunks: @assemblyscript/loader is bundled, no node:* at top level', () => {
    const foreign = distJsFiles().flatMap((file) =>
      staticSpecifiers(readFileSync(join(DIST, file), 'utf8')).filter((s) => !s.startsWith('./') && !s.startsWith('../')).map((s) => `${file}: ${s}`));
    expect(foreign).toEqual([]);
    const all = distJsFiles().map((file) => readFileSync(join(DIST, file), 'utf8')).join('\n');
    expect(all).toMatch(/function instantiateSync\(/);
  });

  it('reaches Node built-ins (files, paths, cores, worker threads) only through lazy import()s that bundlers do not try to resolve', () => {
    const lazy = distJsFiles().flatMap((file) => readFileSync(join(DIST, file), 'utf8').match(/import\([^)]*String\('node:[^']*'\)\)|import\(\s*['"]node:[^'"]*['"]\s*\)/g) ?? []);
    expect([...new Set(lazy)].sort()).toEqual([
      // Inside the thread workers' source text (a string that only a Node worker evaluates), not an import of the bundle.
      "import('node:worker_threads')",
      "import(/* webpackIgnore: true */ /* @vite-ignore */ String('node:fs/promises'))",
      "import(/* webpackIgnore: true */ /* @vite-ignore */ String('node:os'))",
      "import(/* webpackIgnore: true */ /* @vite-ignore */ String('node:path'))",
      "import(/* webpackIgnore: true */ /* @vite-ignore */ String('node:url'))",
      "import(/* webpackIgnore: true */ /* @vite-ignore */ String('node:worker_threads'))",
    ]);
  });

  it('has type declarations for both entries', () => {
    for (const file of ['index.d.ts', 'inference.d.ts']) expect(existsSync(join(DIST, file)), file).toBe(true);
    const exportsMap = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).exports;
    expect(exportsMap['.']).toEqual({ types: './dist/index.d.ts', import: './dist/index.js' });
    expect(exportsMap['./inference']).toEqual({ types: './dist/inference.d.ts', import: './dist/inference.js' });
  });

  it('bundles with esbuild --bundle --platform=browser, no plugins, without errors or warnings', async () => {
    const { files, warnings } = await bundleWithEsbuild();
    expect(warnings).toEqual([]);
    expect([...files.keys()].sort()).toEqual(['full.js', 'inference.js']);
  });

  it('inference entry: smaller than the full one and free of the data tools', () => {
    const [full, inference] = measureSizes();
    expect(inference!.name).toBe('wasm-rnn/inference');
    expect(inference!.gzipBytes).toBeLessThan(full!.gzipBytes);
    const source = inference!.files.map((file) => readFileSync(join(DIST, file), 'utf8')).join('\n');
    for (const name of ['parseCsv', 'readCsvFile', 'CharTokenizer', 'MinMaxScaler', 'trainTestSplit', 'confusionMatrix']) {
      expect(source, name).not.toContain(name);
    }
  });

  it('inference entry: no training code (fit loop, optimizers, losses, callbacks), its code at most 55 % of the full entry\'s', () => {
    const [full, inference] = measureSizes();
    const source = inference!.files.map((file) => readFileSync(join(DIST, file), 'utf8')).join('\n');
    expect(source).toMatch(/class SequentialCore\b/);
    expect(source).toMatch(/class Seq2SeqCore\b/);
    for (const name of ['runEpochs', 'class Sequential ', 'class Seq2Seq ', 'class EarlyStopping', 'class ProgressBar', 'class CallbackList', 'class TrainingRun', 'class Loss ', 'class Adam', 'class RunningMetrics']) {
      expect(source, name).not.toContain(name);
    }
    const code = (entry: EntrySize) => entry.gzipBytes - entry.wasm.base64GzipBytes;
    expect(code(inference!) / code(full!)).toBeLessThanOrEqual(0.55);
  });

  it('inference entry: the forward-only kernel module (both builds) without @assemblyscript/loader, the whole at most half of the full entry', () => {
    const [full, inference] = measureSizes();
    const source = inference!.files.map((file) => readFileSync(join(DIST, file), 'utf8')).join('\n');
    const wasmLiterals = (text: string) => [...text.matchAll(/'(AGFzbQ[A-Za-z0-9+/=]+)'/g)].map((match) => match[1]).sort();
    const forwardModules = readFileSync(join(ROOT, 'src/kernels/wasm/forward-binary.generated.ts'), 'utf8');
    expect(wasmLiterals(source)).toEqual(wasmLiterals(forwardModules));
    expect(inference!.wasm.modules).toBe(2);
    expect(inference!.wasm.bytes).toBeLessThanOrEqual(0.6 * full!.wasm.bytes);
    expect(source).not.toMatch(/function instantiateSync\(/);
    expect(inference!.gzipBytes).toBeLessThanOrEqual(0.5 * full!.gzipBytes);
  });
});
