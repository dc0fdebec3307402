import { describe, expect, it } from 'vitest';
import { layers } from '../../src/model/layer-specs.js';
import { sequential } from '../../src/model/sequential.js';
import { optimizers } from '../../src/train/optimizers.js';
import { BACKENDS, createRuntime } from '../helpers/runtimes.js';
import { sumSignTask } from '../model/helpers.js';

/*
 * Many-to-one: classify whether a sequence's sum is positive (last state → dense → softmax).
 * Chance is 0.5; the threshold 0.9 on held-out sequences fails for a model that does not learn.
 */

describe.each(BACKENDS)('many-to-one learning on %s', (backend) => {
  it('an LSTM classifies the sign of a sequence sum with held-out accuracy ≥ 0.9', async () => {
    const train = sumSignTask(1, 512, 10);
    const test = sumSignTask(2, 256, 10);
    const model = sequential([
      layers.lstm({ units: 16, inputShape: [null, 1] }),
      layers.dense({ units: 2, activation: 'softmax' }),
    ], { runtime: createRuntime(backend), seed: 3 });
    model.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const history = await model.fit(train.x, train.y, { epochs: 12, batchSize: 32, seed: 4 });
    const { accuracy } = model.evaluate(test.x, test.y);
    console.log(`many-to-one (${backend}): train loss ${history.history.loss!.at(-1)!.toFixed(4)}, held-out accuracy ${accuracy!.toFixed(4)}`);
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
  });
});
