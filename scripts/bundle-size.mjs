// Prints the size of each bundle entry as a page downloads it: the entry file plus every chunk it
// imports statically, raw and gzipped (node:zlib, level 9), and how much of that is the embedded
// Wasm (every base64 literal of a Wasm module found in those files) and how much is the rest.
// Run after `npm run build`:
//   npm run size             (a Markdown table)
//   npm run size -- --write  (the same table written between the bundle-sizes markers of README.md
//                             and docs/BROWSER.md, so the docs never carry a hand-copied number)
//   npm run size -- --json   (the same numbers as JSON, for tests)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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
const gzipSize = (data) => gzipSync(data, { level: 9 }).length;
/** A quoted base64 literal starting with the Wasm magic bytes `\0asm` ('AGFzbQ'). */
const WASM_LITERAL = /'(AGFzbQ[A-Za-z0-9+/=]+)'/g;
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
      gzipBytes: sum(contents.map(({ bytes }) => gzipSize(bytes))),
      wasm: measureWasm(contents.map(({ bytes }) => bytes.toString('utf8'))),
    };
  });
}

/** The embedded Wasm modules: their decoded bytes, and their base64 literals gzipped on their own. */
function measureWasm(sources) {
  const literals = sources.flatMap((source) => [...source.matchAll(WASM_LITERAL)].map((match) => match[1]));
  return {
    modules: literals.length,
    bytes: sum(literals.map((literal) => Buffer.from(literal, 'base64').length)),
    base64GzipBytes: sum(literals.map(gzipSize)),
  };
}

function markdown(sizes) {
  const [full] = sizes;
  const lines = [
    '| entry | files loaded | raw (unminified) | gzip -9 | of which Wasm (gzip) | the rest (gzip) | vs `wasm-rnn` |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const size of sizes) {
    const rest = size.gzipBytes - size.wasm.base64GzipBytes;
    const ratio = `${Math.round((100 * size.gzipBytes) / full.gzipBytes)} %`;
    lines.push(`| \`${size.name}\` | ${size.files.length} | ${kib(size.bytes)} | ${kib(size.gzipBytes)} | ${kib(size.wasm.base64GzipBytes)} | ${kib(rest)} | ${ratio} |`);
  }
  const embedded = sizes.map(({ name, wasm }) => `\`${name}\` embeds ${wasm.modules} kernel module(s), ${kib(wasm.bytes)} of Wasm`).join('; ');
  lines.push('', `The Wasm column: the embedded modules as base64, gzipped on their own (an estimate: in the bundle they share a gzip stream with the code). ${embedded}.`);
  return lines.join('\n');
}

const START_MARKER = '<!-- bundle-sizes:start (npm run size -- --write) -->';
const END_MARKER = '<!-- bundle-sizes:end -->';

/** Replaces the text between the markers in `file`; a file without them is an error. */
function writeBetweenMarkers(file, text) {
  const path = join(root, file);
  const source = readFileSync(path, 'utf8');
  const start = source.indexOf(START_MARKER);
  const end = source.indexOf(END_MARKER);
  if (start < 0 || end < start) throw new Error(`bundle-size: ${file} has no ${START_MARKER} … ${END_MARKER} block`);
  writeFileSync(path, `${source.slice(0, start + START_MARKER.length)}\n${text}\n${source.slice(end)}`);
}

const sizes = measure();
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ entries: sizes }, null, 2));
} else {
  const table = markdown(sizes);
  console.log(table);
  if (process.argv.includes('--write')) for (const file of ['README.md', 'docs/BROWSER.md']) writeBetweenMarkers(file, table);
}
