import { describe, expect, it } from 'vitest';
import { OptionError, ShapeError, StateError, ValueError } from '../../src/errors.js';
import { createWasmRuntime } from '../../src/kernels/runtime.js';
import { layers } from '../../src/model/layer-specs.js';
import { Sequential, sequential } from '../../src/model/sequential.js';

const runtime = createWasmRuntime();

describe('layers.* factories', () => {
  it('fill in Keras defaults and stay JSON-serialisable', () => {
    const spec = layers.lstm({ units: 8, inputShape: [null, 3] });
    expect(spec).toEqual({
      className: 'LSTM',
      config: {
        inputShape: [null, 3], units: 8, activation: 'tanh', recurrentActivation: 'sigmoid', returnSequences: false,
        returnState: false, useBias: true, unitForgetBias: true, dropout: 0,
      },
    });
    expect(layers.gru({ units: 2 }).config.resetAfter).toBe(true);
    expect(layers.dense({ units: 2 }).config).toEqual({ units: 2, activation: 'linear', useBias: true });
    expect(layers.simpleRNN({ units: 2 }).config).not.toHaveProperty('recurrentActivation');
    expect(layers.embedding({ inputDim: 10, outputDim: 4, inputLength: 7 }).config).toEqual({ inputShape: [7], inputDim: 10, outputDim: 4, maskZero: false });
    expect(Object.isFrozen(spec) && Object.isFrozen(spec.config)).toBe(true);
  });

  it('reject unknown options with a did-you-mean, and Keras options that are not implemented with the reason', () => {
    expect(() => layers.lstm({ unit: 4 } as never)).toThrow(OptionError);
    expect(() => layers.lstm({ unit: 4 } as never)).toThrow(/unknown option 'unit' \(did you mean 'units'\?\)/);
    expect(() => layers.gru({ units: 4, recurrentDropout: 0.1 } as never)).toThrow(/option 'recurrentDropout' is not supported: recurrent dropout is not implemented/);
    expect(() => layers.simpleRNN({ units: 4, recurrentActivation: 'sigmoid' } as never)).toThrow(/unknown option 'recurrentActivation'/);
  });

  it('check values and name the option', () => {
    expect(() => layers.dense({} as never)).toThrow(/layers.dense: units is required/);
    expect(() => layers.dense({ units: 0 })).toThrow(/units must be a positive integer, got 0/);
    expect(() => layers.dense({ units: 2, activation: 'softmx' as never })).toThrow(/did you mean 'softmax'/);
    expect(() => layers.lstm({ units: 2, activation: 'relu' as never })).toThrow(/activation must be one of 'tanh'/);
    expect(() => layers.lstm({ units: 2, useBias: false, unitForgetBias: true })).toThrow(/unitForgetBias needs useBias: true/);
    expect(() => layers.dropout({ rate: 1 })).toThrow(ValueError);
    expect(() => layers.lstm({ units: 2, dropout: -0.1 })).toThrow(/dropout must be a number in \[0, 1\), got -0.1/);
    expect(() => layers.lstm({ units: 2, inputShape: [3, null] as never })).toThrow(/inputShape must be \[timeSteps, features\]/);
    expect(() => layers.embedding({ inputDim: 5, outputDim: 2, inputShape: [4, 1] })).toThrow(/inputShape of an embedding is \[timeSteps\]/);
    expect(() => layers.bidirectional({ layer: layers.dense({ units: 2 }) as never })).toThrow(/layer must be a recurrent layer spec/);
    expect(() => layers.embedding({ inputDim: 1, outputDim: 2, maskZero: true })).toThrow(/inputDim must be ≥ 2/);
  });
});

