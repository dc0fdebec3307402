import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel, runProject, type ForecastMetrics, type ProjectProgress, type Sequential } from '../../src/index.js';
import { DATA, QUICK_TRAIN, tempFolder, trendingSeries, writeSeries } from './helpers.js';

describe('a forecast project on data/sunspots.csv', () => {
  it('selects by validation loss, tests once, writes the report and a loadable model', async () => {
    const folder = tempFolder();
    const events: ProjectProgress[] = [];
    const report = await runProject(
      {
        data: { file: join(DATA, 'sunspots.csv'), column: 'SUNACTIVITY', window: 8, season: 11 },
        model: { units: 8 }, train: QUICK_TRAIN, select: { units: [4, 8], window: [6, 12] }, workers: 2, output: 'out',
      },
      { baseDir: folder, onProgress: (p) => events.push(p) },
    );

    expect(report.selection).toHaveLength(4);
    expect(report.selection.map((e) => [e.params.units, e.params.window])).toEqual([[4, 6], [4, 12], [8, 6], [8, 12]]);
    for (const entry of report.selection) {
      expect(Object.keys(entry)).toEqual(expect.arrayContaining(['params', 'trainingLoss', 'validationLoss', 'epochs', 'ms']));
      expect(entry.validationLoss).toBeGreaterThan(0);
      expect(entry.epochs).toBeLessThanOrEqual(QUICK_TRAIN.epochs);
    }
    const lowest = Math.min(...report.selection.map((e) => e.validationLoss));
    expect(report.best.validationLoss).toBe(lowest);
    expect(report.selection[report.best.index]!.validationLoss).toBe(lowest);
    expect(report.best.history.validationLoss).toHaveLength(report.best.epochs);

    const test = report.test as ForecastMetrics;
    for (const metrics of [test, report.baselines.naive as ForecastMetrics, report.baselines.seasonal as ForecastMetrics]) {
      expect(metrics.rmse).toBeGreaterThan(0);
      expect(metrics.mae).toBeGreaterThan(0);
      expect(metrics.mae).toBeLessThanOrEqual(metrics.rmse);
      expect(metrics.mape).toBeGreaterThan(0);
    }
    expect(report).toMatchObject({ task: 'forecast', strategy: 'grid', model: 'model.json', backend: expect.stringMatching(/^(wasm|js)$/), version: expect.stringMatching(/^\d+\.\d+\.\d+/), workers: 2 });
    expect(report.totalMs).toBeGreaterThan(0);

    const output = join(folder, 'out');
    expect(report.output).toBe(output);
    const saved = JSON.parse(readFileSync(join(output, 'report.json'), 'utf8'));
    expect(saved.selection).toEqual(report.selection);
    expect(saved.best.params).toEqual(report.best.params);
    for (const file of ['report.md', 'selection.svg', 'loss.svg', 'forecast.svg', 'residuals.svg']) expect(existsSync(join(output, file)), file).toBe(true);
    const markdown = readFileSync(join(output, 'report.md'), 'utf8');
    expect(markdown).toContain('![Selection: loss of every candidate (lower is better)](selection.svg)');
    expect(markdown).toMatch(/\| baseline: seasonal \|/);

    const model = (await loadModel(join(output, report.model))) as Sequential;
    expect(model.inputShape).toEqual([null, report.best.params.window, 1]);
    expect(model.scaler).not.toBeNull();
    model.dispose();

    const training = events.filter((e) => e.phase === 'training');
    expect(training.length).toBeGreaterThan(0);
    expect(new Set(training.map((e) => e.candidate))).toEqual(new Set([1, 2, 3, 4]));
    expect(training.every((e) => e.candidates === 4 && e.epoch >= 1 && Number.isFinite(e.loss))).toBe(true);
    expect(events.at(-1)!.phase).toBe('done');
  });
});

describe('difference: true on a trending series', () => {
  it('forecasts the test split, which lies above the training range, better than repeating the last value', async () => {
    const folder = tempFolder();
    const series = trendingSeries(180, 7);
    const file = writeSeries(folder, series.map((v) => v.toFixed(3)));
    const project = (difference: boolean) => ({
      data: { file, window: 12, difference },
      model: { units: 16 }, train: { epochs: 80, batchSize: 16, learningRate: 0.01, earlyStopping: { patience: 10 }, seed: 1 }, workers: 1,
      output: difference ? 'diff' : 'plain',
    });
    const [withDifference, without] = await Promise.all([runProject(project(true), { baseDir: folder }), runProject(project(false), { baseDir: folder })]);
    const rmse = (metrics: unknown) => (metrics as ForecastMetrics).rmse;
    const naive = rmse(withDifference.baselines.naive);
    console.log(`trending series, test RMSE: difference ${rmse(withDifference.test).toFixed(3)}, no difference ${rmse(without.test).toFixed(3)}, naive ${naive.toFixed(3)}`);
    expect(rmse(withDifference.baselines.naive)).toBe(rmse(without.baselines.naive));
    expect(rmse(withDifference.test)).toBeLessThan(0.8 * naive);
    expect(rmse(withDifference.test)).toBeLessThan(rmse(without.test));
    expect(withDifference.difference).toBe(true);
  });
});
