import { describe, expect, it } from 'vitest';
import { ModelFileError } from '../../src/io/model-file-error.js';
import { modelFromKeras, type KerasLayerWeights } from '../../src/interop/keras-config.js';
import { layers, type LayerSpec } from '../../src/model/layer-specs.js';
import { Sequential } from '../../src/model/sequential.js';
import { Random } from '../../src/random.js';
import { tensor } from '../../src/tensor.js';
import { expectClose } from '../helpers/close.js';

/*
 * modelFromKeras on topologies in each nesting (Keras 3 config.json, Keras 2 / tfjs-converter
 * model_config, Functional chains), flavor-dependent hard_sigmoid and defaults, and its errors.
 * Weights: random PyTorch-layout state dicts, written into Keras' layout here by index formulas
 * (independent of src/interop/keras-weights.ts): the imported model must predict exactly like a
 * model given the state dict directly.
 */

const PERMUTATION = { SimpleRNN: [0], LSTM: [0, 1, 2, 3], GRU: [1, 0, 2] } as const;

/** Keras array [rows, G·H] from a PyTorch [G·H, rows] matrix: keras[i][g·H + j] = torch[perm[g]·H + j][i]. */
function kerasMatrix(torch: Float32Array, rows: number, H: number, perm: readonly number[]): Float32Array {
  const GH = perm.length * H;
  const out = new Float32Array(rows * GH);
  for (let i = 0; i < rows; i++) for (let g = 0; g < perm.length; g++) for (let j = 0; j < H; j++) out[i * GH + g * H + j] = torch[(perm[g]! * H + j) * rows + i]!;
  return out;
}

function kerasVector(torch: Float32Array, H: number, perm: readonly number[]): Float32Array {
  return kerasMatrix(torch, 1, H, perm);
}

function randomModel(specs: LayerSpec[], seed: number): Sequential {
  const model = new Sequential(specs, { seed: 1 });
  const random = new Random(seed);
  const dict = model.stateDict();
  for (const t of Object.values(dict)) t.data.forEach((_, i, a) => (a[i] = random.uniform(-0.6, 0.6)));
  model.loadStateDict(dict);
  return model;
}

/** One recurrent layer's Keras arrays from the model's state dict (prefix `${index}.`). */
function recurrentArrays(model: Sequential, index: number, className: keyof typeof PERMUTATION, I: number, H: number, twoBiases: boolean, suffix = ''): KerasLayerWeights['arrays'] {
  const dict = model.stateDict();
  const perm = PERMUTATION[className];
  const get = (name: string) => dict[`${index}.${name}_l0${suffix}`]!.data;
  const GH = perm.length * H;
  const arrays = [
    { name: 'kernel', shape: [I, GH], data: kerasMatrix(get('weight_ih'), I, H, perm) },
    { name: 'recurrent_kernel', shape: [H, GH], data: kerasMatrix(get('weight_hh'), H, H, perm) },
  ];
  if (`${index}.bias_ih_l0${suffix}` in dict) {
    const bih = kerasVector(get('bias_ih'), H, perm);
    const bhh = kerasVector(get('bias_hh'), H, perm);
    const bias = twoBiases ? Float32Array.from([...bih, ...bhh]) : bih.map((v, i) => v + bhh[i]!);
    arrays.push({ name: 'bias', shape: twoBiases ? [2, GH] : [GH], data: bias });
  }
  return arrays;
}

function denseArrays(model: Sequential, index: number, I: number, U: number): KerasLayerWeights['arrays'] {
  const dict = model.stateDict();
  const w = dict[`${index}.weight`]!.data;
  const kernel = new Float32Array(I * U);
  for (let i = 0; i < I; i++) for (let u = 0; u < U; u++) kernel[i * U + u] = w[u * I + i]!;
  return [{ name: 'kernel', shape: [I, U], data: kernel }, { name: 'bias', shape: [U], data: Float32Array.from(dict[`${index}.bias`]!.data) }];
}

const keras3Dtype = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };

/** A Keras 3 config.json layer entry. */
function k3(className: string, config: Record<string, unknown>, inputShape?: (number | null)[]) {
  return { module: 'keras.layers', class_name: className, config: { trainable: true, dtype: keras3Dtype, ...config }, registered_name: null, ...(inputShape ? { build_config: { input_shape: inputShape } } : {}) };
}

