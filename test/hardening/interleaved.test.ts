import { describe, expect, it } from 'vitest';
import { layers } from '../../src/model/layer-specs.js';
import { sequential, type Sequential } from '../../src/model/sequential.js';
import { Random } from '../../src/random.js';
import { BACKENDS, createRuntime } from '../helpers/runtimes.js';
import { randomSequences } from '../model/helpers.js';

/*
 * Many models at once: two models sharing one runtime (one arena, one set of kernel scratch),
 * trained concurrently so their fits alternate batch by batch, end with exactly the weights and
 * losses each gets when trained alone.
 */

const EPOCHS = 3;
const BATCH = 4;

describe.each(BACKENDS)('two models trained interleaved on %s', (backend) => {
  const runtime = createRuntime(backend);
  const x = randomSequences(new Random(11), 24, 5, 3);
  const y = x.map((s) => [s.reduce((sum, step) => sum + step[0]! - step[2]!, 0)]);
  const labels = x.map((s) => (s[4]![1]! > 0 ? 1 : 0));

  const regression = () => {
    const m = sequential([layers.lstm({ units: 6, inputShape: [5, 3] }), layers.dense({ units: 1 })], { seed: 21, runtime });
    m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    return m;
  };
  const classifier = () => {
    const m = sequential([layers.gru({ units: 5, inputShape: [5, 3], dropout: 0.2 }), layers.dense({ units: 2, activation: 'softmax' })], { seed: 22, runtime });
    m.compile({ optimizer: 'rmsprop', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    return m;
  };
  /** Hands control back to the event loop after every batch, so two running fits alternate. */
  let order: string[] = [];
  const yieldEachBatch = (name: string) => ({
    onBatchEnd: () => {
      order.push(name);
      return new Promise<void>((resolve) => setImmediate(resolve));
    },
  });
  const trainA = (m: Sequential) => m.fit(x, y, { epochs: EPOCHS, batchSize: BATCH, seed: 1, verbose: 0, callbacks: yieldEachBatch('a') });
  const trainB = (m: Sequential) => m.fit(x, labels, { epochs: EPOCHS, batchSize: BATCH, seed: 2, verbose: 0, callbacks: yieldEachBatch('b') });
  const weights = (m: Sequential) => Object.fromEntries(Object.entries(m.stateDict()).map(([k, t]) => [k, Array.from(t.data)]));

  it('gives the weights and losses of each model trained alone', async () => {
    const aloneA = regression();
    const historyA = await trainA(aloneA);
    const aloneB = classifier();
    const historyB = await trainB(aloneB);

    order = [];
    const [a, b] = [regression(), classifier()];
    const [historyA2, historyB2] = await Promise.all([trainA(a), trainB(b)]);

    // The fits really alternated: b's first batch ran before a's last one.
    expect(order.indexOf('b')).toBeLessThan(order.lastIndexOf('a'));
    expect(order.slice(0, 4)).toEqual(['a', 'b', 'a', 'b']);
    expect(historyA2.history).toEqual(historyA.history);
    expect(historyB2.history).toEqual(historyB.history);
    expect(weights(a)).toEqual(weights(aloneA));
    expect(weights(b)).toEqual(weights(aloneB));
    expect(a.predict(x).data).toEqual(aloneA.predict(x).data);
    for (const m of [aloneA, aloneB, a, b]) m.dispose();
  });
});
