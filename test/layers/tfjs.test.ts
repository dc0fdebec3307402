import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, it } from 'vitest';
import type { RecurrentLayer } from '../../src/layers/recurrent.js';
import { Random } from '../../src/random.js';
import { tensor } from '../../src/tensor.js';
import { expectClose, type Tolerance } from '../helpers/close.js';
import { BACKENDS, createRuntime } from '../helpers/runtimes.js';
import { makeLayer, randomValues, type LayerSpec } from './layer-kinds.js';

/*
 * Forward agreement with tfjs-layers (the Keras API) given the same weights, converted from
 * PyTorch's layout as docs/LAYERS.md describes: Keras kernel [I, G·H] = W_ihᵀ, recurrent kernel
 * [H, G·H] = W_hhᵀ, one bias = b_ih + b_hh; LSTM gate order i,f,c,o = PyTorch's i,f,g,o; GRU
 * gate order z,r,h = PyTorch's r,z,n with the first two blocks swapped. tfjs GRU is the
 * reset-before form only (it refuses reset_after), so it is compared with resetAfter: false.
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** tfjs cpu and our kernels differ in f32 summation order and tanh/sigmoid approximations. */
const TOLERANCE: Tolerance = { abs: 1e-6, rel: 1e-5 };

type Weights = Record<string, Float32Array>;

/** [rows, cols] row-major → [cols, rows]. */
function transpose(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c]!;
  return out;
}

/** Reorders the G gate blocks of the last axis (width G·H) by `order` (new block i = old block order[i]). */
function reorderGates(values: Float32Array, H: number, order: number[]): Float32Array {
  const width = order.length * H;
  const out = new Float32Array(values.length);
  for (let row = 0; row < values.length / width; row++) {
    order.forEach((from, to) => out.set(values.subarray(row * width + from * H, row * width + (from + 1) * H), row * width + to * H));
  }
  return out;
}

/** PyTorch's weights of one layer/direction as tfjs [kernel, recurrentKernel, bias]. */
function kerasWeights(weights: Weights, suffix: string, gates: number, H: number, inputSize: number, bias: boolean): tf.Tensor[] {
  const order = gates === 3 ? [1, 0, 2] : Array.from({ length: gates }, (_, i) => i);
  const kernel = reorderGates(transpose(weights[`weight_ih${suffix}`]!, gates * H, inputSize), H, order);
  const recurrent = reorderGates(transpose(weights[`weight_hh${suffix}`]!, gates * H, H), H, order);
  const out: tf.Tensor[] = [tf.tensor2d(kernel, [inputSize, gates * H]), tf.tensor2d(recurrent, [H, gates * H])];
  if (bias) {
    const sum = weights[`bias_ih${suffix}`]!.map((v, i) => v + weights[`bias_hh${suffix}`]![i]!);
    out.push(tf.tensor1d(reorderGates(sum, H, order)));
  }
  return out;
}

function tfjsCell(spec: LayerSpec, returnState: boolean): tf.layers.Layer {
  const common = { units: spec.hiddenSize, returnSequences: true, returnState, useBias: spec.bias ?? true };
  const recurrentActivation = spec.gateActivation === 'hardSigmoid' ? 'hardSigmoid' : 'sigmoid';
  switch (spec.kind) {
    case 'rnnTanh':
      return tf.layers.simpleRNN({ ...common, activation: 'tanh' });
    case 'rnnRelu':
      return tf.layers.simpleRNN({ ...common, activation: 'relu' });
    case 'lstm':
      return tf.layers.lstm({ ...common, recurrentActivation });
    default:
      // tfjs GRU is always the reset-before form (resetAfter: false).
      return tf.layers.gru({ ...common, recurrentActivation });
  }
}

const GATES: Record<LayerSpec['kind'], number> = { rnnTanh: 1, rnnRelu: 1, lstm: 4, gruAfter: 3, gruBefore: 3 };

interface TfjsCase extends LayerSpec {
  label: string;
}

const SINGLE: TfjsCase[] = [
  { label: 'SimpleRNN tanh', kind: 'rnnTanh', inputSize: 5, hiddenSize: 7 },
  { label: 'SimpleRNN relu', kind: 'rnnRelu', inputSize: 4, hiddenSize: 9 },
  { label: 'LSTM sigmoid', kind: 'lstm', inputSize: 5, hiddenSize: 7 },
  { label: 'LSTM hardSigmoid (tfjs default)', kind: 'lstm', inputSize: 3, hiddenSize: 6, gateActivation: 'hardSigmoid' },
  { label: 'LSTM without bias', kind: 'lstm', inputSize: 3, hiddenSize: 5, bias: false },
  { label: 'GRU resetAfter false, sigmoid', kind: 'gruBefore', inputSize: 5, hiddenSize: 7 },
  { label: 'GRU resetAfter false, hardSigmoid (tfjs default)', kind: 'gruBefore', inputSize: 3, hiddenSize: 5, gateActivation: 'hardSigmoid' },
];

