import { describe, expect, it } from 'vitest';
import { layers, MERGE_MODES } from '../../src/model/layer-specs.js';
import { Random } from '../../src/random.js';
import { tensor } from '../../src/tensor.js';
import { batchGradients, randomSequences } from './helpers.js';
import { model64, worstGradientError } from './model-gradcheck.js';

/*
 * Float64 gradient checks of the Keras options built at the model level: bidirectional merge
 * modes, goBackwards and the masking layer, each with ragged (masked) batches.
 */

const LENGTHS = [4, 2, 3];

describe('bidirectional merge modes, float64 gradients', () => {
  it.each(MERGE_MODES.map((mode) => [mode]))('%s, per-step outputs, ragged batch', (mergeMode) => {
    const model = model64([
      layers.bidirectional({ layer: layers.lstm({ units: 3, returnSequences: true }), mergeMode, inputShape: [null, 2] }),
      layers.dense({ units: 2 }),
    ], 'mse');
    const random = new Random(11);
    const x = randomSequences(random, 3, LENGTHS, 2);
    worstGradientError(model, x, x.map((s) => s.map(() => [random.normal(), random.normal()])));
  });

  it.each(MERGE_MODES.map((mode) => [mode]))('%s, last step, ragged batch', (mergeMode) => {
    const model = model64([
      layers.bidirectional({ layer: layers.gru({ units: 3, resetAfter: false }), mergeMode, inputShape: [null, 2] }),
      layers.dense({ units: 2, activation: 'softmax' }),
    ], 'sparseCategoricalCrossentropy');
    const random = new Random(12);
    worstGradientError(model, randomSequences(random, 3, LENGTHS, 2), [0, 1, 1]);
  });
});

describe('goBackwards, float64 gradients', () => {
  it('SimpleRNN (per step) → LSTM goBackwards (last step) with input dropout, sampleLengths', () => {
    const model = model64([
      layers.simpleRNN({ units: 3, returnSequences: true, inputShape: [5, 2] }),
      layers.lstm({ units: 3, goBackwards: true, dropout: 0.25 }),
      layers.dense({ units: 2 }),
    ], 'mse');
    const random = new Random(13);
    const x = tensor(randomSequences(random, 3, 5, 2));
    worstGradientError(model, x, [[0.5, -1], [2, 0], [0, 1]], { sampleLengths: [5, 3, 1] });
  });

  it('GRU goBackwards (per step) → Dense softmax, mask in the middle', () => {
    const model = model64([
      layers.gru({ units: 3, returnSequences: true, goBackwards: true, inputShape: [null, 2] }),
      layers.dense({ units: 3, activation: 'softmax' }),
    ], 'sparseCategoricalCrossentropy');
    const random = new Random(14);
    const x = randomSequences(random, 2, 4, 2);
    worstGradientError(model, x, x.map((s) => s.map(() => random.int(3))), { mask: [[1, 0, 1, 1], [1, 1, 1, 0]] });
  });
});

describe('masking layer, float64 gradients', () => {
  it('Masking → LSTM (per step) → Dense: masked steps carry the state and pass no gradient', () => {
    const model = model64([
      layers.masking({ maskValue: 0.5, inputShape: [null, 2] }),
      layers.lstm({ units: 3, returnSequences: true }),
      layers.dense({ units: 1 }),
    ], 'mse');
    const random = new Random(15);
    const x = randomSequences(random, 3, 4, 2);
    x[0]![1] = [0.5, 0.5];
    x[2]![3] = [0.5, 0.5];
    x[1]![2] = [0.5, 0.1];
    worstGradientError(model, x, x.map((s) => s.map(() => [random.normal()])));
  });

  it('Masking → Dense tanh → bidirectional SimpleRNN (last step, ave): the mask passes through Dense, with sampleLengths', () => {
    const model = model64([
      layers.masking({ maskValue: 0, inputShape: [null, 2] }),
      layers.dense({ units: 3, activation: 'tanh' }),
      layers.bidirectional({ layer: layers.simpleRNN({ units: 2 }), mergeMode: 'ave' }),
      layers.dense({ units: 1 }),
    ], 'mse');
    const random = new Random(16);
    const x = randomSequences(random, 3, 4, 2);
    x[0]![2] = [0, 0];
    x[1]![0] = [0, 0];
    worstGradientError(model, tensor(x), [[1], [-1], [0.5]], { sampleLengths: [4, 2, 3] });
  });
});

describe('zeroOutputForMask, float64 gradients', () => {
  it('bidirectional LSTM per step (mul) with zeros at masked steps → Dense, ragged batch', () => {
    const model = model64([
      layers.bidirectional({ layer: layers.lstm({ units: 3, returnSequences: true, zeroOutputForMask: true }), mergeMode: 'mul', inputShape: [null, 2] }),
      layers.dense({ units: 2 }),
    ], 'mse');
    const random = new Random(18);
    const x = randomSequences(random, 3, LENGTHS, 2);
    worstGradientError(model, x, x.map((s) => s.map(() => [random.normal(), random.normal()])));
  });

  it('Masking → GRU goBackwards per step with zeros at masked steps → Dense', () => {
    const model = model64([
      layers.masking({ inputShape: [null, 2] }),
      layers.gru({ units: 3, returnSequences: true, goBackwards: true, zeroOutputForMask: true }),
      layers.dense({ units: 1 }),
    ], 'mse');
    const random = new Random(19);
    const x = randomSequences(random, 2, 4, 2);
    x[0]![3] = [0, 0];
    x[1]![1] = [0, 0];
    worstGradientError(model, x, x.map((s) => s.map(() => [random.normal()])));
  });
});

describe('masking layer and the loss', () => {
  const lengths = [4, 2, 3];
  /** Sequences of the lengths, right-padded with zero steps to 4. */
  function zeroPadded(random: Random): number[][][] {
    return randomSequences(random, 3, lengths, 2).map((s) => [...s, ...Array.from({ length: 4 - s.length }, () => [0, 0])]);
  }

  it.each([['sparseCategoricalCrossentropy'], ['meanSquaredError'], ['binaryCrossentropy']] as const)(
    'a per-step %s skips the steps the masking layer masks, as Keras: zero-padded steps give the loss and gradients of sampleLengths',
    (loss) => {
      const units = loss === 'sparseCategoricalCrossentropy' ? 3 : 2;
      const activation = loss === 'sparseCategoricalCrossentropy' ? 'softmax' : loss === 'binaryCrossentropy' ? 'sigmoid' : 'linear';
      const model = model64([
        layers.masking({ inputShape: [null, 2] }),
        layers.gru({ units: 3, returnSequences: true }),
        layers.dense({ units, activation }),
      ], loss);
      const random = new Random(17);
      const x = zeroPadded(random);
      const y = x.map((s) => s.map(() => (loss === 'sparseCategoricalCrossentropy' ? random.int(3) : [random.int(2), random.next()])));
      const byMaskingLayer = batchGradients(model, tensor(x), y);
      const byLengths = batchGradients(model, tensor(x), y, { sampleLengths: lengths });
      expect(byMaskingLayer.loss).toBe(byLengths.loss);
      expect(byMaskingLayer.grads).toEqual(byLengths.grads);
      worstGradientError(model, tensor(x), y);
    },
  );
});
