import { describe, expect, it } from 'vitest';
import { layers } from '../../src/model/layer-specs.js';
import { sequential } from '../../src/model/sequential.js';
import { Random } from '../../src/random.js';
import { optimizers } from '../../src/train/optimizers.js';
import { BACKENDS, createRuntime } from '../helpers/runtimes.js';

/*
 * Many-to-many, equal input and output lengths: tag every step with whether x_t > x_{t−1}
 * (x_{−1} = 0), on sequences of 4 to 12 steps given as ragged arrays (padding and masks on the
 * model's side). Chance is 0.5; the threshold 0.95 on held-out steps fails without learning.
 */

function risingTask(seed: number, count: number): { x: number[][][]; y: number[][] } {
  const random = new Random(seed);
  const x = Array.from({ length: count }, () => Array.from({ length: 4 + random.int(9) }, () => [random.normal()]));
  const y = x.map((s) => s.map((step, t) => (step[0]! > (t === 0 ? 0 : s[t - 1]![0]!) ? 1 : 0)));
  return { x, y };
}

describe.each(BACKENDS)('many-to-many learning on %s', (backend) => {
  it('a GRU tags rising steps of ragged sequences with held-out accuracy ≥ 0.95', async () => {
    const train = risingTask(1, 384);
    const test = risingTask(2, 128);
    const model = sequential([
      layers.gru({ units: 12, returnSequences: true, inputShape: [null, 1] }),
      layers.dense({ units: 2, activation: 'softmax' }),
    ], { runtime: createRuntime(backend), seed: 5 });
    model.compile({ optimizer: optimizers.adam({ learningRate: 0.02 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const history = await model.fit(train.x, train.y, { epochs: 10, batchSize: 32, seed: 6 });
    const { accuracy } = model.evaluate(test.x, test.y);
    console.log(`many-to-many (${backend}): train loss ${history.history.loss!.at(-1)!.toFixed(4)}, held-out step accuracy ${accuracy!.toFixed(4)}`);
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
  });
});
