// Bundles `import … from 'wasm-rnn'` and `from 'wasm-rnn/inference'` the way an application
// would: esbuild, platform browser, no plugins, the package found through node_modules and its
// exports map. A throw here is what a user's build would report.
import { build, type Message } from 'esbuild';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './static-server.js';

export interface BrowserBundle {
  /** Output files by name: 'full.js' (from 'wasm-rnn') and 'inference.js'. */
  files: Map<string, string>;
  warnings: Message[];
}

export async function bundleWithEsbuild(): Promise<BrowserBundle> {
  const app = await mkdtemp(join(tmpdir(), 'wasm-rnn-esbuild-'));
  try {
    await mkdir(join(app, 'node_modules'));
    await symlink(ROOT, join(app, 'node_modules', 'wasm-rnn'), 'dir');
    await writeFile(join(app, 'full.js'), "export * from 'wasm-rnn';\n");
    await writeFile(join(app, 'inference.js'), "export * from 'wasm-rnn/inference';\n");
    const result = await build({
      absWorkingDir: app,
      entryPoints: ['full.js', 'inference.js'],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      outdir: 'out',
      write: false,
      logLevel: 'silent',
    });
    const files = new Map(result.outputFiles.map((file) => [file.path.slice(file.path.lastIndexOf('/') + 1), file.text]));
    return { files, warnings: result.warnings };
  } finally {
    await rm(app, { recursive: true, force: true });
  }
}
