import { describe, expect, it } from 'vitest';
import { CharTokenizer } from '../../src/data/char-tokenizer.js';
import { layers } from '../../src/model/layer-specs.js';
import { sequential } from '../../src/model/sequential.js';
import { Random } from '../../src/random.js';
import { optimizers } from '../../src/train/optimizers.js';
import { BACKENDS, createRuntime } from '../helpers/runtimes.js';

/*
 * One-to-many: a model trained to predict the next value generates a continuation from a short
 * seed, each output fed back as the next input (one step per value from the carried state).
 */

const TEXT = 'the cat sat on the mat. ';

/** Next-character windows of the endlessly repeated TEXT: x = ids[i .. i+T), y = ids[i+1 .. i+T+1). */
function charWindows(tokenizer: CharTokenizer, count: number, T: number, random: Random): { x: number[][]; y: number[][] } {
  const ids = tokenizer.encode(TEXT.repeat(Math.ceil((T + 2) / TEXT.length) + 1));
  const x: number[][] = [];
  const y: number[][] = [];
  for (let n = 0; n < count; n++) {
    const start = random.int(TEXT.length);
    x.push(ids.slice(start, start + T));
    y.push(ids.slice(start + 1, start + T + 1));
  }
  return { x, y };
}

function wave(t: number): number {
  return 0.8 * Math.sin(0.35 * t);
}

describe.each(BACKENDS)('one-to-many learning on %s', (backend) => {
  it('a char LSTM continues "the cat sat on the mat. " from a 5-character seed, ≥ 0.95 of 48 characters right', async () => {
    const tokenizer = CharTokenizer.fit(TEXT);
    const { x, y } = charWindows(tokenizer, 256, 16, new Random(1));
    const model = sequential([
      layers.embedding({ inputDim: tokenizer.vocabSize, outputDim: 8 }),
      layers.lstm({ units: 32, returnSequences: true }),
      layers.dense({ units: tokenizer.vocabSize, activation: 'softmax' }),
    ], { runtime: createRuntime(backend), seed: 2 });
    model.tokenizer = tokenizer;
    model.compile({ optimizer: optimizers.adam({ learningRate: 0.02 }), loss: 'sparseCategoricalCrossentropy' });
    await model.fit(x, y, { epochs: 8, batchSize: 32, seed: 3 });
    const seed = 'the c';
    const { text } = model.generate({ seed, steps: 48, temperature: 0 });
    const expected = TEXT.repeat(4).slice(seed.length, seed.length + 48);
    let right = 0;
    for (let i = 0; i < expected.length; i++) if (text![i] === expected[i]) right++;
    console.log(`one-to-many chars (${backend}): ${right}/48 right: ${JSON.stringify(text)}`);
    expect(right / 48).toBeGreaterThanOrEqual(0.95);
  });

  it('a forecaster fed its own predictions continues a sine wave for 30 steps with RMSE < 0.1 (predicting 0: 0.57)', async () => {
    const random = new Random(4);
    const T = 24;
    const x: number[][][] = [];
    const y: number[][][] = [];
    for (let n = 0; n < 512; n++) {
      const start = random.uniform(0, 200);
      x.push(Array.from({ length: T }, (_, t) => [wave(start + t)]));
      y.push(Array.from({ length: T }, (_, t) => [wave(start + t + 1)]));
    }
    const model = sequential([
      layers.gru({ units: 24, returnSequences: true, inputShape: [null, 1] }),
      layers.dense({ units: 1 }),
    ], { runtime: createRuntime(backend), seed: 5 });
    model.compile({ optimizer: optimizers.adam({ learningRate: 0.005 }), loss: 'meanSquaredError' });
    await model.fit(x, y, { epochs: 20, batchSize: 32, seed: 6 });
    const start = 500; // a stretch not seen in training (window starts were drawn from [0, 200))
    const seed = Array.from({ length: 20 }, (_, t) => [wave(start + t)]);
    const forecast = model.generate({ seed, steps: 30 }).data;
    let sum = 0;
    forecast.forEach((v, i) => (sum += (v - wave(start + 20 + i)) ** 2));
    const rmse = Math.sqrt(sum / 30);
    console.log(`one-to-many forecast (${backend}): RMSE over 30 fed-back steps ${rmse.toFixed(4)}`);
    expect(rmse).toBeLessThan(0.1);
  });
});
