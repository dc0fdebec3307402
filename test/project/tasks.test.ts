// The classify and text tasks, end to end at small sizes.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel, runProject, type ClassMetrics, type Sequential, type TextMetrics } from '../../src/index.js';
import { DATA, tempFolder } from './helpers.js';

/** The first `rows` data rows of a file in data/ (with its header), copied into `folder`. */
function headOf(folder: string, name: string, rows: number, header: boolean): string {
  const lines = readFileSync(join(DATA, name), 'utf8').split('\n');
  writeFileSync(join(folder, name), lines.slice(0, rows + (header ? 1 : 0)).join('\n') + '\n');
  return name;
}

describe('task: classify (digits read row by row)', () => {
  it('reports accuracy and a confusion matrix beside the majority class', async () => {
    const folder = tempFolder();
    const report = await runProject(
      {
        task: 'classify',
        data: { file: headOf(folder, 'digits.csv', 400, true), label: 'label', steps: 8, split: { train: 0.6, validation: 0.2, test: 0.2 } },
        model: { units: 16 }, train: { epochs: 15, batchSize: 32, learningRate: 0.01, earlyStopping: { patience: 3 }, seed: 2 },
        select: { cell: ['lstm', 'gru'] }, workers: 2,
      },
      { baseDir: folder },
    );
    const test = report.test as ClassMetrics;
    const majority = report.baselines.majority as ClassMetrics;
    expect(report.selection.map((e) => e.params.cell)).toEqual(['lstm', 'gru']);
    expect(report.selection[0]!.params).not.toHaveProperty('window');
    expect(test.confusion).toHaveLength(10);
    expect(test.confusion!.flat().reduce((a, b) => a + b, 0)).toBe(80);
    expect(majority.accuracy).toBeLessThan(0.2);
    expect(test.accuracy).toBeGreaterThan(0.6);
    expect(report.trace).toBeNull();
    expect(report.files.charts).toEqual(['selection.svg', 'loss.svg']);
    expect(readFileSync(join(report.output, 'report.md'), 'utf8')).toContain('Confusion matrix');
  });
});

describe('task: text (next character of words)', () => {
  it('reports perplexity beside the unigram baseline and saves the tokenizer with the model', async () => {
    const folder = tempFolder();
    const report = await runProject(
      {
        task: 'text',
        data: { file: headOf(folder, 'words.txt', 600, false), level: 'char', window: 16 },
        model: { units: 32 }, train: { epochs: 6, batchSize: 32, learningRate: 0.01, earlyStopping: { patience: 2 }, seed: 1 }, workers: 1,
      },
      { baseDir: folder },
    );
    const test = report.test as TextMetrics;
    const unigram = report.baselines.unigram as TextMetrics;
    expect(test.perplexity).toBeGreaterThan(1);
    expect(unigram.perplexity).toBeGreaterThan(1);
    expect(test.perplexity).toBeLessThan(unigram.perplexity);
    const model = (await loadModel(join(report.output, report.model))) as Sequential;
    expect(model.tokenizer?.vocabSize).toBeGreaterThan(20);
    model.dispose();
  });
});
