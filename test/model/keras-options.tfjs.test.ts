import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, it } from 'vitest';
import { layers, type LayerSpec } from '../../src/model/layer-specs.js';
import { sequential } from '../../src/model/sequential.js';
import { Random } from '../../src/random.js';
import { tensor } from '../../src/tensor.js';
import { expectClose, type Tolerance } from '../helpers/close.js';
import { BACKENDS, createRuntime } from '../helpers/runtimes.js';
import { tfjsWeights } from './tfjs-weights.js';

/*
 * Whole models against tfjs-layers (the Keras API) given the same weights: bidirectional merge
 * modes, goBackwards, the masking layer, Embedding maskZero and TimeDistributed(Dense). Masks are
 * made by the model itself (Masking, maskZero), so predict returns what tfjs returns at masked
 * steps too. tfjs GRU is the reset-before form only.
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** tfjs cpu and our kernels differ in f32 summation order and tanh/sigmoid approximations. */
const TOLERANCE: Tolerance = { abs: 1e-6, rel: 1e-5 };

const N = 3;
const T = 6;

interface Case {
  label: string;
  ours: () => LayerSpec[];
  theirs: () => tf.layers.Layer[];
  /** Features per step, or 0 for ids. */
  features: number;
  /** Steps set to the mask value (0): [sample, step] pairs; with ids, the id 0. */
  masked?: [number, number][];
}

const sigmoid = { recurrentActivation: 'sigmoid' } as const;

