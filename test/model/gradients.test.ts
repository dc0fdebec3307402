import { describe, expect, it } from 'vitest';
import { layers } from '../../src/model/layer-specs.js';
import type { Sequential } from '../../src/model/sequential.js';
import { Random } from '../../src/random.js';
import { tensor } from '../../src/tensor.js';
import { batchGradients, randomSequences } from './helpers.js';
import { model64, worstGradientError } from './model-gradcheck.js';

/*
 * Whole models in float64 (TS runtime): every parameter's gradient through the model's own path
 * (arena batch, masks, dropout, fused losses) against central differences; and masking: a padded
 * batch gives the same loss and gradients as its sequences run one by one without padding.
 */

describe('whole-model gradient checks in float64', () => {
  it('LSTM (per step) → Dropout → Dense softmax, sparse cross-entropy, ragged sequences', () => {
    const model = model64([
      layers.lstm({ units: 4, returnSequences: true, inputShape: [null, 3] }),
      layers.dropout({ rate: 0.3 }),
      layers.dense({ units: 3, activation: 'softmax' }),
    ], 'sparseCategoricalCrossentropy');
    const random = new Random(1);
    const x = randomSequences(random, 3, [4, 2, 3], 3);
    const y = x.map((s) => s.map(() => random.int(3)));
    worstGradientError(model, x, y);
  });

  it('Embedding (maskZero) → bidirectional GRU (last step) → Dense sigmoid, binary cross-entropy', () => {
    const model = model64([
      layers.embedding({ inputDim: 6, outputDim: 3, maskZero: true }),
      layers.bidirectional({ layer: layers.gru({ units: 3 }) }),
      layers.dense({ units: 2, activation: 'sigmoid' }),
    ], 'binaryCrossentropy');
    const x = [[1, 4, 5, 0], [2, 2, 0, 0], [0, 3, 1, 5]];
    const y = [[1, 0], [0.3, 1], [0, 0.5]];
    worstGradientError(model, x, y);
  });

  it('SimpleRNN with input dropout → LSTM → Dense, mean squared error, sampleLengths', () => {
    const model = model64([
      layers.simpleRNN({ units: 4, returnSequences: true, dropout: 0.25, inputShape: [5, 2] }),
      layers.lstm({ units: 3 }),
      layers.dense({ units: 2 }),
    ], 'meanSquaredError');
    const random = new Random(2);
    const x = tensor(randomSequences(random, 3, 5, 2));
    worstGradientError(model, x, [[0.5, -1], [2, 0], [0, 1]], { sampleLengths: [5, 3, 1] });
  });

  it('Dense tanh per step → reset-before GRU (per step) → Dense, categorical cross-entropy, mask in the middle', () => {
    const model = model64([
      layers.dense({ units: 4, activation: 'tanh', inputShape: [null, 2] }),
      layers.gru({ units: 3, returnSequences: true, resetAfter: false }),
      layers.dense({ units: 3, activation: 'softmax' }),
    ], 'categoricalCrossentropy');
    const random = new Random(3);
    const x = randomSequences(random, 2, 4, 2);
    const y = x.map((s) => s.map(() => {
      const p = [random.next(), random.next(), random.next()];
      const sum = p[0]! + p[1]! + p[2]!;
      return p.map((v) => v / sum);
    }));
    worstGradientError(model, x, y, { mask: [[1, 0, 1, 1], [0, 1, 1, 0]] });
  });

  it('a multilayer perceptron on vectors: Dense relu → Dense, mean squared error', () => {
    const model = model64([layers.dense({ units: 5, activation: 'relu', inputShape: [3] }), layers.dense({ units: 2 })], 'mse');
    worstGradientError(model, [[1, 2, 0.5], [-1, 0.3, 2]], [[0, 1], [1, 0]]);
  });
});

