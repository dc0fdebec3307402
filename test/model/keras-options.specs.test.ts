import { describe, expect, it } from 'vitest';
import { OptionError, ShapeError, ValueError } from '../../src/errors.js';
import { modelFromJSON } from '../../src/io/save-load.js';
import { createWasmRuntime } from '../../src/kernels/runtime.js';
import { layerFromSpec, layers, type LayerSpec } from '../../src/model/layer-specs.js';
import { Sequential, sequential } from '../../src/model/sequential.js';
import { Random } from '../../src/random.js';
import { tensor } from '../../src/tensor.js';
import { expectClose } from '../helpers/close.js';
import { randomSequences } from './helpers.js';

/* Options, errors, shapes, summary and save/load of goBackwards, merge modes, masking and timeDistributed. */

const runtime = createWasmRuntime();

describe('the Keras options as specs', () => {
  it('goBackwards is in the config only when true, so configs saved before it stay the same', () => {
    expect(layers.lstm({ units: 2, goBackwards: true }).config.goBackwards).toBe(true);
    expect(layers.gru({ units: 2 }).config).not.toHaveProperty('goBackwards');
    expect(layers.simpleRNN({ units: 2, goBackwards: false }).config).not.toHaveProperty('goBackwards');
    expect(() => layers.lstm({ units: 2, goBackwards: 1 as never })).toThrow(/layers.lstm: goBackwards must be true or false, got 1/);
  });

  it('bidirectional takes the four merge modes and refuses a wrapped layer that already goes backwards', () => {
    for (const mergeMode of ['concat', 'sum', 'mul', 'ave'] as const) expect(layers.bidirectional({ layer: layers.lstm({ units: 2 }), mergeMode }).config.mergeMode).toBe(mergeMode);
    expect(() => layers.bidirectional({ layer: layers.lstm({ units: 2 }), mergeMode: 'max' as never })).toThrow(/mergeMode must be one of 'concat', 'sum', 'mul', 'ave', got "max"/);
    expect(() => layers.bidirectional({ layer: layers.lstm({ units: 2 }), mergeMode: null as never })).toThrow(OptionError);
    expect(() => layers.bidirectional({ layer: layers.gru({ units: 2, goBackwards: true }) })).toThrow(/the wrapped layer has goBackwards: true/);
  });

  it('masking: maskValue defaults to 0 and must be a finite number', () => {
    expect(layers.masking({}).config).toEqual({ maskValue: 0 });
    expect(layers.masking({ maskValue: -1, inputShape: [null, 3] })).toEqual({ className: 'Masking', config: { inputShape: [null, 3], maskValue: -1 } });
    expect(() => layers.masking({ maskValue: Number.NaN })).toThrow(ValueError);
    expect(() => layers.masking({ maskValue: '0' as never })).toThrow(/layers.masking: maskValue must be a finite number, got "0"/);
    expect(() => layers.masking({ maskvalue: 0 } as never)).toThrow(/unknown option 'maskvalue' \(did you mean 'maskValue'\?\)/);
  });

  it('timeDistributed(dense) is the dense spec itself, with the wrapper name and inputShape', () => {
    expect(layers.timeDistributed({ layer: layers.dense({ units: 3, activation: 'softmax' }), name: 'td', inputShape: [null, 4] }))
      .toEqual(layers.dense({ units: 3, activation: 'softmax', name: 'td', inputShape: [null, 4] }));
    expect(() => layers.timeDistributed({ layer: layers.lstm({ units: 3 }) as never })).toThrow(/layer must be a dense layer spec/);
    expect(() => layers.timeDistributed({ layer: layers.dense({ units: 3 }), inputShape: [4] })).toThrow(/inputShape must be \[timeSteps \| null, features\]/);
  });

  it('specs survive JSON and are re-checked by layerFromSpec', () => {
    const specs: LayerSpec[] = [
      layers.masking({ maskValue: 2, inputShape: [null, 3] }),
      layers.lstm({ units: 2, goBackwards: true, returnSequences: true }),
      layers.bidirectional({ layer: layers.gru({ units: 2 }), mergeMode: 'mul' }),
    ];
    for (const spec of specs) expect(layerFromSpec('test', JSON.parse(JSON.stringify(spec)))).toEqual(spec);
    expect(() => layerFromSpec('test', { className: 'Masking', config: { maskValue: 'x' } })).toThrow(ValueError);
  });
});

describe('shapes and summary', () => {
  it('merge modes other than concat give units features; masking keeps the shape', () => {
    const model = sequential([
      layers.masking({ inputShape: [5, 3] }),
      layers.bidirectional({ layer: layers.lstm({ units: 4, returnSequences: true }), mergeMode: 'sum' }),
      layers.bidirectional({ layer: layers.gru({ units: 2 }), mergeMode: 'ave' }),
    ], { runtime });
    expect(model.layers.map(({ output: { sequence, steps, features } }) => [sequence, steps, features])).toEqual([[true, 5, 3], [true, 5, 4], [false, null, 2]]);
    const text = model.summary({ print: false });
    expect(text).toContain('masking (Masking)');
    expect(text).toMatch(/bidirectional \(Bidirectional\(LSTM\)\)\s+\(None, 5, 4\)\s+288/);
    expect(text).toMatch(/bidirectional_1 \(Bidirectional\(GRU\)\)\s+\(None, 2\)\s+96/);
    model.dispose();
  });

  it('masking needs sequences: a typed error names the layer', () => {
    expect(() => sequential([layers.masking({ inputShape: [3] })], { runtime })).toThrow(ShapeError);
    expect(() => sequential([layers.masking({})], { runtime })).toThrow(/layer 0 \(masking\) is the first layer and needs inputShape/);
    expect(() => sequential([layers.lstm({ units: 2, inputShape: [null, 3] }), layers.masking({})], { runtime }))
      .toThrow(/layer 1 \(masking\) masks time steps and expects sequences .* layer 0 \(lstm\) returns only its last step: set returnSequences: true on it/);
  });
});

