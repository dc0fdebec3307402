import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import { DATA, QUICK_TRAIN, tempFolder, writeProject } from './helpers.js';

async function wasmRnn(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('wasm-rnn run', () => {
  it('is listed by --help and has its own help', async () => {
    expect((await wasmRnn(['--help'])).out).toMatch(/^ {2}run {8}run a project file/m);
    const help = await wasmRnn(['run', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: wasm-rnn run <project.json>/);
  });

  it('runs a project file: paths relative to it, a summary on stdout, the report in output, exit 0', async () => {
    const folder = tempFolder();
    const file = writeProject(folder, { data: { file: join(DATA, 'sunspots.csv'), window: 6 }, model: { units: 4 }, train: QUICK_TRAIN, workers: 1, output: 'result' }, 'tiny.json');
    const { code, out, err } = await wasmRnn(['run', file, '--quiet']);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/^selection: 1 candidate \(grid\) on 1 worker in/m);
    expect(out).toMatch(/^baseline naive: rmse \d/m);
    for (const name of ['report.json', 'report.md', 'model.json']) expect(existsSync(join(folder, 'result', name))).toBe(true);
  });

  it('without a project file exits with 2', async () => {
    const { code, err } = await wasmRnn(['run']);
    expect(code).toBe(2);
    expect(err).toMatch(/the project file is required/);
  });
});