function expectSamePredictions(imported: Sequential, reference: Sequential, x: { values: Float32Array; shape: number[] }): void {
  expectClose(imported.predict(tensor(x.values, x.shape)).data, reference.predict(tensor(x.values, x.shape)).data, { abs: 2e-7, rel: 2e-6 });
}

function features(seed: number, shape: number[]) {
  const random = new Random(seed);
  return { values: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.uniform(-1, 1)), shape };
}

describe('modelFromKeras: Keras 3 config.json', () => {
  const gruLayer = k3('GRU', {
    name: 'gru', units: 4, activation: 'tanh', recurrent_activation: 'hard_sigmoid', use_bias: true, reset_after: true, return_sequences: true,
    go_backwards: false, stateful: false, unroll: false, dropout: 0.0, recurrent_dropout: 0.0, seed: null, use_cudnn: 'auto',
    kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null }, registered_name: null },
  }, [null, 5, 3]);
  const denseLayer = k3('Dense', { name: 'dense', units: 2, activation: 'softmax', use_bias: true, lora_rank: null }, [null, 5, 4]);
  const specs = () => [layers.gru({ units: 4, returnSequences: true, recurrentActivation: 'hardSigmoidKeras3', inputShape: [5, 3] }), layers.dense({ units: 2, activation: 'softmax' })];

  it('Sequential with InputLayer batch_shape, reset-after GRU and Keras 3 hard_sigmoid', () => {
    const reference = randomModel(specs(), 3);
    const topology = {
      module: 'keras', class_name: 'Sequential', registered_name: null,
      config: { name: 'sequential', trainable: true, dtype: keras3Dtype, layers: [k3('InputLayer', { batch_shape: [null, 5, 3], dtype: 'float32', sparse: false, name: 'input_layer' }), gruLayer, denseLayer], build_input_shape: [null, 5, 3] },
      build_config: { input_shape: [null, 5, 3] },
    };
    const weights: KerasLayerWeights[] = [
      { layerClass: 'GRU', layerName: 'gru', arrays: recurrentArrays(reference, 0, 'GRU', 3, 4, true) },
      { layerClass: 'Dense', layerName: 'dense', arrays: denseArrays(reference, 1, 4, 2) },
    ];
    const model = modelFromKeras(topology, weights, 'keras3');
    expect(model.name).toBe('sequential');
    expect(model.layers.map((l) => l.name)).toEqual(['gru', 'dense']);
    expect(model.layers[0]!.spec.config).toMatchObject({ recurrentActivation: 'hardSigmoidKeras3', resetAfter: true });
    expect(model.inputShape).toEqual([null, 5, 3]);
    expectSamePredictions(model, reference, features(1, [3, 5, 3]));
  });

  it('Functional chain with __keras_tensor__ inbound nodes', () => {
    const reference = randomModel(specs(), 4);
    const node = (from: string) => [{ args: [{ class_name: '__keras_tensor__', config: { shape: [null, 5, 3], dtype: 'float32', keras_history: [from, 0, 0] } }], kwargs: { training: false, mask: null } }];
    const topology = {
      module: 'keras.src.models.functional', class_name: 'Functional', registered_name: 'Functional',
      config: {
        name: 'functional', trainable: true,
        layers: [
          { ...k3('InputLayer', { batch_shape: [null, 5, 3], dtype: 'float32', sparse: false, name: 'input_layer' }), name: 'input_layer', inbound_nodes: [] },
          { ...denseLayer, name: 'dense', inbound_nodes: node('gru') },
          { ...gruLayer, name: 'gru', inbound_nodes: node('input_layer') },
        ],
        input_layers: [['input_layer', 0, 0]], output_layers: ['dense', 0, 0],
      },
    };
    const weights: KerasLayerWeights[] = [
      { layerClass: 'GRU', layerName: 'gru', arrays: recurrentArrays(reference, 0, 'GRU', 3, 4, true) },
      { layerClass: 'Dense', layerName: 'dense', arrays: denseArrays(reference, 1, 4, 2) },
    ];
    const model = modelFromKeras(topology, weights, 'keras3');
    expect(model.layers.map((l) => l.name)).toEqual(['gru', 'dense']);
    expectSamePredictions(model, reference, features(2, [2, 5, 3]));
  });
});

