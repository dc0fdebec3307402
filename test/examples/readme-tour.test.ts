import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** tsx's loader by absolute URL: the script runs outside the repository, where 'tsx' would not resolve. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const dir = mkdtempSync(join(tmpdir(), 'wasm-rnn-tour-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The ```ts block of README's "A tour of the API" section. */
function tourCode(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## A tour of the API'));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (code === undefined) throw new Error('README has no ```ts block under "## A tour of the API"');
  return code;
}

describe("README's tour of the API", () => {
  it('runs as written (in a folder with data/), prints the test RMSE and saves the model', async () => {
    const code = tourCode();
    expect(code.split('\n').length).toBeLessThanOrEqual(24);
    symlinkSync(join(ROOT, 'data'), join(dir, 'data'), 'dir');
    const file = join(dir, 'tour.mts'); // .mts: an ES module outside the package
    writeFileSync(file, code.replaceAll("from 'wasm-rnn'", `from '${join(ROOT, 'src/index.ts')}'`));
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', TSX, file], { cwd: dir, timeout: 120_000, env: { ...process.env, CI: '1' } });
    expect(stderr.replace(/.*nodedir.*\n?/g, '')).toBe('');
    const rmse = Number(/test RMSE ([\d.]+)/.exec(stdout)?.[1]);
    console.log(`README tour: ${stdout.trim().split('\n').at(-1)}`);
    expect(rmse).toBeLessThan(0.8 * 33.2); // 33.2: the naive "repeat last year" forecast on these test years
    expect(existsSync(join(dir, 'sunspots.json'))).toBe(true);
  });
});
