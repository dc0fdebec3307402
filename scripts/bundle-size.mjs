// Prints the size of each bundle entry as a page downloads it: the entry file plus every chunk it
// imports statically, raw and gzipped (node:zlib, level 9), and the embedded Wasm module's share.
// Run after `npm run build`:
//   npm run size            (a Markdown table, ready for the README)
//   npm run size -- --json  (the same numbers as JSON, for tests)
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const ENTRIES = [
  { name: 'wasm-rnn', file: 'index.js' },
  { name: 'wasm-rnn/inference', file: 'inference.js' },
];

/** Relative specifiers of the static imports and re-exports at the top of a Rollup ESM file. */
function staticImports(source) {
  const pattern = /^(?:import|export)\s[^;]*?from\s*'(\.{1,2}\/[^']+)';|^import\s*'(\.{1,2}\/[^']+)';/gm;
  return [...source.matchAll(pattern)].map((match) => match[1] ?? match[2]);
}

/** The entry and every file it reaches through static imports, in load order. */
function closure(entry) {
  const seen = new Set();
  const visit = (path) => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const specifier of staticImports(readFileSync(path, 'utf8'))) visit(resolve(dirname(path), specifier));
  };
  visit(join(dist, entry));
  return [...seen];
}

const sum = (values) => values.reduce((total, value) => total + value, 0);
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

function measure() {
  return ENTRIES.map(({ name, file }) => {
    if (!existsSync(join(dist, file))) throw new Error(`bundle-size: dist/${file} is missing; run \`npm run build\` first`);
    const contents = closure(file).map((path) => ({ path, bytes: readFileSync(path) }));
    return {
      name,
      files: contents.map(({ path }) => relative(dist, path)),
      bytes: sum(contents.map(({ bytes }) => bytes.length)),
      // Each file is compressed on its own, as a server sends it.
      gzipBytes: sum(contents.map(({ bytes }) => gzipSync(bytes, { level: 9 }).length)),
    };
  });
}

/** The kernel module's share: both entries carry it as base64. */
function measureWasm() {
  const bytes = readFileSync(join(root, 'build', 'release.wasm'));
  return { bytes: bytes.length, base64GzipBytes: gzipSync(bytes.toString('base64'), { level: 9 }).length };
}

const sizes = measure();
const wasm = measureWasm();
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ entries: sizes, wasm }, null, 2));
} else {
  console.log('| entry | files loaded | raw (unminified) | gzip -9 |');
  console.log('| --- | --- | ---: | ---: |');
  for (const size of sizes) console.log(`| \`${size.name}\` | ${size.files.length} | ${kib(size.bytes)} | ${kib(size.gzipBytes)} |`);
  console.log(`\nBoth include the kernel module (build/release.wasm, ${kib(wasm.bytes)}) as base64: about ${kib(wasm.base64GzipBytes)} of each gzipped size.`);
}
