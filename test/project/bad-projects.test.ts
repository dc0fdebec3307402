// Every class of bad project gets a ProjectError naming the key and what was expected, before any
// training starts (the progress listener never hears of an epoch); `wasm-rnn run` exits with 2.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import { ProjectError, runProject } from '../../src/index.js';
import { DATA, QUICK_TRAIN, tempFolder, writeProject, writeSeries } from './helpers.js';

const sunspots = join(DATA, 'sunspots.csv');
const base = { data: { file: sunspots }, train: QUICK_TRAIN, workers: 1 };

const cases: [string, (folder: string) => unknown, RegExp][] = [
  ['an unknown key, with a did-you-mean', () => ({ ...base, data: { file: sunspots, windw: 8 } }), /data: unknown key 'windw' \(did you mean 'window'\?\)/],
  ['an unknown top-level key', () => ({ ...base, epochs: 3 }), /the project: unknown key 'epochs'/],
  ['a wrong type', () => ({ ...base, train: { ...QUICK_TRAIN, epochs: '8' } }), /train\.epochs must be an integer ≥ 1, got "8"/],
  ['a wrong choice, with a did-you-mean', () => ({ ...base, model: { cell: 'lstn' } }), /model\.cell must be one of 'lstm', 'gru', 'rnn', got "lstn" \(did you mean 'lstm'\?\)/],
  ['no data.file', () => ({ data: {} }), /data\.file must be the path of a CSV file/],
  ['a missing file', () => ({ ...base, data: { file: 'no/such.csv' } }), /data\.file must be a readable CSV file .*no\/such\.csv: there is no such file/],
  ['a missing column, with a did-you-mean', () => ({ ...base, data: { file: sunspots, column: 'sunactivity' } }), /data\.column must be one of 'YEAR', 'SUNACTIVITY', got "sunactivity" \(did you mean 'SUNACTIVITY'\?\); those are the columns of .*sunspots\.csv/],
  ['missing values with missing: "error"', (folder) => ({ ...base, data: { file: writeSeries(folder, [1, 2, 'n/a', ...Array.from({ length: 60 }, (_, i) => i)]) } }), /row 3 \(line 4\) column 'value' is "n\/a".*data\.missing is "error"/],
  ['a window longer than the training split', () => ({ ...base, data: { file: sunspots, window: 300 } }), /data\.window must leave at least 2 training samples, but window 300 \+ horizon 1 = 301 steps and the training split holds 216 of the 309 values/],
  ['a grid window longer than the training split', () => ({ ...base, select: { window: [8, 250] } }), /select\.window must leave at least 2 training samples, but window 250/],
  ['an empty grid', () => ({ ...base, select: { units: [] } }), /select\.units must be a non-empty array of integers ≥ 1, got \[\]/],
  ['a split that does not add up to 1', () => ({ ...base, data: { file: sunspots, split: { train: 0.8, validation: 0.15, test: 0.15 } } }), /data\.split must be fractions adding up to 1/],
  ['a key of another task', () => ({ ...base, task: 'classify', data: { file: sunspots, difference: true } }), /data\.difference must be left out: it applies to task "forecast"/],
  ['a select key incremental does not grow', () => ({ ...base, select: { strategy: 'incremental', window: [8, 12] } }), /select\.window must be left out: the incremental strategy grows select\.units only/],
];

describe('bad project files', () => {
  it.each(cases)('%s: ProjectError before training', async (_name, project, message) => {
    const folder = tempFolder();
    let epochs = 0;
    const run = runProject(project(folder), { baseDir: folder, onProgress: (p) => void (p.phase === 'training' && epochs++) });
    await expect(run).rejects.toThrow(ProjectError);
    await expect(run).rejects.toThrow(message);
    expect(epochs).toBe(0);
  });

  it.each(cases)('%s: wasm-rnn run exits with 2 and says why on stderr', async (_name, project, message) => {
    const folder = tempFolder();
    const file = writeProject(folder, project(folder));
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['run', file, '--quiet'], { out: (line) => out.push(line), err: (line) => err.push(line) });
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err.join('\n')).toMatch(message);
    expect(err.join('\n')).toContain(file);
  });

  it('a project file that is not JSON exits with 2', async () => {
    const folder = tempFolder();
    const file = join(folder, 'broken.json');
    (await import('node:fs')).writeFileSync(file, '{ "data": { "file": "x.csv", } }');
    const err: string[] = [];
    const code = await runCli(['run', file], { out: () => {}, err: (line) => err.push(line) });
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(/broken\.json is not valid JSON/);
  });
});
