import { describe, expect, it } from 'vitest';
import { OptionError, StateError } from '../../src/errors.js';
import { createWasmRuntime } from '../../src/kernels/runtime.js';
import { layers } from '../../src/model/layer-specs.js';
import { sequential } from '../../src/model/sequential.js';
import { Random } from '../../src/random.js';
import { optimizers } from '../../src/train/optimizers.js';
import { expectClose } from '../helpers/close.js';
import { batchGradients, randomSequences } from './helpers.js';

const runtime = createWasmRuntime();

function classifier(activation: 'softmax' | 'linear' | 'relu' | 'sigmoid' = 'softmax', units = 3) {
  return sequential([layers.gru({ units: 4, inputShape: [null, 2] }), layers.dense({ units, activation })], { runtime, seed: 2 });
}

const random = new Random(9);
const x = randomSequences(random, 6, 3, 2);
const ids = [0, 2, 1, 1, 0, 2];

function flat(dict: Record<string, { data: Float32Array }>): number[] {
  return Object.values(dict).flatMap((t) => Array.from(t.data));
}

describe('compile options', () => {
  it('needs optimizer and loss, and names unknown options with a did-you-mean', () => {
    const model = classifier();
    expect(() => model.compile({ loss: 'sparseCategoricalCrossentropy' } as never)).toThrow(/optimizer is required/);
    expect(() => model.compile({ optimizer: 'adam' } as never)).toThrow(/loss is required/);
    expect(() => model.compile({ optimizer: 'adam', loss: 'mse', metric: ['accuracy'] } as never)).toThrow(/unknown option 'metric' \(did you mean 'metrics'\?\)/);
    expect(() => model.compile({ optimizer: 'adamm' as never, loss: 'mse' })).toThrow(/optimizer must be one of .* \(did you mean 'adam'\?\)/);
    expect(() => model.compile({ optimizer: 'adam', loss: 'crossentropy' as never })).toThrow(OptionError);
  });

  it('accepts every optimizer name and optimizer objects', () => {
    const model = classifier();
    for (const name of ['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad'] as const) {
      model.compile({ optimizer: name, loss: 'sparseCategoricalCrossentropy' });
      expect(model.optimizer!.name).toBe(name);
    }
    const adam = optimizers.adam({ learningRate: 0.05 });
    model.compile({ optimizer: adam, loss: 'sparseCategoricalCrossentropy' });
    expect(model.optimizer).toBe(adam);
  });

  it('applies the optimizer to every parameter in one step (sgd: w − lr·g)', async () => {
    const model = classifier();
    model.compile({ optimizer: optimizers.sgd({ learningRate: 0.5 }), loss: 'sparseCategoricalCrossentropy' });
    const before = flat(model.stateDict());
    const { grads } = batchGradients(model, x, ids);
    await model.fit(x, ids, { epochs: 1, batchSize: 6, shuffle: false });
    const g = Object.values(grads).flatMap((v) => Array.from(v));
    expectClose(flat(model.stateDict()), before.map((w, i) => w - 0.5 * g[i]!), { abs: 1e-7, rel: 1e-6 }, 'weights');
  });

  it('checks the final layer against a cross-entropy loss', () => {
    expect(() => classifier('relu').compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' }))
      .toThrow(/loss 'sparseCategoricalCrossentropy' needs the last layer to be a dense layer with activation 'softmax' \(or 'linear' for logits\), but layer 1 \(dense\) has activation 'relu'/);
    expect(() => classifier('softmax').compile({ optimizer: 'adam', loss: 'binaryCrossentropy' })).toThrow(/activation 'sigmoid'/);
    expect(() => classifier('softmax', 1).compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' })).toThrow(/needs at least 2 classes/);
    const rnnLast = sequential([layers.lstm({ units: 2, inputShape: [null, 1] })], { runtime, seed: 1 });
    expect(() => rnnLast.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' })).toThrow(/but layer 0 \(lstm\) is a LSTM/);
    expect(() => rnnLast.compile({ optimizer: 'adam', loss: 'mse' })).not.toThrow();
    expect(() => classifier('linear').compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' })).not.toThrow();
  });

  it('linear logits and softmax train identically; predict applies the softmax only for softmax', async () => {
    const [logits, softmax] = (['linear', 'softmax'] as const).map((activation) => {
      const model = classifier(activation);
      model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
      return model;
    });
    const a = await logits!.fit(x, ids, { epochs: 2, batchSize: 3, seed: 1 });
    const b = await softmax!.fit(x, ids, { epochs: 2, batchSize: 3, seed: 1 });
    expect(b.history.loss).toEqual(a.history.loss);
    const z = logits!.predict(x).data;
    const p = softmax!.predict(x).data;
    for (let r = 0; r < 6; r++) {
      const row = Array.from(z.subarray(r * 3, r * 3 + 3), Math.exp);
      const sum = row.reduce((s, v) => s + v, 0);
      expectClose(p.subarray(r * 3, r * 3 + 3), row.map((v) => v / sum), { abs: 1e-6, rel: 1e-5 }, 'softmax');
    }
  });

  it('validates metrics against the loss', () => {
    const model = classifier();
    expect(() => model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy', 'mae'] }))
      .toThrow(/metric 'mae' compares predictions with targets of the same shape/);
    expect(() => model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['acuracy'] })).toThrow(/did you mean 'accuracy'/);
    expect(() => model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae', 'mae'] })).toThrow(/listed twice/);
    expect(() => model.compile({ optimizer: 'adam', loss: 'mse', metrics: 'mae' as never })).not.toThrow();
  });

  it('checks clipNorm and clipValue', () => {
    const model = classifier();
    expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', clipNorm: 0 })).toThrow(/clipNorm must be a finite number > 0, got 0/);
    expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', clipValue: -1 })).toThrow(/clipValue must be a finite number > 0/);
  });

  it('clipNorm scales the update to the norm; onBatchEnd reports the norm before clipping', async () => {
    const model = classifier();
    model.compile({ optimizer: optimizers.sgd({ learningRate: 1 }), loss: 'sparseCategoricalCrossentropy', clipNorm: 1e-3 });
    const { grads } = batchGradients(model, x, ids);
    const norm = Math.sqrt(Object.values(grads).reduce((s, g) => s + g.reduce((a, v) => a + v * v, 0), 0));
    expect(norm).toBeGreaterThan(1e-2);
    const before = flat(model.stateDict());
    const reported: number[] = [];
    await model.fit(x, ids, { epochs: 1, batchSize: 6, shuffle: false, callbacks: { onBatchEnd: (_b, logs) => void reported.push(logs.gradNorm) } });
    expectClose(reported, [norm], { abs: 0, rel: 1e-5 }, 'gradNorm');
    const after = flat(model.stateDict());
    const step = Math.sqrt(after.reduce((s, w, i) => s + (w - before[i]!) ** 2, 0));
    expectClose([step], [1e-3], { abs: 0, rel: 1e-3 }, 'update norm');
  });

  it('clipValue clips each gradient element', async () => {
    const model = classifier();
    model.compile({ optimizer: optimizers.sgd({ learningRate: 1 }), loss: 'sparseCategoricalCrossentropy', clipValue: 1e-3 });
    const g = Object.values(batchGradients(model, x, ids).grads).flatMap((v) => Array.from(v));
    expect(g.some((v) => Math.abs(v) > 1e-3)).toBe(true);
    const before = flat(model.stateDict());
    await model.fit(x, ids, { epochs: 1, batchSize: 6, shuffle: false });
    const expected = before.map((w, i) => w - Math.min(Math.max(g[i]!, -1e-3), 1e-3));
    expectClose(flat(model.stateDict()), expected, { abs: 1e-7, rel: 1e-6 }, 'weights');
  });

  it('fit and evaluate need compile; predict does not', async () => {
    const model = classifier();
    await expect(model.fit(x, ids)).rejects.toThrow(StateError);
    await expect(model.fit(x, ids)).rejects.toThrow(/the model is not compiled; call model.compile/);
    expect(() => model.evaluate(x, ids)).toThrow(StateError);
    expect(model.predict(x).shape).toEqual([6, 3]);
  });

  it('recompiling replaces the loss and metrics', () => {
    const model = classifier();
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    expect(Object.keys(model.evaluate(x, ids))).toEqual(['loss', 'accuracy']);
    model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae', 'rmse'] });
    const onehot = ids.map((c) => [0, 1, 2].map((j) => (j === c ? 1 : 0)));
    expect(Object.keys(model.evaluate(x, onehot))).toEqual(['loss', 'mae', 'rmse']);
  });
});
