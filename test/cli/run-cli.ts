import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The package's bin, as `npm run build` makes it. */
export const BIN = join(ROOT, 'dist/cli.js');

/** Throws unless dist/cli.js exists and is newer than every source file of the CLI. */
export function checkBuilt(): void {
  if (!existsSync(BIN)) throw new Error('dist/cli.js is missing: run `npm run build` first');
  const built = statSync(BIN).mtimeMs;
  const stale = readdirSync(join(ROOT, 'src/cli')).filter((file) => statSync(join(ROOT, 'src/cli', file)).mtimeMs > built);
  if (stale.length > 0) throw new Error(`dist/cli.js is older than src/cli/${stale[0]}: run \`npm run build\` first`);
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `wasm-rnn ...args` in a child process (CI unset, so nothing depends on the environment). */
export function wasmRnn(args: readonly string[], cwd = ROOT): CliRun {
  const env = { ...process.env };
  delete env.CI;
  delete env.WASM_RNN_BACKEND;
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, env, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
