// random and incremental, trained for real (grid is covered by forecast.test.ts).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProject } from '../../src/index.js';
import { DATA, QUICK_TRAIN, tempFolder } from './helpers.js';

const data = { file: join(DATA, 'sunspots.csv'), window: 8 };

describe('select strategies', () => {
  it('random trains `budget` distinct candidates of the grid and keeps the lowest validation loss', async () => {
    const report = await runProject(
      { data, train: QUICK_TRAIN, select: { strategy: 'random', budget: 3, units: [4, 8, 12], learningRate: [0.003, 0.01], dropout: [0, 0.1] }, workers: 2 },
      { baseDir: tempFolder() },
    );
    expect(report.strategy).toBe('random');
    expect(report.selection).toHaveLength(3);
    expect(new Set(report.selection.map((e) => JSON.stringify(e.params))).size).toBe(3);
    expect(report.best.validationLoss).toBe(Math.min(...report.selection.map((e) => e.validationLoss)));
  });

  it('incremental grows units in order and stops after `patience` sizes without improvement', async () => {
    const report = await runProject(
      { data, train: QUICK_TRAIN, select: { strategy: 'incremental', units: [2, 4, 8, 16, 32], patience: 1 }, workers: 2 },
      { baseDir: tempFolder() },
    );
    const units = report.selection.map((e) => e.params.units);
    expect(units).toEqual([2, 4, 8, 16, 32].slice(0, units.length));
    const losses = report.selection.map((e) => e.validationLoss);
    const best = losses.indexOf(Math.min(...losses));
    // Stopped one size after the best (patience 1), or ran out of sizes.
    expect(units.length === 5 || units.length === best + 2).toBe(true);
    expect(report.best.index).toBe(best);
  });
});