describe('padded steps change neither the loss nor the gradients', () => {
  /** Σ_i w_i · (loss, grads) of each sequence alone, unpadded. */
  function oneByOne(model: Sequential, xs: number[][][], ys: unknown[], weight: (i: number) => number) {
    let loss = 0;
    const grads: Record<string, Float64Array> = {};
    xs.forEach((x, i) => {
      const one = batchGradients(model, [x], [ys[i]]);
      loss += weight(i) * one.loss;
      for (const [name, g] of Object.entries(one.grads)) {
        const sum = (grads[name] ??= new Float64Array(g.length));
        g.forEach((v, j) => (sum[j]! += weight(i) * v));
      }
    });
    return { loss, grads };
  }

  function expectSame(a: { loss: number; grads: Record<string, Float64Array> }, b: { loss: number; grads: Record<string, Float64Array> }): void {
    expect(Math.abs(a.loss - b.loss)).toBeLessThan(1e-12 * Math.abs(b.loss) + 1e-15);
    for (const [name, g] of Object.entries(b.grads)) {
      const got = a.grads[name]!;
      g.forEach((v, j) => expect(Math.abs(got[j]! - v), `${name}[${j}]`).toBeLessThan(1e-11 * (Math.abs(v) + 1e-3)));
    }
  }

  const lengths = [4, 2, 5, 1];

  it('many-to-many (per-step loss): a ragged bidirectional batch equals its sequences run alone', () => {
    const model = model64([
      layers.bidirectional({ layer: layers.lstm({ units: 3, returnSequences: true }), inputShape: [null, 2] }),
      layers.dense({ units: 3, activation: 'softmax' }),
    ], 'sparseCategoricalCrossentropy');
    const random = new Random(5);
    const x = randomSequences(random, 4, lengths, 2);
    const y = x.map((s) => s.map(() => random.int(3)));
    const total = lengths.reduce((a, b) => a + b, 0);
    expectSame(batchGradients(model, x, y), oneByOne(model, x, y, (i) => lengths[i]! / total));
  });

  it('many-to-one: a ragged bidirectional batch equals its sequences run alone', () => {
    const model = model64([
      layers.bidirectional({ layer: layers.gru({ units: 3 }), inputShape: [null, 2] }),
      layers.dense({ units: 2 }),
    ], 'meanSquaredError');
    const random = new Random(6);
    const x = randomSequences(random, 4, lengths, 2);
    const y = x.map(() => [random.normal(), random.normal()]);
    expectSame(batchGradients(model, x, y), oneByOne(model, x, y, () => 1 / 4));
  });

  it('padding values do not matter: a padded Tensor with garbage + sampleLengths equals the ragged arrays', () => {
    const model = model64([
      layers.bidirectional({ layer: layers.simpleRNN({ units: 3, returnSequences: true }), inputShape: [null, 2] }),
      layers.dense({ units: 1, activation: 'sigmoid' }),
    ], 'binaryCrossentropy');
    const random = new Random(7);
    const x = randomSequences(random, 4, lengths, 2);
    const y = x.map((s) => s.map(() => [random.int(2)]));
    const padded = x.map((s) => [...s, ...Array.from({ length: 5 - s.length }, () => [1e3, -1e3])]);
    const paddedY = y.map((s) => [...s, ...Array.from({ length: 5 - s.length }, () => [0.5])]);
    const ragged = batchGradients(model, x, y);
    const withLengths = batchGradients(model, tensor(padded), tensor(paddedY), { sampleLengths: lengths });
    expect(withLengths.loss).toBe(ragged.loss);
    expect(withLengths.grads).toEqual(ragged.grads);
  });

  it('maskZero ids at padded steps match explicit lengths', () => {
    const specs = (maskZero: boolean) => [
      layers.embedding({ inputDim: 5, outputDim: 2, maskZero }),
      layers.lstm({ units: 2 }),
      layers.dense({ units: 2, activation: 'softmax' }),
    ];
    const x = [[3, 1, 0, 0], [4, 4, 2, 1], [2, 0, 0, 0]];
    const y = [1, 0, 1];
    const zero = batchGradients(model64(specs(true), 'sparseCategoricalCrossentropy'), x, y);
    const explicit = batchGradients(model64(specs(false), 'sparseCategoricalCrossentropy'), x, y, { sampleLengths: [2, 4, 1] });
    expect(zero.loss).toBe(explicit.loss);
    expect(zero.grads).toEqual(explicit.grads);
  });
});
