import { describe, expect, it, vi } from 'vitest';
import { OptionError, ShapeError, StateError, ValueError } from '../../src/errors.js';
import { layers } from '../../src/model/layer-specs.js';
import { sequential } from '../../src/model/sequential.js';
import { Random } from '../../src/random.js';
import { tensor } from '../../src/tensor.js';
import { expectClose } from '../helpers/close.js';
import { BACKENDS, createRuntime } from '../helpers/runtimes.js';
import { randomSequences } from './helpers.js';

/*
 * Streaming: model.step(x_t) carries the recurrent state between calls and gives, step by step,
 * what predict gives over the whole sequence. Step-at-a-time runs the input GEMMs on B rows
 * instead of T·B, which may sum in another order, hence a float tolerance rather than equality.
 */
const TOL = { abs: 2e-6, rel: 1e-5 };

describe.each(BACKENDS)('streaming on %s', (backend) => {
  const runtime = createRuntime(backend);

  it('step by step equals predict over the whole sequence (LSTM → GRU → dense, batch of 3)', () => {
    const model = sequential([
      layers.lstm({ units: 5, returnSequences: true, inputShape: [null, 2] }),
      layers.gru({ units: 4, returnSequences: true }),
      layers.dense({ units: 3, activation: 'tanh' }),
    ], { runtime, seed: 1 });
    const x = randomSequences(new Random(2), 3, 7, 2);
    const full = model.predict(x).data;
    for (let t = 0; t < 7; t++) {
      const y = model.step(x.map((s) => s[t]!));
      expect(y.shape).toEqual([3, 3]);
      const expected = [0, 1, 2].flatMap((b) => Array.from(full.subarray((b * 7 + t) * 3, (b * 7 + t + 1) * 3)));
      expectClose(y.data, expected, TOL, `step ${t}`);
    }
  });

  it('a many-to-one model streams the output it would give for each prefix', () => {
    const model = sequential([layers.simpleRNN({ units: 6, inputShape: [null, 1] }), layers.dense({ units: 2 })], { runtime, seed: 3 });
    const x = randomSequences(new Random(4), 1, 5, 1)[0]!;
    for (let t = 0; t < 5; t++) {
      const y = model.step(x[t]!);
      expect(y.shape).toEqual([2]);
      expectClose(y.data, model.predict([x.slice(0, t + 1)]).data, TOL, `prefix ${t + 1}`);
    }
  });

  it('token ids: a number or [B] ids; an id 0 with maskZero keeps the state', () => {
    const model = sequential([
      layers.embedding({ inputDim: 6, outputDim: 3, maskZero: true }),
      layers.lstm({ units: 4 }),
      layers.dense({ units: 6, activation: 'softmax' }),
    ], { runtime, seed: 5 });
    const ids = [3, 1, 4, 5];
    let last = model.step(ids[0]!);
    for (const id of ids.slice(1)) last = model.step(id);
    expectClose(last.data, model.predict([ids]).data, TOL, 'ids');
    model.resetState();
    model.step(3);
    model.step(0);
    model.step(1);
    model.step(0);
    const masked = model.step([4]);
    expect(masked.shape).toEqual([1, 6]);
    expectClose(masked.data, model.predict([[3, 1, 4]]).data, TOL, 'padding ids skipped');
  });

  it('resetState starts new sequences; the batch size is fixed until then', () => {
    const model = sequential([layers.gru({ units: 3, inputShape: [null, 2] })], { runtime, seed: 6 });
    const first = model.step([[0.5, -1]]).data;
    const second = model.step([[0.5, -1]]).data;
    expect(Array.from(second)).not.toEqual(Array.from(first));
    expect(() => model.step([[1, 2], [3, 4]])).toThrow(StateError);
    expect(() => model.step([[1, 2], [3, 4]])).toThrow(/holds the state of 1 sequence.*resetState/);
    model.resetState();
    expect(Array.from(model.step(tensor([[0.5, -1]])).data)).toEqual(Array.from(first));
    model.resetState();
    expect(model.step([[1, 2], [3, 4]]).shape).toEqual([2, 3]);
  });

  it('fit, predict and generate leave the streaming state alone', async () => {
    const model = sequential([layers.lstm({ units: 4, returnSequences: true, inputShape: [null, 1] }), layers.dense({ units: 1 })], { runtime, seed: 7 });
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = [[0.3], [-0.2], [0.9]];
    const reference = sequential([layers.lstm({ units: 4, returnSequences: true, inputShape: [null, 1] }), layers.dense({ units: 1 })], { runtime, seed: 7 });
    model.step(x[0]!);
    reference.step(x[0]!);
    model.predict([[[1], [2]]]);
    model.generate({ seed: [[0.1]], steps: 3 });
    expectClose(model.step(x[1]!).data, reference.step(x[1]!).data, { abs: 0, rel: 0 }, 'after predict and generate');
    await model.fit([x], [[[0], [0], [0]]], { epochs: 1 });
    expect(model.predict([[[0.5]]]).data[0]).not.toBe(reference.predict([[[0.5]]]).data[0]);
  });

  it('refuses inputs of the wrong shape or values, bidirectional and vector-input models', () => {
    const model = sequential([layers.lstm({ units: 2, inputShape: [null, 3] })], { runtime, seed: 1 });
    expect(() => model.step([1, 2])).toThrow(ShapeError);
    expect(() => model.step([[1, 2, 3], [4, 5]])).toThrow(/x\[1\]/);
    expect(() => model.step([1, Number.NaN, 3])).toThrow(ValueError);
    const ids = sequential([layers.embedding({ inputDim: 4, outputDim: 2 }), layers.gru({ units: 2 })], { runtime, seed: 1 });
    expect(() => ids.step(4)).toThrow(/integer in \[0, 4\)/);
    expect(() => ids.step(1.5)).toThrow(ValueError);
    const bi = sequential([layers.bidirectional({ layer: layers.lstm({ units: 2 }), inputShape: [null, 1] })], { runtime, seed: 1 });
    expect(() => bi.step([1])).toThrow(OptionError);
    expect(() => bi.step([1])).toThrow(/bidirectional/);
    const vector = sequential([layers.dense({ units: 2, inputShape: [3] })], { runtime, seed: 1 });
    expect(() => vector.step([1, 2, 3])).toThrow(/not a sequence/);
  });

  it('one forward of one step per call', () => {
    const model = sequential([layers.gru({ units: 3, returnSequences: true, inputShape: [null, 1] })], { runtime, seed: 2 });
    const forward = vi.spyOn(model, 'forwardBatch');
    model.step([1]);
    model.step([2]);
    expect(forward.mock.calls.map((call) => call[1])).toEqual([1, 1]);
  });
});