const CASES: Case[] = [
  ...(['concat', 'sum', 'mul', 'ave'] as const).flatMap((mergeMode): Case[] => [
    {
      label: `bidirectional LSTM per step, mergeMode ${mergeMode} → Dense`,
      features: 3,
      ours: () => [layers.bidirectional({ layer: layers.lstm({ units: 4, returnSequences: true }), mergeMode, inputShape: [T, 3] }), layers.dense({ units: 2 })],
      theirs: () => [tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 4, returnSequences: true, ...sigmoid }) as tf.RNN, mergeMode, inputShape: [T, 3] }), tf.layers.dense({ units: 2 })],
    },
    {
      label: `bidirectional GRU last step, mergeMode ${mergeMode}`,
      features: 3,
      ours: () => [layers.bidirectional({ layer: layers.gru({ units: 5, resetAfter: false, recurrentActivation: 'hardSigmoid' }), mergeMode, inputShape: [T, 3] })],
      theirs: () => [tf.layers.bidirectional({ layer: tf.layers.gru({ units: 5 }) as tf.RNN, mergeMode, inputShape: [T, 3] })],
    },
  ]),
  {
    label: 'SimpleRNN goBackwards per step (output in reversed order) → LSTM',
    features: 2,
    ours: () => [layers.simpleRNN({ units: 4, returnSequences: true, goBackwards: true, inputShape: [T, 2] }), layers.lstm({ units: 3 })],
    theirs: () => [tf.layers.simpleRNN({ units: 4, returnSequences: true, goBackwards: true, inputShape: [T, 2] }), tf.layers.lstm({ units: 3, ...sigmoid })],
  },
  {
    label: 'LSTM goBackwards last step',
    features: 2,
    ours: () => [layers.lstm({ units: 4, goBackwards: true, inputShape: [T, 2] })],
    theirs: () => [tf.layers.lstm({ units: 4, goBackwards: true, inputShape: [T, 2], ...sigmoid })],
  },
  {
    label: 'Masking → LSTM per step → Dense (masked steps at the end and in the middle)',
    features: 3,
    masked: [[0, 4], [0, 5], [1, 2], [2, 0]],
    ours: () => [layers.masking({ inputShape: [T, 3] }), layers.lstm({ units: 4, returnSequences: true }), layers.dense({ units: 2, activation: 'tanh' })],
    theirs: () => [tf.layers.masking({ inputShape: [T, 3] }), tf.layers.lstm({ units: 4, returnSequences: true, ...sigmoid }), tf.layers.dense({ units: 2, activation: 'tanh' })],
  },
  {
    label: 'Masking → GRU last step',
    features: 3,
    masked: [[0, 5], [1, 1], [1, 2], [2, 0]],
    ours: () => [layers.masking({ inputShape: [T, 3] }), layers.gru({ units: 4, resetAfter: false, recurrentActivation: 'hardSigmoid' })],
    theirs: () => [tf.layers.masking({ inputShape: [T, 3] }), tf.layers.gru({ units: 4 })],
  },
  {
    label: 'Masking → LSTM goBackwards per step → LSTM (the original mask flows on)',
    features: 2,
    masked: [[0, 4], [0, 5], [1, 0], [2, 3]],
    ours: () => [layers.masking({ inputShape: [T, 2] }), layers.lstm({ units: 3, returnSequences: true, goBackwards: true }), layers.lstm({ units: 2, returnSequences: true })],
    theirs: () => [tf.layers.masking({ inputShape: [T, 2] }), tf.layers.lstm({ units: 3, returnSequences: true, goBackwards: true, ...sigmoid }), tf.layers.lstm({ units: 2, returnSequences: true, ...sigmoid })],
  },
  {
    label: 'Masking → bidirectional SimpleRNN per step, mergeMode sum',
    features: 2,
    masked: [[0, 5], [1, 3], [1, 4], [1, 5]],
    ours: () => [layers.masking({ inputShape: [T, 2] }), layers.bidirectional({ layer: layers.simpleRNN({ units: 3, returnSequences: true }), mergeMode: 'sum' })],
    theirs: () => [tf.layers.masking({ inputShape: [T, 2] }), tf.layers.bidirectional({ layer: tf.layers.simpleRNN({ units: 3, returnSequences: true }) as tf.RNN, mergeMode: 'sum' })],
  },
  {
    label: 'Embedding maskZero → LSTM per step → GRU last step (padding masked downstream)',
    features: 0,
    masked: [[0, 4], [0, 5], [1, 1], [2, 0]],
    ours: () => [layers.embedding({ inputDim: 7, outputDim: 3, maskZero: true, inputLength: T }), layers.lstm({ units: 4, returnSequences: true }), layers.gru({ units: 3, resetAfter: false, recurrentActivation: 'hardSigmoid' })],
    theirs: () => [tf.layers.embedding({ inputDim: 7, outputDim: 3, maskZero: true, inputLength: T }), tf.layers.lstm({ units: 4, returnSequences: true, ...sigmoid }), tf.layers.gru({ units: 3 })],
  },
  {
    label: 'useBias false (SimpleRNN relu, GRU, Dense) and the Dense activations sigmoid, relu, linear',
    features: 3,
    ours: () => [
      layers.simpleRNN({ units: 4, activation: 'relu', useBias: false, returnSequences: true, inputShape: [T, 3] }),
      layers.gru({ units: 4, useBias: false, resetAfter: false, returnSequences: true }),
      layers.dense({ units: 3, activation: 'sigmoid', useBias: false }),
      layers.dense({ units: 3, activation: 'relu' }),
      layers.dense({ units: 2 }),
    ],
    theirs: () => [
      tf.layers.simpleRNN({ units: 4, activation: 'relu', useBias: false, returnSequences: true, inputShape: [T, 3] }),
      tf.layers.gru({ units: 4, useBias: false, returnSequences: true, ...sigmoid }),
      tf.layers.dense({ units: 3, activation: 'sigmoid', useBias: false }),
      tf.layers.dense({ units: 3, activation: 'relu' }),
      tf.layers.dense({ units: 2 }),
    ],
  },
  {
    label: 'GRU per step → TimeDistributed(Dense softmax)',
    features: 2,
    ours: () => [layers.gru({ units: 4, returnSequences: true, resetAfter: false, inputShape: [T, 2] }), layers.timeDistributed({ layer: layers.dense({ units: 3, activation: 'softmax' }) })],
    theirs: () => [tf.layers.gru({ units: 4, returnSequences: true, ...sigmoid, inputShape: [T, 2] }), tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 3, activation: 'softmax' }) })],
  },
];

function inputOf(c: Case, seed: number): { values: Float32Array; shape: number[] } {
  const random = new Random(seed);
  if (c.features === 0) {
    const ids = Float32Array.from({ length: N * T }, () => 1 + random.int(6));
    for (const [n, t] of c.masked ?? []) ids[n * T + t] = 0;
    return { values: ids, shape: [N, T] };
  }
  const F = c.features;
  const x = Float32Array.from({ length: N * T * F }, () => random.normal());
  for (const [n, t] of c.masked ?? []) x.fill(0, (n * T + t) * F, (n * T + t + 1) * F);
  return { values: x, shape: [N, T, F] };
}

describe.each(BACKENDS)('whole models agree with tfjs-layers on %s', (backend) => {
  it.each(CASES.map((c) => [c.label, c] as const))('%s', (_label, c) => {
    const model = sequential(c.ours(), { seed: 7, runtime: createRuntime(backend) });
    const theirs = tf.sequential({ layers: c.theirs() });
    model.layers.forEach((layer, i) => theirs.layers[i]!.setWeights(tfjsWeights(model, layer)));
    const { values, shape } = inputOf(c, 21);
    const expected = (theirs.predict(tf.tensor(values, shape)) as tf.Tensor).dataSync();
    expectClose(model.predict(tensor(values, shape)).data, expected, TOLERANCE, 'output');
    model.dispose();
  });
});
