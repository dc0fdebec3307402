import { describe, expect, it } from 'vitest';
import { seq2seq } from '../../src/model/seq2seq.js';
import { Random } from '../../src/random.js';
import { optimizers } from '../../src/train/optimizers.js';
import { BACKENDS, createRuntime } from '../helpers/runtimes.js';

/*
 * Encoder–decoder: reverse digit sequences of 1 to 5 digits (ids 3..12; 1 = start, 2 = end),
 * trained with teacher forcing, judged by greedy decoding of held-out sequences: the whole output
 * must equal the reversed input (exact match). A model that copies instead of reversing, or stops
 * at the wrong length, scores about 0.2 (the one-digit and palindromic sequences). Short held-out
 * sequences also occur in training (there are only 10 + 100 + 1000 of up to 3 digits); most of
 * the 4- and 5-digit ones do not.
 */

const START = 1;
const END = 2;

function reversal(seed: number, count: number): { sources: number[][]; targets: number[][] } {
  const random = new Random(seed);
  const sources = Array.from({ length: count }, () => Array.from({ length: 1 + random.int(5) }, () => 3 + random.int(10)));
  return { sources, targets: sources.map((s) => [...s].reverse()) };
}

describe.each(BACKENDS)('encoder–decoder learning on %s', (backend) => {
  it('an LSTM encoder–decoder reverses digit sequences: held-out exact match ≥ 0.85', async () => {
    const train = reversal(1, 1024);
    const test = reversal(2, 200);
    const model = seq2seq({
      encoder: { cell: 'lstm', units: 32, embedding: { inputDim: 13, outputDim: 8 } },
      decoder: { vocabSize: 13, embedding: { outputDim: 8 } },
      startToken: START, endToken: END, maxLength: 8, seed: 3, runtime: createRuntime(backend),
    });
    model.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), metrics: ['accuracy'], clipNorm: 1 });
    const history = await model.fit(train.sources, train.targets, { epochs: 20, batchSize: 32, seed: 4 });
    const outputs = model.translate(test.sources);
    const exact = outputs.filter((ids, n) => ids.length === test.targets[n]!.length && ids.every((id, t) => id === test.targets[n]![t])).length / test.sources.length;
    console.log(`seq2seq reversal (${backend}): teacher-forced token accuracy ${history.history.accuracy!.at(-1)!.toFixed(4)}, held-out exact match ${exact.toFixed(3)}`);
    expect(exact).toBeGreaterThanOrEqual(0.85);
  });
});