const T = 7;
const B = 3;

function inputs(spec: LayerSpec, seed: number) {
  const random = new Random(seed);
  return {
    x: Float32Array.from(randomValues(random, B * T * spec.inputSize, 1.5)),
    h0: Float32Array.from(randomValues(random, B * spec.hiddenSize, 0.5)),
    c0: Float32Array.from(randomValues(random, B * spec.hiddenSize, 0.5)),
  };
}

function ours(spec: LayerSpec, backend: (typeof BACKENDS)[number]): { layer: RecurrentLayer; weights: Weights } {
  const layer = makeLayer({ ...spec, batchFirst: true }, createRuntime(backend), 23);
  const weights = Object.fromEntries(Object.entries(layer.stateDict()).map(([name, t]) => [name, t.data]));
  return { layer, weights };
}

describe.each(BACKENDS)('agreement with tfjs-layers on %s', (backend) => {
  it.each(SINGLE.map((c) => [c.label, c] as const))('%s, from a given initial state', (_label, spec) => {
    const { layer, weights } = ours(spec, backend);
    const { x, h0, c0 } = inputs(spec, 5);
    const H = spec.hiddenSize;
    const isLstm = spec.kind === 'lstm';
    const cell = tfjsCell(spec, true);
    const xs = tf.tensor3d(x, [B, T, spec.inputSize]);
    const initialState = isLstm ? [tf.tensor2d(h0, [B, H]), tf.tensor2d(c0, [B, H])] : [tf.tensor2d(h0, [B, H])];
    cell.apply(xs, { initialState });
    cell.setWeights(kerasWeights(weights, '_l0', GATES[spec.kind], H, spec.inputSize, spec.bias ?? true));
    const expected = (cell.apply(xs, { initialState }) as tf.Tensor[]).map((t) => t.dataSync());

    const got = layer.forward(tensor(x, [B, T, spec.inputSize]), {
      h0: tensor(h0, [1, B, H]),
      ...(isLstm ? { c0: tensor(c0, [1, B, H]) } : {}),
    });
    expectClose(got.output.data, expected[0]!, TOLERANCE, 'output');
    expectClose(got.hN.data, expected[1]!, TOLERANCE, 'hN');
    if (isLstm) expectClose(got.cN!.data, expected[2]!, TOLERANCE, 'cN');
    layer.dispose();
  });

  it('bidirectional LSTM (mergeMode concat)', () => {
    const spec: LayerSpec = { kind: 'lstm', inputSize: 4, hiddenSize: 5, bidirectional: true };
    const { layer, weights } = ours(spec, backend);
    const { x } = inputs(spec, 9);
    const bidirectional = tf.layers.bidirectional({ layer: tfjsCell(spec, false) as tf.RNN, mergeMode: 'concat' });
    const xs = tf.tensor3d(x, [B, T, spec.inputSize]);
    bidirectional.apply(xs);
    bidirectional.setWeights([
      ...kerasWeights(weights, '_l0', 4, spec.hiddenSize, spec.inputSize, true),
      ...kerasWeights(weights, '_l0_reverse', 4, spec.hiddenSize, spec.inputSize, true),
    ]);
    const expected = (bidirectional.apply(xs) as tf.Tensor).dataSync();
    expectClose(layer.forward(tensor(x, [B, T, spec.inputSize])).output.data, expected, TOLERANCE, 'output');
    layer.dispose();
  });

  it('two stacked GRU layers (resetAfter false)', () => {
    const spec: LayerSpec = { kind: 'gruBefore', inputSize: 4, hiddenSize: 6, numLayers: 2 };
    const { layer, weights } = ours(spec, backend);
    const { x } = inputs(spec, 13);
    let sequence: tf.Tensor = tf.tensor3d(x, [B, T, spec.inputSize]);
    for (let k = 0; k < 2; k++) {
      const cell = tfjsCell(spec, false);
      cell.apply(sequence);
      cell.setWeights(kerasWeights(weights, `_l${k}`, 3, spec.hiddenSize, k === 0 ? spec.inputSize : spec.hiddenSize, true));
      sequence = cell.apply(sequence) as tf.Tensor;
    }
    expectClose(layer.forward(tensor(x, [B, T, spec.inputSize])).output.data, sequence.dataSync(), TOLERANCE, 'output');
    layer.dispose();
  });
});
