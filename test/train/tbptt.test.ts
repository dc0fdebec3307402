import { describe, expect, it, vi } from 'vitest';
import { OptionError } from '../../src/errors.js';
import { ArenaDataset, identityOrder } from '../../src/model/batches.js';
import { readDataset } from '../../src/model/dataset.js';
import { layers } from '../../src/model/layer-specs.js';
import { sequential, type Sequential } from '../../src/model/sequential.js';
import { TruncatedBatch } from '../../src/model/truncated-batch.js';
import { Random } from '../../src/random.js';
import { RunningMetrics } from '../../src/train/metrics-running.js';
import { optimizers } from '../../src/train/optimizers.js';
import { TruncatedBptt } from '../../src/train/tbptt.js';
import { BACKENDS, createRuntime } from '../helpers/runtimes.js';
import { randomSequences } from '../model/helpers.js';

/* Truncated BPTT: the window schedule, the carried state, and k1 = k2 = T as full BPTT. */

describe.each(BACKENDS)('truncated BPTT on %s', (backend) => {
  const runtime = createRuntime(backend);

  function tagger(seed: number, dropout = 0): Sequential {
    const model = sequential([
      layers.lstm({ units: 5, returnSequences: true, dropout, inputShape: [null, 2] }),
      layers.gru({ units: 4, returnSequences: true }),
      layers.dense({ units: 3, activation: 'softmax' }),
    ], { runtime, seed });
    model.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    return model;
  }

  function data(seed: number, N: number, lengths: number | number[]) {
    const random = new Random(seed);
    const x = randomSequences(random, N, lengths, 2);
    const y = x.map((s) => s.map(() => random.int(3)));
    return { x, y };
  }

  it('k1 = k2 = T trains exactly as full BPTT (same weights, same history)', async () => {
    const { x, y } = data(1, 24, 12);
    const full = tagger(2, 0.2);
    const truncated = tagger(2, 0.2);
    const a = await full.fit(x, y, { epochs: 2, batchSize: 8, seed: 3 });
    const b = await truncated.fit(x, y, { epochs: 2, batchSize: 8, seed: 3, tbptt: { k1: 12, k2: 12 } });
    expect(b.history).toEqual(a.history);
    const expected = full.stateDict();
    for (const [name, value] of Object.entries(truncated.stateDict())) expect(Array.from(value.data), name).toEqual(Array.from(expected[name]!.data));
  });

  it('one update per k1 steps, each backpropagating through a forward of at most k2 steps', async () => {
    const { x, y } = data(4, 8, 10);
    const model = tagger(5);
    const forward = vi.spyOn(model, 'forwardBatch');
    const updates = vi.spyOn(model, 'applyGradients');
    const batches: number[] = [];
    await model.fit(x, y, { epochs: 1, batchSize: 8, tbptt: { k1: 4, k2: 6 }, callbacks: { onBatchEnd: (_b, logs) => void batches.push(logs.loss) } });
    // Windows score [0,4) [4,8) [8,10) over forwards [0,4) [2,8) [4,10); the carried state at
    // steps 2 and 4 comes from the forwards over [0,2) and [2,4).
    expect(forward.mock.calls.map((call) => call[1])).toEqual([4, 2, 6, 2, 6]);
    expect(updates).toHaveBeenCalledTimes(3);
    expect(batches).toHaveLength(1);
  });

  for (const [k1, k2] of [[4, 4], [3, 5], [2, 7]] as const) {
    it(`windows k1 = ${k1}, k2 = ${k2} see the whole sequence: their losses add up to the full sequence's (ragged batch)`, () => {
      const { x, y } = data(6, 5, [10, 7, 10, 3, 9]);
      const model = tagger(7);
      const arrays = readDataset('test', model.plan, x, y, {}, { loss: 'sparseCategoricalCrossentropy', units: 3 });
      const dataset = new ArenaDataset(runtime, arrays);
      try {
        model.batch.load(dataset, identityOrder(0, 5), 0, 5);
        const full = model.lossOnBatch(model.batch, true, null);
        const schedule = new TruncatedBptt({ k1, k2 });
        const host = new TruncatedBatch(model);
        const metrics = new RunningMetrics([], 'sparse');
        for (let u = 0; u < schedule.windows(model.batch.T); u++) schedule.trainWindow(host, u, metrics);
        host.release();
        expect(Math.abs(metrics.meanLoss - full)).toBeLessThan(1e-6 * full);
      } finally {
        dataset.release();
      }
    });
  }

  it('without the carried state the windows would not add up (the test above can fail)', () => {
    const { x, y } = data(8, 3, 10);
    const model = tagger(9);
    const whole = model.evaluate(x, y).loss!;
    const pieces = model.evaluate(x.map((s) => s.slice(5)), y.map((s) => s.slice(5))).loss! + model.evaluate(x.map((s) => s.slice(0, 5)), y.map((s) => s.slice(0, 5))).loss!;
    expect(Math.abs(pieces / 2 - whole)).toBeGreaterThan(1e-4);
  });

  it('refuses bad settings and models it cannot train', async () => {
    const { x, y } = data(1, 4, 6);
    const model = tagger(1);
    await expect(model.fit(x, y, { tbptt: { k1: 4, k2: 2 } })).rejects.toThrow(/k2 \(2\) must be ≥ k1 \(4\)/);
    await expect(model.fit(x, y, { tbptt: { k2: 2 } as never })).rejects.toThrow(OptionError);
    await expect(model.fit(x, y, { tbptt: { k1: 2, k3: 1 } as never })).rejects.toThrow(/did you mean 'k1'|'k2'/);
    const last = sequential([layers.lstm({ units: 2, inputShape: [null, 2] }), layers.dense({ units: 3, activation: 'softmax' })], { runtime, seed: 1 });
    last.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    await expect(last.fit(x, [0, 1, 2, 0], { tbptt: { k1: 2 } })).rejects.toThrow(/returnSequences: true/);
    const bi = sequential([layers.bidirectional({ layer: layers.gru({ units: 2, returnSequences: true }), inputShape: [null, 2] }), layers.dense({ units: 3, activation: 'softmax' })], { runtime, seed: 1 });
    bi.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    await expect(bi.fit(x, y, { tbptt: { k1: 2 } })).rejects.toThrow(/bidirectional/);
  });
});
