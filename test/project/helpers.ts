import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Random } from '../../src/random.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DATA = join(ROOT, 'data');

/** A fresh folder for one test's project, data and output. */
export function tempFolder(): string {
  return mkdtempSync(join(tmpdir(), 'wasm-rnn-project-'));
}

/** Writes `project` as JSON into `folder` and returns its path. */
export function writeProject(folder: string, project: unknown, name = 'project.json'): string {
  const path = join(folder, name);
  writeFileSync(path, JSON.stringify(project, null, 2));
  return path;
}

/** A CSV with one column 'value': the given numbers, or the given texts as cells. */
export function writeSeries(folder: string, values: readonly (number | string)[], name = 'series.csv'): string {
  writeFileSync(join(folder, name), ['value', ...values.map(String)].join('\n') + '\n');
  return name;
}

/** A series that leaves its training range: a linear trend plus a 12-step season and seeded noise. */
export function trendingSeries(length: number, seed: number): number[] {
  const random = new Random(seed);
  return Array.from({ length }, (_, t) => 10 + 0.8 * t + 6 * Math.sin((2 * Math.PI * t) / 12) + random.normal() * 0.5);
}

/** Settings small enough for a test: few epochs, tiny models. */
export const QUICK_TRAIN = { epochs: 8, batchSize: 16, learningRate: 0.01, earlyStopping: { patience: 3 }, seed: 3 };
