import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from '../../src/errors.js';
import { layers } from '../../src/model/layer-specs.js';
import { sequential } from '../../src/model/sequential.js';
import { Random } from '../../src/random.js';
import { tensor } from '../../src/tensor.js';
import { expectClose } from '../helpers/close.js';
import { BACKENDS, createRuntime } from '../helpers/runtimes.js';
import { randomSequences } from './helpers.js';

describe.each(BACKENDS)('predict and evaluate on %s', (backend) => {
  const runtime = createRuntime(backend);
  const random = new Random(12);
  const lengths = [5, 2, 4, 1, 3];
  const x = randomSequences(random, 5, lengths, 2);

  const tagger = () => {
    const model = sequential([
      layers.lstm({ units: 5, returnSequences: true, inputShape: [null, 2] }),
      layers.dense({ units: 3, activation: 'softmax' }),
    ], { runtime, seed: 4 });
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    return model;
  };

  it('per-step predictions of a ragged batch: [N, T, units], zeros at padded steps, independent of batching', () => {
    const model = tagger();
    const all = model.predict(x);
    expect(all.shape).toEqual([5, 5, 3]);
    lengths.forEach((length, n) => {
      for (let t = 0; t < 5; t++) {
        const row = Array.from(all.data.subarray((n * 5 + t) * 3, (n * 5 + t + 1) * 3));
        if (t >= length) expect(row).toEqual([0, 0, 0]);
        else expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      }
      const alone = model.predict([x[n]!]);
      expectClose(alone.data, all.data.subarray(n * 15, n * 15 + length * 3), { abs: 1e-6, rel: 1e-5 }, `sequence ${n}`);
    });
    expectClose(model.predict(x, { batchSize: 2 }).data, all.data, { abs: 1e-6, rel: 1e-5 }, 'batchSize 2');
  });

  it('evaluate: accuracy over real steps only, matching the argmax of predict', () => {
    const model = tagger();
    const y = x.map((s) => s.map(() => random.int(3)));
    const p = model.predict(x).data;
    let correct = 0;
    let total = 0;
    y.forEach((steps, n) => steps.forEach((label, t) => {
      const row = Array.from(p.subarray((n * 5 + t) * 3, (n * 5 + t + 1) * 3));
      correct += row.indexOf(Math.max(...row)) === label ? 1 : 0;
      total++;
    }));
    const logs = model.evaluate(x, y, { batchSize: 2 });
    expect(logs.accuracy).toBeCloseTo(correct / total, 12);
    let loss = 0;
    y.forEach((steps, n) => steps.forEach((label, t) => (loss -= Math.log(p[(n * 5 + t) * 3 + label]!))));
    expectClose([logs.loss!], [loss / total], { abs: 1e-6, rel: 1e-5 }, 'loss');
  });

  it('evaluate: mae, mse and rmse of a regression, and binary accuracy', () => {
    const model = sequential([layers.gru({ units: 4, inputShape: [null, 2] }), layers.dense({ units: 2, activation: 'sigmoid' })], { runtime, seed: 5 });
    model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae', 'meanSquaredError', 'rmse', 'accuracy'] });
    const y = x.map(() => [random.next(), random.next()]);
    const p = model.predict(x).data;
    const d = y.flat().map((v, i) => p[i]! - v);
    const mse = d.reduce((a, v) => a + v * v, 0) / d.length;
    const logs = model.evaluate(x, y);
    expectClose([logs.loss!, logs.mae!, logs.meanSquaredError!, logs.rmse!], [mse, d.reduce((a, v) => a + Math.abs(v), 0) / d.length, mse, Math.sqrt(mse)], { abs: 1e-6, rel: 1e-5 }, 'metrics');
    expect(Object.keys(logs)).toEqual(['loss', 'mae', 'meanSquaredError', 'rmse', 'accuracy']);
    // MSE with 2 outputs: accuracy compares argmaxes (tfjs' choice for 'accuracy' with multi-output MSE).
    const hits = y.filter((t, n) => (t[0]! > t[1]!) === (p[n * 2]! > p[n * 2 + 1]!)).length;
    expect(logs.accuracy).toBeCloseTo(hits / 5, 12);
  });

  it('binaryCrossentropy: predict returns probabilities; accuracy thresholds them at 0.5', () => {
    const model = sequential([layers.simpleRNN({ units: 3, inputShape: [null, 2] }), layers.dense({ units: 1, activation: 'sigmoid' })], { runtime, seed: 6 });
    model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['acc'] });
    const y = [1, 0, 1, 1, 0];
    const p = Array.from(model.predict(x).data);
    expect(p.every((v) => v > 0 && v < 1)).toBe(true);
    const logs = model.evaluate(x, y);
    expect(logs.acc).toBeCloseTo(y.filter((t, i) => (p[i]! > 0.5 ? 1 : 0) === t).length / 5, 12);
    const bce = -y.reduce((a, t, i) => a + t * Math.log(p[i]!) + (1 - t) * Math.log(1 - p[i]!), 0) / 5;
    expectClose([logs.loss!], [bce], { abs: 1e-6, rel: 1e-5 }, 'loss');
  });

  it('masks from sampleLengths and mask options, and for vector models none', () => {
    const model = tagger();
    const padded = tensor(x.map((s) => [...s, ...Array.from({ length: 5 - s.length }, () => [0, 0])]));
    expect(model.predict(padded, { sampleLengths: lengths }).data).toEqual(model.predict(x).data);
    const mask = lengths.map((l) => [0, 1, 2, 3, 4].map((t) => (t < l ? 1 : 0)));
    expect(model.predict(padded, { mask }).data).toEqual(model.predict(x).data);
    expect(() => model.predict(padded, { mask: [[1, 0.5, 0, 0, 0]] })).toThrow(ShapeError);
    expect(() => model.predict(padded, { mask: mask.map((m) => m.map((v) => v * 2)) })).toThrow(/mask values must be 0 or 1, but mask\[0\]\[0\] is 2/);
    expect(() => model.predict(padded, { sampleLengths: [5, 2, 0, 1, 3] })).toThrow(/sampleLengths\[2\] must be an integer in \[1, 5\]/);
    expect(() => model.predict(x, { sampleLengths: lengths })).toThrow(/x is ragged .* omit sampleLengths/);
    const mlp = sequential([layers.dense({ units: 2, activation: 'relu', inputShape: [3] }), layers.dense({ units: 1 })], { runtime, seed: 1 });
    expect(mlp.predict([[1, 2, 3], [4, 5, 6]]).shape).toEqual([2, 1]);
    expect(() => mlp.predict([[1, 2, 3]], { sampleLengths: [1] })).toThrow(/apply to sequence inputs/);
  });

  it('embedding models read ids: [N, T] or [N, T, 1], checked against inputDim', () => {
    const model = sequential([layers.embedding({ inputDim: 4, outputDim: 2, maskZero: true }), layers.gru({ units: 2, returnSequences: true }), layers.dense({ units: 1 })], { runtime, seed: 2 });
    const ids = [[1, 2, 3, 0], [3, 0, 0, 0]];
    const out = model.predict(ids);
    expect(out.shape).toEqual([2, 4, 1]);
    // Ids 0 are steps the model skips, not missing data: the GRU carries its state through them and
    // the Dense repeats step 0's output there (Keras and tfjs return the same).
    const carried = out.data[4]!;
    expect(carried).not.toBe(0);
    expect(Array.from(out.data.subarray(4, 8))).toEqual([carried, carried, carried, carried]);
    // Steps the data does not have (a shorter ragged row) are zeros.
    expect(Array.from(model.predict([[1, 2, 3, 0], [3, 0]]).data.subarray(4, 8))).toEqual([carried, carried, 0, 0]);
    expect(Array.from(model.predict(ids, { mask: [[1, 1, 1, 1], [1, 1, 0, 0]] }).data.subarray(4, 8))).toEqual([carried, carried, 0, 0]);
    expect(model.predict(tensor(ids.map((r) => r.map((v) => [v])))).data).toEqual(out.data);
    expect(() => model.predict([[1, 4]])).toThrow(ValueError);
    expect(() => model.predict([[1, 4]])).toThrow(/x holds ids for the embedding, integers in \[0, 4\) \(inputDim = 4\), but x\[0\]\[1\] is 4/);
    expect(() => model.predict([[1.5]])).toThrow(/is 1.5/);
    expect(() => model.predict([[0, 0]])).toThrow(/sample 0 has no real step \(its ids are all 0 with maskZero\)/);
  });

  it('maskZero: per-step losses leave ids 0 out, as the same steps given by a mask option; predict differs only there', () => {
    const model = (maskZero: boolean) => {
      const m = sequential([layers.embedding({ inputDim: 5, outputDim: 3, maskZero }), layers.lstm({ units: 4, returnSequences: true }), layers.dense({ units: 3, activation: 'softmax' })], { runtime, seed: 9 });
      m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      return m;
    };
    const ids = [[0, 2, 0, 4, 1, 0], [3, 3, 0, 0, 0, 0], [1, 2, 3, 4, 1, 2]];
    const y = [[0, 1, 2, 0, 1, 2], [2, 1, 0, 0, 0, 0], [1, 1, 2, 2, 0, 0]];
    const mask = ids.map((row) => row.map((id) => (id === 0 ? 0 : 1)));
    const [zero, explicit] = [model(true), model(false)];
    expect(zero.evaluate(ids, y)).toEqual(explicit.evaluate(ids, y, { mask }));
    const skipped = zero.predict(ids);
    const missing = explicit.predict(ids, { mask });
    for (let i = 0; i < mask.flat().length; i++) {
      const row = Array.from(skipped.data.subarray(i * 3, i * 3 + 3));
      if (mask.flat()[i] === 1) expect(row).toEqual(Array.from(missing.data.subarray(i * 3, i * 3 + 3)));
      else expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5); // a softmax over the carried state, not zeros
    }
  });

  it('fixed inputShape steps are enforced', () => {
    const model = sequential([layers.lstm({ units: 2, inputShape: [3, 1] })], { runtime, seed: 1 });
    expect(model.predict([[[1], [2], [3]]]).shape).toEqual([1, 2]);
    expect(() => model.predict(tensor([[[1], [2]]]))).toThrow(/x must have shape \[samples, 3, 1\]/);
    expect(() => model.predict([[[1], [2], [3], [4]]])).toThrow(/x\[0\] has 4 steps, but the model's inputShape fixes timeSteps = 3/);
  });

  it('per-step targets must match their sequences', () => {
    const model = tagger();
    const y = x.map((s) => s.map(() => 1));
    y[1] = [1, 1, 1];
    expect(() => model.evaluate(x, y)).toThrow(/y\[1\] has 3 steps but x\[1\] has 2 real steps/);
  });
});