describe('sequential: stacks that cannot fit together', () => {
  const build = (list: unknown[]) => () => sequential(list as never, { runtime, seed: 1 });

  it('a missing inputShape on the first layer', () => {
    expect(build([layers.lstm({ units: 4 })])).toThrow(ShapeError);
    expect(build([layers.lstm({ units: 4 })])).toThrow(/layer 0 \(lstm\) is the first layer and needs inputShape: \[timeSteps \| null, features\]/);
  });

  it('a recurrent layer after a dense layer on the last step of an RNN', () => {
    const stack = [layers.lstm({ units: 4, inputShape: [null, 2] }), layers.dense({ units: 3 }), layers.gru({ units: 2 })];
    expect(build(stack)).toThrow(ShapeError);
    expect(build(stack)).toThrow(
      /layer 2 \(gru\) is recurrent and expects sequences \[batch, timeSteps, features\], but layer 1 \(dense\) outputs \[batch, 3\]; layer 0 \(lstm\) returns only its last step: set returnSequences: true on it/,
    );
  });

  it('an embedding that is not first', () => {
    const stack = [layers.dense({ units: 3, inputShape: [null, 2] }), layers.embedding({ inputDim: 4, outputDim: 2 })];
    expect(build(stack)).toThrow(/layer 1 \(embedding\) is an embedding, which reads integer ids, so it must be the first layer/);
  });

  it('a declared inputShape that disagrees with the layer before', () => {
    const stack = [layers.lstm({ units: 4, returnSequences: true, inputShape: [null, 2] }), layers.lstm({ units: 2, inputShape: [null, 5] })];
    expect(build(stack)).toThrow(/layer 1 \(lstm_1\) declares inputShape \[null, 5\], but the layer before it outputs \[batch, null, 4\]/);
  });

  it('a recurrent first layer given a vector inputShape', () => {
    expect(build([layers.gru({ units: 2, inputShape: [3] })])).toThrow(/layer 0 \(gru\) reads sequences, so inputShape must be \[timeSteps \| null, features\], got \[3\]/);
  });

  it('returnState inside a sequential model', () => {
    expect(build([layers.lstm({ units: 2, returnState: true, inputShape: [null, 1] })])).toThrow(OptionError);
    expect(build([layers.lstm({ units: 2, returnState: true, inputShape: [null, 1] })])).toThrow(/layer 0 \(lstm\) has returnState: true/);
  });

  it('empty lists, non-layers and duplicate names', () => {
    expect(build([])).toThrow(/layers must be a non-empty array/);
    expect(build([layers.dense({ units: 2, inputShape: [2] }), { units: 3 }])).toThrow(/layers\[1\]: expected a layer made by layers\.\*/);
    expect(build([layers.dense({ units: 2, inputShape: [2], name: 'a' }), layers.dense({ units: 2, name: 'a' })])).toThrow(/layers 0 and 1 are both named 'a'/);
  });

  it('unknown model options', () => {
    expect(() => sequential([layers.dense({ units: 1, inputShape: [1] })], { seeds: 1 } as never)).toThrow(/did you mean 'seed'/);
  });
});