describe('modelFromKeras: Keras 2 model_config and tfjs defaults', () => {
  const lstm = (extra: Record<string, unknown>) => ({ class_name: 'LSTM', config: { name: 'lstm', units: 3, batch_input_shape: [null, null, 2], ...extra } });

  it('a tfjs-converter document (model_config) with a Keras 2 Bidirectional LSTM', () => {
    const reference = randomModel([layers.bidirectional({ layer: layers.lstm({ units: 3, recurrentActivation: 'hardSigmoid' }), mergeMode: 'ave', inputShape: [null, 2] })], 5);
    const topology = {
      keras_version: '2.15.0', backend: 'tensorflow',
      model_config: { class_name: 'Sequential', config: { name: 'seq', layers: [{ class_name: 'Bidirectional', config: { name: 'bidi', merge_mode: 'ave', batch_input_shape: [null, null, 2], layer: { class_name: 'LSTM', config: { name: 'lstm', units: 3, recurrent_activation: 'hard_sigmoid', time_major: false } } } }] } },
    };
    const arrays = [...recurrentArrays(reference, 0, 'LSTM', 2, 3, false), ...recurrentArrays(reference, 0, 'LSTM', 2, 3, false, '_reverse')];
    const model = modelFromKeras(topology, [{ layerClass: 'Bidirectional', layerName: 'bidi', arrays }], 'keras2');
    expect(model.layers[0]!.spec).toMatchObject({ className: 'Bidirectional', config: { mergeMode: 'ave', layer: { config: { recurrentActivation: 'hardSigmoid' } } } });
    expectSamePredictions(model, reference, features(3, [2, 4, 2]));
  });

  it.each([
    ['tfjs', 'LSTM', 'hardSigmoid', undefined],
    ['keras2', 'LSTM', 'sigmoid', undefined],
    ['keras3', 'LSTM', 'sigmoid', undefined],
    ['tfjs', 'GRU', 'hardSigmoid', false],
    ['keras3', 'GRU', 'sigmoid', true],
  ] as const)('%s defaults of a %s without recurrent_activation / reset_after', (flavor, className, gate, resetAfter) => {
    const H = 3;
    const twoBiases = resetAfter === true;
    const GH = (className === 'LSTM' ? 4 : 3) * H;
    const arrays = [{ name: 'kernel', shape: [2, GH], data: new Float32Array(2 * GH) }, { name: 'recurrent_kernel', shape: [H, GH], data: new Float32Array(H * GH) }, { name: 'bias', shape: twoBiases ? [2, GH] : [GH], data: new Float32Array(twoBiases ? 2 * GH : GH) }];
    const model = modelFromKeras({ class_name: 'Sequential', config: { layers: [{ class_name: className, config: { name: 'r', units: H, batch_input_shape: [null, 4, 2] } }] } }, [{ layerClass: className, layerName: 'r', arrays }], flavor);
    expect(model.layers[0]!.spec.config).toMatchObject({ recurrentActivation: gate, ...(resetAfter === undefined ? {} : { resetAfter }) });
    model.dispose();
  });

  it('reads the array-typed Sequential config of early Keras 2', () => {
    const model = modelFromKeras({ class_name: 'Sequential', config: [{ class_name: 'Dropout', config: { name: 'drop', rate: 0.5, batch_input_shape: [null, 3] } }] }, [], 'keras2');
    expect(model.layers[0]!.spec).toMatchObject({ className: 'Dropout', config: { rate: 0.5 } });
    model.dispose();
  });

  describe('errors name the layer and option and list what is supported', () => {
    const sequentialOf = (...entries: object[]) => ({ class_name: 'Sequential', config: { name: 's', layers: entries } });
    const zeros = (shape: number[]) => ({ name: 'w', shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) });
    const lstmWeights = (H = 3, I = 2): KerasLayerWeights => ({ layerClass: 'LSTM', layerName: 'lstm', arrays: [zeros([I, 4 * H]), zeros([H, 4 * H]), zeros([4 * H])] });
    it.each([
      ['an unsupported layer class', sequentialOf({ class_name: 'Conv1D', config: { name: 'conv', filters: 2, batch_input_shape: [null, 5, 2] } }), [], /layer 0 'conv' \(Conv1D\) is not supported; supported layers: InputLayer, SimpleRNN, LSTM, GRU, Bidirectional, Dense, Embedding, Dropout, Masking, TimeDistributed\(Dense\)/],
      ['stateful', sequentialOf(lstm({ stateful: true })), [lstmWeights()], /layer 0 'lstm' \(LSTM\): stateful true is not supported; supported: false/],
      ['return_state', sequentialOf(lstm({ return_state: true })), [lstmWeights()], /return_state true is not supported/],
      ['recurrent_dropout', sequentialOf(lstm({ recurrent_dropout: 0.25 })), [lstmWeights()], /recurrent_dropout 0.25 is not supported; supported: 0/],
      ['an LSTM activation', sequentialOf(lstm({ activation: 'relu' })), [lstmWeights()], /activation "relu" is not supported; supported: 'tanh'/],
      ['a gate activation', sequentialOf(lstm({ recurrent_activation: 'tanh' })), [lstmWeights()], /recurrent_activation "tanh" is not supported; supported: 'sigmoid', 'hard_sigmoid'/],
      ['a Dense activation', sequentialOf({ class_name: 'Dense', config: { name: 'd', units: 2, activation: 'selu', batch_input_shape: [null, 3] } }), [], /layer 0 'd' \(Dense\): activation "selu" is not supported; supported: 'linear', 'tanh', 'sigmoid', 'relu', 'softmax'/],
      ['merge_mode null', sequentialOf({ class_name: 'Bidirectional', config: { name: 'b', merge_mode: null, batch_input_shape: [null, 4, 2], layer: lstm({}) } }), [], /merge_mode null \(two outputs\) is not supported; supported: 'concat', 'sum', 'mul', 'ave'/],
      ['TimeDistributed(LSTM)', sequentialOf({ class_name: 'TimeDistributed', config: { name: 't', batch_input_shape: [null, 4, 2], layer: lstm({}) } }), [], /layer LSTM inside TimeDistributed is not supported; supported: TimeDistributed\(Dense\)/],
      ['a float16 dtype policy', sequentialOf(lstm({ dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'mixed_float16' } } })), [lstmWeights()], /dtype "mixed_float16" is not supported; supported: 'float32'/],
      ['a bad dropout rate', sequentialOf({ class_name: 'Dropout', config: { name: 'drop', rate: 1.5, batch_input_shape: [null, 3] } }), [], /layer 0 'drop' \(Dropout\): layers.dropout: rate must be a number in \[0, 1\), got 1.5/],
      ['a model class', { class_name: 'Graph', config: {} }, [], /model class 'Graph' is not supported; supported: Sequential, Functional, Model/],
      ['too few weights', sequentialOf(lstm({})), [], /the weights list has 0 layers, but the model has 1 layers with weights \('lstm'\)/],
      ['weights of another class', sequentialOf(lstm({})), [{ ...lstmWeights(), layerClass: 'GRU' }], /weights\[0\] should belong to layer 0 'lstm' \(LSTM\), but it is of class "GRU"/],
      ['a missing array', sequentialOf(lstm({})), [{ ...lstmWeights(), arrays: lstmWeights().arrays.slice(0, 2) }], /layer 0 'lstm' \(LSTM\) needs 3 weight arrays \(kernel \[2, 12\], recurrent_kernel \[3, 12\], bias \[12\]\), got 2/],
      ['a wrong shape', sequentialOf(lstm({})), [lstmWeights(3, 5)], /weight 0 \("w"\) should be kernel \[2, 12\] of float32, got shape \[5, 12\]/],
      ['a NaN weight', sequentialOf(lstm({})), [{ ...lstmWeights(), arrays: [zeros([2, 12]), { name: 'rk', shape: [3, 12], data: new Float32Array(36).fill(Number.NaN) }, zeros([12])] }], /weight 1 \(rk\) holds NaN at element 0; weights must be finite/],
    ] as const)('%s', (_label, topology, weights, message) => {
      expect(() => modelFromKeras(topology, weights as unknown as KerasLayerWeights[], 'keras2')).toThrow(ModelFileError);
      expect(() => modelFromKeras(topology, weights as unknown as KerasLayerWeights[], 'keras2')).toThrow(message);
    });

    it('a Functional model that branches', () => {
      const at = (from: string) => [[[from, 0, 0, {}]]];
      const topology = {
        class_name: 'Model',
        config: {
          name: 'm', input_layers: [['in', 0, 0]], output_layers: [['d1', 0, 0]],
          layers: [
            { class_name: 'InputLayer', name: 'in', config: { name: 'in', batch_input_shape: [null, 3] }, inbound_nodes: [] },
            { class_name: 'Dense', name: 'd1', config: { name: 'd1', units: 2 }, inbound_nodes: at('in') },
            { class_name: 'Dense', name: 'd2', config: { name: 'd2', units: 2 }, inbound_nodes: at('in') },
          ],
        },
      };
      expect(() => modelFromKeras(topology, [], 'tfjs')).toThrow(/only Functional models whose layers form one chain are supported, but 'd2' is not on the path from 'in' to 'd1'/);
    });

    it('an unknown flavor', () => {
      expect(() => modelFromKeras(sequentialOf(lstm({})), [lstmWeights()], 'keras1' as never)).toThrow(/flavor must be one of 'keras3', 'keras2', 'tfjs', got "keras1"/);
    });
  });
});

