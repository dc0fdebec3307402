import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Where the examples write pictures and models: out/ at the repository root (git-ignored). */
export const OUT_DIR = fileURLToPath(new URL('../../out/', import.meta.url));

/** The repository root, for reading data/ and docs/ and for printing short paths. */
export const ROOT_DIR = fileURLToPath(new URL('../../', import.meta.url));

/** A line printer; the examples print through one so that tests can run them silently. */
export type Log = (line?: string) => void;

const silent: Log = () => {};

/** `console.log`, or nothing when quiet. */
export function logger(quiet: boolean | undefined): Log {
  return quiet === true ? silent : (line = '') => console.log(line);
}

/** The path `dir/name`, creating dir when it does not exist yet (a fresh clone has no out/). */
export function outputPath(dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

/** Writes `text` to `dir/name` (creating dir) and returns the path. */
export function writeOutput(dir: string, name: string, text: string): string {
  const path = outputPath(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The path relative to the repository root when it lies inside it (for printing). */
export function shortPath(path: string): string {
  const rel = relative(ROOT_DIR, path);
  return rel.startsWith('..') ? path : rel;
}

/** True when the module at `moduleUrl` is the script Node was started with (`tsx examples/x.ts`). */
export function isMain(moduleUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && pathToFileURL(script).href === moduleUrl;
}