describe('sequential: shapes, names, parameters, initialisation', () => {
  it('infers shapes and names layers as Keras does', () => {
    const model = sequential([
      layers.embedding({ inputDim: 20, outputDim: 8, inputLength: 6 }),
      layers.bidirectional({ layer: layers.lstm({ units: 5, returnSequences: true }) }),
      layers.dropout({ rate: 0.2 }),
      layers.lstm({ units: 4 }),
      layers.dense({ units: 3, activation: 'softmax' }),
    ], { runtime, seed: 1 });
    expect(model.inputShape).toEqual([null, 6]);
    expect(model.outputShape).toEqual([null, 3]);
    expect(model.layers.map((l) => l.name)).toEqual(['embedding', 'bidirectional', 'dropout', 'lstm', 'dense']);
    expect(model.layers.map((l) => l.output)).toEqual([
      { sequence: true, steps: 6, features: 8 }, { sequence: true, steps: 6, features: 10 }, { sequence: true, steps: 6, features: 10 },
      { sequence: false, steps: null, features: 4 }, { sequence: false, steps: null, features: 3 },
    ]);
    expect(model.parameterSet.names()).toEqual([
      '0.weight',
      '1.weight_ih_l0', '1.weight_hh_l0', '1.bias_ih_l0', '1.bias_hh_l0',
      '1.weight_ih_l0_reverse', '1.weight_hh_l0_reverse', '1.bias_ih_l0_reverse', '1.bias_hh_l0_reverse',
      '3.weight_ih_l0', '3.weight_hh_l0', '3.bias_ih_l0', '3.bias_hh_l0',
      '4.weight', '4.bias',
    ]);
    const lstmParams = (I: number, H: number) => 4 * H * (I + H + 2);
    expect(model.countParams()).toBe(20 * 8 + 2 * lstmParams(8, 5) + lstmParams(10, 4) + 4 * 3 + 3);
    model.dispose();
    expect(() => model.predict([[1]])).toThrow(StateError);
  });

  it('prints and returns a Keras-style summary', () => {
    const model = sequential([
      layers.gru({ units: 4, returnSequences: true, inputShape: [null, 3] }),
      layers.bidirectional({ layer: layers.simpleRNN({ units: 2 }) }),
      layers.dense({ units: 1 }),
    ], { runtime, seed: 1, name: 'tagger' });
    const printed: unknown[] = [];
    const log = console.log;
    console.log = (text: unknown) => printed.push(text);
    let text: string;
    try {
      text = model.summary();
    } finally {
      console.log = log;
    }
    expect(printed).toEqual([text]);
    expect(text).toBe([
      'Model: "tagger"',
      '_'.repeat(71),
      'Layer (type)                     Output Shape              Param #',
      '='.repeat(71),
      'gru (GRU)                        (None, None, 4)           108',
      'bidirectional (Bidirectional(SimpleRNN)) (None, 4)                 32',
      'dense (Dense)                    (None, 1)                 5',
      '='.repeat(71),
      'Total params: 145',
      'Trainable params: 145',
      'Non-trainable params: 0',
      '_'.repeat(71),
    ].join('\n'));
    expect(model.summary({ print: false })).toBe(text);
  });

  it('initialises as Keras: glorot-uniform kernels, orthogonal recurrent kernels, zero biases, forget bias 1', () => {
    const model = sequential([
      layers.lstm({ units: 6, inputShape: [null, 5] }),
      layers.dense({ units: 3 }),
    ], { runtime, seed: 7 });
    const p = model.stateDict();
    const bound = (fanIn: number, fanOut: number) => Math.sqrt(6 / (fanIn + fanOut));
    const wIh = Array.from(p['0.weight_ih_l0']!.data);
    expect(Math.max(...wIh.map(Math.abs))).toBeLessThanOrEqual(bound(5, 24));
    expect(Math.max(...wIh.map(Math.abs))).toBeGreaterThan(0.8 * bound(5, 24));
    // W_hh [24, 6]: its columns are orthonormal.
    const wHh = p['0.weight_hh_l0']!.data;
    for (let a = 0; a < 6; a++) {
      for (let b = 0; b < 6; b++) {
        let dot = 0;
        for (let r = 0; r < 24; r++) dot += wHh[r * 6 + a]! * wHh[r * 6 + b]!;
        expect(dot).toBeCloseTo(a === b ? 1 : 0, 5);
      }
    }
    const bIh = Array.from(p['0.bias_ih_l0']!.data);
    expect(bIh).toEqual([...Array(6).fill(0), ...Array(6).fill(1), ...Array(12).fill(0)]);
    expect(Array.from(p['0.bias_hh_l0']!.data)).toEqual(Array(24).fill(0));
    expect(Math.max(...Array.from(p['1.weight']!.data, Math.abs))).toBeLessThanOrEqual(bound(6, 3));
    expect(Array.from(p['1.bias']!.data)).toEqual([0, 0, 0]);
    const embedding = sequential([layers.embedding({ inputDim: 50, outputDim: 4 })], { runtime, seed: 1 });
    const e = Array.from(embedding.stateDict()['0.weight']!.data);
    expect(Math.max(...e.map(Math.abs))).toBeLessThanOrEqual(0.05);
  });

  it('the same seed gives the same weights; specs survive a JSON round trip; tfjs config form works', () => {
    const specs = [layers.gru({ units: 3, inputShape: [null, 2] }), layers.dense({ units: 2 })];
    const a = sequential(specs, { runtime, seed: 11 }).stateDict();
    const b = sequential(JSON.parse(JSON.stringify(specs)), { runtime, seed: 11 }).stateDict();
    const c = sequential({ layers: specs, seed: 11, runtime }).stateDict();
    const d = sequential(specs, { runtime, seed: 12 }).stateDict();
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(d['0.weight_ih_l0']!.data).not.toEqual(a['0.weight_ih_l0']!.data);
    expect(sequential(specs, { runtime })).toBeInstanceOf(Sequential);
  });

  it('stateDict and loadStateDict use the model names and check them', () => {
    const model = sequential([layers.dense({ units: 2, inputShape: [3] })], { runtime, seed: 1 });
    const dict = model.stateDict();
    dict['0.bias'] = dict['0.bias']!.reshape([2]);
    model.loadStateDict({ '0.weight': [[1, 2, 3], [4, 5, 6]], '0.bias': [7, 8] });
    expect(Array.from(model.stateDict()['0.weight']!.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => model.loadStateDict({ '0.weight': [[1, 2, 3], [4, 5, 6]] })).toThrow(/missing '0.bias'/);
  });
});