describe('modelFromKeras: zero_output_for_mask', () => {
  /** The first recurrent spec's zeroOutputForMask (Bidirectional: its wrapped layer's) for a one-layer topology. */
  function zeroOutput(layer: Record<string, unknown>, flavor: 'keras3' | 'keras2' | 'tfjs'): boolean {
    const topology = { class_name: 'Sequential', config: { name: 'sequential', layers: [layer] } };
    const built = modelFromKeras(topology, [{ layerClass: layer.class_name as string, layerName: 'r', arrays: recurrentArraysOf(layer) }], flavor);
    try {
      const spec = built.layers[0]!.spec;
      const recurrent = spec.className === 'Bidirectional' ? spec.config.layer : spec;
      return (recurrent.config as { zeroOutputForMask?: boolean }).zeroOutputForMask === true;
    } finally {
      built.dispose();
    }
  }
  const lstm = (extra: Record<string, unknown>) => ({ class_name: 'LSTM', config: { name: 'r', units: 2, batch_input_shape: [null, 4, 3], recurrent_activation: 'sigmoid', ...extra } });
  const bidirectional = (returnSequences: boolean, saved: boolean) => ({
    class_name: 'Bidirectional',
    config: {
      name: 'r', merge_mode: 'concat', batch_input_shape: [null, 4, 3],
      layer: { class_name: 'LSTM', config: { name: 'lstm', units: 2, recurrent_activation: 'sigmoid', return_sequences: returnSequences, zero_output_for_mask: saved } },
      backward_layer: { class_name: 'LSTM', config: { name: 'backward_lstm', units: 2, recurrent_activation: 'sigmoid', return_sequences: returnSequences, go_backwards: true, zero_output_for_mask: !saved } },
    },
  });
  /** Zero-filled Keras arrays of the right shapes (the mapping, not the values, is under test). */
  function recurrentArraysOf(layer: Record<string, unknown>): KerasLayerWeights['arrays'] {
    const one = [
      { name: 'kernel', shape: [3, 8], data: new Float32Array(24) },
      { name: 'recurrent_kernel', shape: [2, 8], data: new Float32Array(16) },
      { name: 'bias', shape: [8], data: new Float32Array(8) },
    ];
    return layer.class_name === 'Bidirectional' ? [...one, ...one] : one;
  }

  it('Keras 3 and Keras 2: read from the layer config, kept only where it changes an output (return_sequences)', () => {
    for (const flavor of ['keras3', 'keras2'] as const) {
      expect(zeroOutput(lstm({ return_sequences: true, zero_output_for_mask: true }), flavor)).toBe(true);
      expect(zeroOutput(lstm({ return_sequences: true, zero_output_for_mask: false }), flavor)).toBe(false);
      expect(zeroOutput(lstm({ return_sequences: true }), flavor)).toBe(false);
      expect(zeroOutput(lstm({ return_sequences: false, zero_output_for_mask: true }), flavor)).toBe(false);
    }
  });

  it('Bidirectional forces it to return_sequences, whatever the saved layers say (as Keras does)', () => {
    for (const flavor of ['keras3', 'keras2'] as const) {
      expect(zeroOutput(bidirectional(true, false), flavor)).toBe(true);
      expect(zeroOutput(bidirectional(false, true), flavor)).toBe(false);
    }
  });

  it('tfjs files: off (tfjs has no such option and carries the state at masked steps)', () => {
    expect(zeroOutput(lstm({ return_sequences: true, zero_output_for_mask: true }), 'tfjs')).toBe(false);
    expect(zeroOutput(bidirectional(true, true), 'tfjs')).toBe(false);
  });

  it('a value that is not a boolean names the option', () => {
    expect(() => zeroOutput(lstm({ return_sequences: true, zero_output_for_mask: 'yes' }), 'keras3')).toThrow(/layer 0 'r' \(LSTM\): zero_output_for_mask must be true or false, got "yes"/);
  });
});
