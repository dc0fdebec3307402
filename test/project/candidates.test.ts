import { describe, expect, it } from 'vitest';
import { candidateList, type Candidate } from '../../src/project/candidates.js';
import { readProjectSettings } from '../../src/project/read-settings.js';
import { bestCandidate, trainCandidates } from '../../src/project/select-model.js';
import type { CandidateResult } from '../../src/project/train-candidate.js';

const context = { source: 'test.json', resolvePath: (p: string) => `/base/${p}`, name: 'test', defaultWorkers: 2 };
const settingsOf = (select: object, workers = 2) => readProjectSettings({ data: { file: 'series.csv' }, select, workers }, context);

describe('candidate lists', () => {
  it('grid: every combination, the last key varying fastest, other keys from model/data/train', () => {
    const list = candidateList(settingsOf({ units: [8, 16], cell: ['lstm', 'gru'] }));
    expect(list.map((c) => [c.params.units, c.params.cell])).toEqual([[8, 'lstm'], [8, 'gru'], [16, 'lstm'], [16, 'gru']]);
    expect(list[0]!.params).toEqual({ units: 8, layers: 1, window: 12, cell: 'lstm', dropout: 0, learningRate: 0.005 });
    expect(list.map((c) => c.index)).toEqual([0, 1, 2, 3]);
  });

  it('grid without select keys is the one model of the project', () => {
    expect(candidateList(settingsOf({})).map((c) => c.params.units)).toEqual([16]);
  });

  it('random: `budget` distinct combinations of the grid, the same for the same train.seed', () => {
    const select = { strategy: 'random', budget: 5, units: [4, 8, 16, 32], window: [6, 12, 24], learningRate: [0.001, 0.01] };
    const list = candidateList(settingsOf(select));
    expect(list).toHaveLength(5);
    const keys = list.map((c) => JSON.stringify(c.params));
    expect(new Set(keys).size).toBe(5);
    expect(candidateList(settingsOf(select)).map((c) => JSON.stringify(c.params))).toEqual(keys);
    const grid = candidateList(settingsOf({ units: select.units, window: select.window, learningRate: select.learningRate })).map((c) => JSON.stringify(c.params));
    for (const key of keys) expect(grid).toContain(key);
  });

  it('seeds depend on train.seed and the index only, and differ between candidates', () => {
    const a = candidateList(settingsOf({ units: [4, 8, 16] }, 1));
    const b = candidateList(settingsOf({ units: [4, 8, 16] }, 2));
    expect(a.map((c) => c.seed)).toEqual(b.map((c) => c.seed));
    expect(new Set(a.map((c) => c.seed)).size).toBe(3);
  });

  it('incremental: growing units, [4 … 128] by default', () => {
    expect(candidateList(settingsOf({ strategy: 'incremental' })).map((c) => c.params.units)).toEqual([4, 8, 16, 32, 64, 128]);
  });
});

/** A stand-in for training: the validation loss of each size is given. */
function fakeRun(losses: readonly number[]) {
  const ran: number[] = [];
  const run = async (candidate: Candidate): Promise<CandidateResult> => {
    ran.push(candidate.index);
    return { index: candidate.index, params: candidate.params, seed: candidate.seed, trainingLoss: 0, validationLoss: losses[candidate.index]!, epochs: 1, bestEpoch: 1, ms: 0, history: { loss: [], validationLoss: [] }, model: {} as never };
  };
  return { run, ran };
}

describe('incremental selection', () => {
  const losses = [0.9, 0.5, 0.4, 0.45, 0.41, 0.3, 0.2];

  it.each([1, 2, 3])('stops once `patience` sizes bring no improvement, the same with %i workers', async (workers) => {
    const settings = settingsOf({ strategy: 'incremental', units: [1, 2, 3, 4, 5, 6, 7], patience: 2 }, workers);
    const { run } = fakeRun(losses);
    const results = await trainCandidates(settings, candidateList(settings), run);
    // Best 0.4 at size 3; sizes 4 and 5 do not beat it: stop there (0.3 at size 6 is never reached).
    expect(results.map((r) => r.params.units)).toEqual([1, 2, 3, 4, 5]);
    expect(bestCandidate(results).params.units).toBe(3);
  });

  it('runs every size when the error keeps falling', async () => {
    const settings = settingsOf({ strategy: 'incremental', units: [1, 2, 3], patience: 1 });
    const { run } = fakeRun([3, 2, 1]);
    expect((await trainCandidates(settings, candidateList(settings), run)).map((r) => r.index)).toEqual([0, 1, 2]);
  });
});

describe('the choice', () => {
  it('is the lowest validation loss; a tie goes to the earlier candidate', () => {
    const result = (index: number, validationLoss: number) => ({ index, validationLoss }) as CandidateResult;
    expect(bestCandidate([result(0, 0.5), result(1, 0.2), result(2, 0.3)]).index).toBe(1);
    expect(bestCandidate([result(0, 0.2), result(1, 0.2)]).index).toBe(0);
  });
});
