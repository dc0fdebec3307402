// Fixed-seed training runs, executed by the same code in Chromium (harness.mjs) and in Node
// (../node-run.mjs): two fit steps of small models, so the page and Node can be compared loss for
// loss and weight for weight. Plain JavaScript: the browser loads this file as it is.

/**
 * A token model (embedding, GRU with dropout, dense softmax: seeded dropout masks in the step) and
 * a series model (stacked LSTM, dense, mean squared error), each trained with Adam for two steps.
 */
export const TRAIN_CASES = [
  {
    name: 'embedding → GRU(6, dropout 0.25) → dense softmax, sparse cross-entropy',
    layers: (lib) => [
      lib.layers.embedding({ inputDim: 7, outputDim: 3 }),
      lib.layers.gru({ units: 6, dropout: 0.25 }),
      lib.layers.dense({ units: 7, activation: 'softmax' }),
    ],
    loss: 'sparseCategoricalCrossentropy',
    data: () => {
      const x = Array.from({ length: 4 }, (_, n) => Array.from({ length: 5 }, (_, t) => (n * 3 + t * 2) % 7));
      return { x, y: x.map((row) => row[row.length - 1]) };
    },
  },
  {
    name: 'LSTM(5, returnSequences) → LSTM(4) → dense(2), mean squared error',
    layers: (lib) => [
      lib.layers.lstm({ units: 5, returnSequences: true, inputShape: [null, 3] }),
      lib.layers.lstm({ units: 4 }),
      lib.layers.dense({ units: 2 }),
    ],
    loss: 'meanSquaredError',
    data: () => {
      const value = (k) => (((k * 37) % 19) - 9) / 8;
      const x = Array.from({ length: 4 }, (_, n) => Array.from({ length: 6 }, (_, t) => [0, 1, 2].map((f) => value(n * 18 + t * 3 + f))));
      return { x, y: x.map((row) => [row[5][0], row[0][1]]) };
    },
  },
];

/** First values of every parameter after training: enough to see a step went the same way. */
const WEIGHTS_PER_TENSOR = 8;

/**
 * Trains every case on `lib` (the full entry's exports): batches of 2, no shuffling, two steps
 * (one epoch), seeded. Returns the per-batch losses, the epoch loss and the first weights of each
 * parameter, as plain arrays.
 */
export async function trainAll(lib) {
  const results = [];
  for (const { name, layers, loss, data } of TRAIN_CASES) {
    const model = lib.sequential(layers(lib), { seed: 21 });
    model.compile({ optimizer: { name: 'adam', learningRate: 0.05 }, loss });
    const { x, y } = data();
    const batchLosses = [];
    const history = await model.fit(x, y, {
      epochs: 1, batchSize: 2, shuffle: false, seed: 5, verbose: 0,
      callbacks: { onBatchEnd: (_batch, logs) => { batchLosses.push(logs.loss); } },
    });
    const weights = Object.entries(model.stateDict()).flatMap(([, tensor]) => Array.from(tensor.data.subarray(0, WEIGHTS_PER_TENSOR)));
    model.dispose();
    results.push({ name, batchLosses, epochLoss: history.history.loss, weights });
  }
  return results;
}
