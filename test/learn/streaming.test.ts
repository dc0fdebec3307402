import { describe, expect, it } from 'vitest';
import { layers } from '../../src/model/layer-specs.js';
import { sequential } from '../../src/model/sequential.js';
import { Random } from '../../src/random.js';
import { optimizers } from '../../src/train/optimizers.js';
import { BACKENDS, createRuntime } from '../helpers/runtimes.js';

/*
 * Streaming: a tagger trained on whole sequences answers, one reading at a time, whether the
 * running sum so far is positive, for 64 held-out streams stepped together with model.step. Each
 * answer depends on everything seen before, so it needs the carried state; chance is about 0.5
 * and the threshold 0.95 fails for a model that did not learn or a stream that lost its state.
 */

function runningSignTask(seed: number, count: number, T: number): { x: number[][][]; y: number[][] } {
  const random = new Random(seed);
  const x = Array.from({ length: count }, () => Array.from({ length: T }, () => [random.normal()]));
  const y = x.map((s) => {
    let sum = 0;
    return s.map(([v]) => ((sum += v!) > 0 ? 1 : 0));
  });
  return { x, y };
}

describe.each(BACKENDS)('streaming learning on %s', (backend) => {
  it('a GRU trained on whole sequences tags 64 streams one step at a time with accuracy ≥ 0.95', async () => {
    const train = runningSignTask(1, 384, 12);
    const test = runningSignTask(2, 64, 20);
    const model = sequential([
      layers.gru({ units: 16, returnSequences: true, inputShape: [null, 1] }),
      layers.dense({ units: 2, activation: 'softmax' }),
    ], { runtime: createRuntime(backend), seed: 3 });
    model.compile({ optimizer: optimizers.adam({ learningRate: 0.02 }), loss: 'sparseCategoricalCrossentropy' });
    await model.fit(train.x, train.y, { epochs: 10, batchSize: 32, seed: 4 });
    let right = 0;
    for (let t = 0; t < 20; t++) {
      const p = model.step(test.x.map((s) => s[t]!)).data; // [64, 2]
      for (let b = 0; b < 64; b++) right += (p[b * 2 + 1]! > p[b * 2]! ? 1 : 0) === test.y[b]![t] ? 1 : 0;
    }
    const accuracy = right / (64 * 20);
    console.log(`streaming (${backend}): step accuracy over 64 streams × 20 steps ${accuracy.toFixed(4)}`);
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
  });
});
