import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OptionReader, parseOptions } from './args.js';
import type { CliIO, Command } from './command.js';

const SUITES = {
  gemm: 'bench/gemm.bench.ts',
  layers: 'bench/layers.bench.ts',
} as const;
type Suite = keyof typeof SUITES;

const HELP = `Usage: wasm-rnn bench [--suite <name>]

Runs the tinybench suites of a source checkout (they are TypeScript and run through tsx, a
development dependency, so this needs 'npm ci' in a clone of the repository; an installed
package has no bench/ folder). Each suite prints times, GFLOP/s and Wasm/TS ratios.

  --suite <name>           gemm (matrix products, Wasm vs TS), layers (LSTM/GRU/SimpleRNN
                           forward and forward+backward, Wasm vs TS), or all (default)

Example:
  wasm-rnn bench --suite layers`;

export const bench: Command = {
  name: 'bench',
  summary: 'run the benchmark suites (in a source checkout)',
  help: HELP,
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const values = parseOptions('bench', argv, { suite: { type: 'string' } });
    if (values.help === true) {
      io.out(HELP);
      return 0;
    }
    const options = new OptionReader('bench', values);
    const suite = options.choice('suite', 'all', ['all', ...Object.keys(SUITES)] as ('all' | Suite)[]);
    const root = packageRoot();
    const missing = [
      ...(existsSync(join(root, 'bench')) ? [] : ['the bench/ folder (an installed package does not ship it)']),
      ...(existsSync(join(root, 'node_modules', 'tsx')) ? [] : ["tsx (run 'npm ci' in the checkout)"]),
      ...(existsSync(join(root, 'src/kernels/wasm/binary.generated.ts')) ? [] : ["the embedded Wasm module (run 'npm run build:wasm')"]),
    ];
    if (missing.length > 0) {
      io.err(`wasm-rnn bench: the benchmarks run from a source checkout of wasm-rnn, but ${root} lacks ${missing.join(' and ')}.`);
      return 1;
    }
    for (const name of suite === 'all' ? (Object.keys(SUITES) as Suite[]) : [suite]) {
      io.out(`wasm-rnn bench: ${SUITES[name]}`);
      const code = await runScript(root, SUITES[name]);
      if (code !== 0) return code;
    }
    return 0;
  },
};

/** The nearest folder above this file whose package.json is wasm-rnn's. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'wasm-rnn') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`wasm-rnn bench: cannot find wasm-rnn's package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** `node --import tsx <script>` in the package root, output shown as it comes; resolves to the exit code. */
function runScript(root: string, script: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: root, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
}
