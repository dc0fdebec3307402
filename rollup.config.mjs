// ESM bundles for Node and browsers: `index` (the whole library) and `inference` (the small
// forward-only entry, `wasm-rnn/inference`), built apart: the inference bundle runs the
// forward-only kernel module (forwardKernelModule below), so it shares no chunk with `index`.
// The Wasm bytes are inlined (src/kernels/wasm/binary.generated.ts, forward-binary.generated.ts)
// and @assemblyscript/loader is bundled into `index`, so the output imports nothing but its own
// chunks. Types come from `tsc -p tsconfig.build.json`.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import commonjs from '@rollup/plugin-commonjs';
import resolve from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';

const isNodeBuiltin = (id) => id.startsWith('node:');

/**
 * TypeScript as the bundles use it: JavaScript only (tsconfig.build.json writes the .d.ts files,
 * TSDoc included), without comments: they are a fifth of the gzipped code, and the source maps
 * carry the commented sources for debugging.
 */
const BUNDLE_TYPESCRIPT = {
  tsconfig: './tsconfig.build.json',
  compilerOptions: { declaration: false, emitDeclarationOnly: false, noEmit: false, outDir: 'dist', removeComments: true },
};

/**
 * Node built-ins are reached only through a lazy `import()` (readCsvFile's `node:fs/promises`).
 * Rollup keeps that import lazy; this hides its specifier from bundlers as well: esbuild and
 * webpack fail a browser build on a literal `import('node:…')` they cannot resolve, while a
 * non-literal argument (with webpack's and Vite's ignore comments) is left for the runtime.
 */
function lazyNodeBuiltins() {
  return {
    name: 'lazy-node-builtins',
    resolveDynamicImport(specifier) {
      return typeof specifier === 'string' && isNodeBuiltin(specifier) ? { id: specifier, external: true } : null;
    },
    renderDynamicImport({ targetModuleId }) {
      if (targetModuleId === null || !isNodeBuiltin(targetModuleId)) return null;
      return { left: 'import(/* webpackIgnore: true */ /* @vite-ignore */ String(', right: '))' };
    },
  };
}

/** Empties dist/ first: chunk names carry content hashes, so old chunks would otherwise pile up. */
function cleanDist() {
  return { name: 'clean-dist', buildStart: () => rmSync('dist', { recursive: true, force: true }) };
}

/**
 * The CLI's modules import the library only through its public entry, '../index.js'; in the CLI
 * bundle that import stays a relative import of dist/index.js, so the command runs the very
 * library a user imports (one copy of every class, so `instanceof` holds) and the library's
 * chunks are not reshaped by a third entry.
 */
function publicApiExternal() {
  return {
    name: 'public-api-external',
    resolveId(source, importer) {
      const fromCli = importer !== undefined && /[\\/]src[\\/]cli[\\/]/.test(importer);
      return fromCli && source === '../index.js' ? { id: './index.js', external: 'relative' } : null;
    },
  };
}

const FULL_KERNEL_MODULE = fileURLToPath(new URL('src/kernels/wasm/instantiate.ts', import.meta.url));
const FORWARD_KERNEL_MODULE = fileURLToPath(new URL('src/kernels/wasm/instantiate-forward.ts', import.meta.url));

/**
 * The inference bundle embeds the forward-only kernel module (assembly/inference.ts, about half
 * the bytes of the full one): every import of wasm/instantiate.ts resolves to
 * wasm/instantiate-forward.ts, which exports the same names with the same types.
 */
function forwardKernelModule() {
  return {
    name: 'forward-kernel-module',
    async resolveId(source, importer, options) {
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved?.id === FULL_KERNEL_MODULE ? FORWARD_KERNEL_MODULE : null;
    },
  };
}

/** Fresh plugin instances per build, after `first`. */
function libraryPlugins(first) {
  return [
    first,
    lazyNodeBuiltins(),
    resolve({ browser: false }),
    // protobufjs (the ONNX exporter's encoder, reached only through a lazy import()) is CommonJS.
    commonjs(),
    typescript(BUNDLE_TYPESCRIPT),
  ];
}

// `project-worker` is the worker-thread script of runProject (src/project/worker-pool.ts loads it
// from beside dist/index.js).
const library = {
  input: { index: 'src/index.ts', 'project-worker': 'src/project/project-worker.ts' },
  // hoistTransitiveImports off: no bare `import './chunks/…'` lines for chunks an entry only reaches
  // through other chunks; with "sideEffects": false a bundler warns that it ignores such imports.
  output: { dir: 'dist', format: 'es', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', hoistTransitiveImports: false },
  external: isNodeBuiltin,
  plugins: libraryPlugins(cleanDist()),
  // Our modules have no side effects; CommonJS dependencies keep theirs (protobufjs configures
  // itself in module bodies whose exports nobody reads).
  treeshake: { moduleSideEffects: (id) => id.includes('node_modules') },
};

/** `wasm-rnn/inference`: the same modules over the forward-only kernel module, into the same dist/. */
const inference = {
  ...library,
  input: { inference: 'src/inference.ts' },
  plugins: libraryPlugins(forwardKernelModule()),
};

/** The `wasm-rnn` command (package.json "bin"): Node only, built after the library it imports. */
const cli = {
  input: { cli: 'src/cli/main.ts' },
  output: { dir: 'dist', format: 'es', sourcemap: true, entryFileNames: '[name].js' },
  external: isNodeBuiltin,
  plugins: [
    publicApiExternal(),
    typescript(BUNDLE_TYPESCRIPT),
  ],
  treeshake: { moduleSideEffects: false },
};

export default [library, inference, cli];