describe('zeroOutputForMask (Keras; tfjs has no such option)', () => {
  /** Masking → the given recurrent layer (per step), on x with a masked step at (0, 1) and (1, 3). */
  function run(layer: LayerSpec): { out: Float32Array; x: number[][][] } {
    const model = sequential([layers.masking({ inputShape: [4, 2] }), layer], { runtime, seed: 9 });
    const x = randomSequences(new Random(8), 2, 4, 2);
    x[0]![1] = [0, 0];
    x[1]![3] = [0, 0];
    const out = model.predict(tensor(x)).data;
    model.dispose();
    return { out, x };
  }

  it('zeros the per-step outputs of masked steps and leaves the others as they were', () => {
    const carried = run(layers.lstm({ units: 3, returnSequences: true })).out;
    const zeroed = run(layers.lstm({ units: 3, returnSequences: true, zeroOutputForMask: true })).out;
    const masked = (n: number, t: number) => (n === 0 && t === 1) || (n === 1 && t === 3);
    for (let n = 0; n < 2; n++) {
      for (let t = 0; t < 4; t++) {
        const at = (n * 4 + t) * 3;
        expect(Array.from(zeroed.subarray(at, at + 3))).toEqual(masked(n, t) ? [0, 0, 0] : Array.from(carried.subarray(at, at + 3)));
      }
    }
    expect(Array.from(carried.subarray(3, 6))).toEqual(Array.from(carried.subarray(0, 3)));
  });

  it('with goBackwards the zeros sit where the reversed mask is 0 (Keras: output step t reads input step T − 1 − t)', () => {
    const zeroed = run(layers.gru({ units: 2, returnSequences: true, goBackwards: true, zeroOutputForMask: true })).out;
    const zeroRows = Array.from({ length: 8 }, (_, row) => row).filter((row) => zeroed[row * 2] === 0 && zeroed[row * 2 + 1] === 0);
    expect(zeroRows).toEqual([2, 4]);
  });

  it('is in the config only when true', () => {
    expect(layers.lstm({ units: 2 }).config).not.toHaveProperty('zeroOutputForMask');
    expect(layers.lstm({ units: 2, zeroOutputForMask: true }).config.zeroOutputForMask).toBe(true);
    expect(() => layers.gru({ units: 2, zeroOutputForMask: 'yes' as never })).toThrow(/zeroOutputForMask must be true or false/);
  });
});

describe('goBackwards where sequences run forward in pieces', () => {
  it('step() and truncated BPTT refuse it with a typed error naming the layer', async () => {
    const model = sequential([layers.gru({ units: 2, goBackwards: true, returnSequences: true, inputShape: [null, 1] }), layers.dense({ units: 1 })], { runtime });
    expect(() => model.step([0.5])).toThrow(/layer 0 \(gru\) has goBackwards: true: it reads the sequence from its end, so it cannot run one step at a time/);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    await expect(model.fit([[[1], [2]]], [[[1], [2]]], { tbptt: { k1: 1 }, verbose: 0 })).rejects.toThrow(/tbptt carries state forward in time, but layer 0 \(gru\) has goBackwards: true/);
    model.dispose();
  });
});

describe('masking while streaming', () => {
  it('step() over a sequence with masked steps equals predict over it', () => {
    const model = sequential([layers.masking({ maskValue: -1, inputShape: [null, 2] }), layers.gru({ units: 3, returnSequences: true }), layers.dense({ units: 2 })], { runtime, seed: 2 });
    const x = randomSequences(new Random(4), 1, 5, 2)[0]!;
    x[2] = [-1, -1];
    const whole = model.predict(tensor([x])).data;
    const stepped = x.flatMap((step) => Array.from(model.step(step).data));
    // The GEMMs see 1 row instead of 5: the same sums, perhaps in another order.
    expectClose(stepped, whole, { abs: 1e-6, rel: 1e-5 }, 'outputs');
    model.dispose();
  });
});

describe('save and load', () => {
  it('a model with every new option predicts the same after toJSON → modelFromJSON', () => {
    const model = sequential([
      layers.masking({ maskValue: 0, inputShape: [null, 2] }),
      layers.lstm({ units: 3, goBackwards: true, returnSequences: true }),
      layers.bidirectional({ layer: layers.gru({ units: 2, returnSequences: true }), mergeMode: 'ave' }),
      layers.timeDistributed({ layer: layers.dense({ units: 2, activation: 'softmax' }) }),
    ], { runtime, seed: 4 });
    const x = randomSequences(new Random(3), 3, 5, 2);
    x[1]![2] = [0, 0];
    const loaded = modelFromJSON(JSON.parse(JSON.stringify(model.toJSON())), { runtime }) as Sequential;
    expect(loaded.layers.map((l) => l.spec)).toEqual(model.layers.map((l) => l.spec));
    expect(loaded.predict(tensor(x)).data).toEqual(model.predict(tensor(x)).data);
    model.dispose();
    loaded.dispose();
  });
});
