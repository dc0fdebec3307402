// Seeds come from train.seed and the candidate's index, never from scheduling: the selection is the
// same with any number of workers.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProject, type ProjectReport } from '../../src/index.js';
import { DATA, QUICK_TRAIN, tempFolder } from './helpers.js';

const table = (report: ProjectReport) => report.selection.map(({ ms: _ms, ...entry }) => entry);

describe('workers', () => {
  it('1 and 2 workers give the same selection table, choice and test metrics', async () => {
    const folder = tempFolder();
    const project = (workers: number) => ({
      data: { file: join(DATA, 'sunspots.csv'), window: 8 }, train: QUICK_TRAIN,
      select: { units: [4, 8], cell: ['lstm', 'gru'] }, workers, output: `w${workers}`,
    });
    const one = await runProject(project(1), { baseDir: folder });
    const two = await runProject(project(2), { baseDir: folder });
    expect(table(two)).toEqual(table(one));
    expect(two.best.index).toBe(one.best.index);
    expect(two.test).toEqual(one.test);
    expect(new Set(table(one).map((e) => e.validationLoss)).size).toBe(4);
  });
});
