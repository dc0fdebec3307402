import type { GateActivation } from '../layers/cell.js';
import type { ActivationName } from '../layers/activations.js';
import type { DenseSpec, EmbeddingSpec, MergeMode, RecurrentSpec } from '../model/layer-specs.js';
import type { AttributeValue, OnnxGraph } from './onnx-graph.js';
import { ONNX_GATE_ORDER, onnxRecurrentWeights, transposed } from './onnx-weights.js';

/*
 * One planned layer of a Sequential as ONNX nodes. Values flow time-major between layers, as ONNX's
 * recurrent operators want them (layout 0): sequences [T, B, F], vectors [B, F]; the exporter
 * transposes the model's batch-first input and output once at the ends.
 */

/** Reads a parameter of the layer by its PyTorch name (without the layer's `${index}.` prefix). */
export type ParameterReader = (name: string) => Float32Array;

const OP_TYPE: Record<RecurrentSpec['className'], string> = { SimpleRNN: 'RNN', LSTM: 'LSTM', GRU: 'GRU' };

/** ONNX HardSigmoid is max(0, min(1, alpha·x + beta)). */
const GATE: Record<GateActivation, { name: string; alpha?: number; beta?: number }> = {
  sigmoid: { name: 'Sigmoid' },
  hardSigmoid: { name: 'HardSigmoid', alpha: 0.2, beta: 0.5 },
  hardSigmoidKeras3: { name: 'HardSigmoid', alpha: 1 / 6, beta: 0.5 },
};

/**
 * The operator's `activations` for one direction (RNN: f; LSTM: f, g, h; GRU: f, g) and the
 * alpha/beta of those that take them. onnxruntime consumes `activation_alpha`/`_beta` one entry per
 * activation that uses them, in list order, so only the HardSigmoid entries contribute values.
 */
function activationsOf(spec: RecurrentSpec): { names: string[]; alphas: number[]; betas: number[] } {
  if (spec.className === 'SimpleRNN') return { names: [spec.config.activation === 'relu' ? 'Relu' : 'Tanh'], alphas: [], betas: [] };
  const gate = GATE[spec.config.recurrentActivation ?? 'sigmoid'];
  const names = spec.className === 'LSTM' ? [gate.name, 'Tanh', 'Tanh'] : [gate.name, 'Tanh'];
  return gate.alpha === undefined ? { names, alphas: [], betas: [] } : { names, alphas: [gate.alpha], betas: [gate.beta!] };
}

/** Reverses a time-major sequence along time (Slice with step −1). */
function reverseTime(g: OnnxGraph, x: string): string {
  return g.op1('Slice', [x, g.int64s('starts', [-1]), g.int64s('ends', [-(2 ** 63)]), g.int64s('axes', [0]), g.int64s('steps', [-1])]);
}

/**
 * A recurrent layer (plain, or bidirectional with `merge`): x [T, B, I] → [T, B, F] per step or
 * [B, F] for the last step. ONNX's Y is [T, D, B, H] and Y_h [D, B, H]; Y_h of the reverse
 * direction is its state after reading step 0, which is Keras' last output of a backward layer.
 * `lengths`: int32 [B] real steps per sequence (sequence_lens), or null for all T.
 */
export function recurrentNodes(
  g: OnnxGraph, spec: RecurrentSpec, merge: MergeMode | null, x: string, inputSize: number, lengths: string | null, value: ParameterReader,
): string {
  const { units, useBias, returnSequences } = spec.config;
  const suffixes = merge === null ? [''] : ['', '_reverse'];
  const weights = onnxRecurrentWeights(spec.className, inputSize, units, useBias, suffixes, value);
  const D = suffixes.length;
  const G = ONNX_GATE_ORDER[spec.className].length;
  const inputs = [
    spec.config.goBackwards === true ? reverseTime(g, x) : x,
    g.weight('W', [D, G * units, inputSize], weights.W),
    g.weight('R', [D, G * units, units], weights.R),
    weights.B === null ? '' : g.weight('B', [D, 2 * G * units], weights.B),
    ...(lengths === null ? [] : [lengths]),
  ];
  const one = activationsOf(spec);
  const attributes: Record<string, AttributeValue> = {
    hidden_size: units,
    direction: D === 2 ? 'bidirectional' : 'forward',
    activations: suffixes.flatMap(() => one.names),
  };
  if (one.alphas.length > 0) {
    attributes.activation_alpha = { floats: suffixes.flatMap(() => one.alphas) };
    attributes.activation_beta = { floats: suffixes.flatMap(() => one.betas) };
  }
  if (spec.className === 'GRU') attributes.linear_before_reset = spec.config.resetAfter === false ? 0 : 1;
  const [Y, Yh] = g.op(OP_TYPE[spec.className], inputs, attributes, 2) as [string, string];
  // Per step: Y [T, D, B, H], directions on axis 1; last step: Y_h [D, B, H], on axis 0.
  const [out, axis] = returnSequences ? [Y, 1] : [Yh, 0];
  if (merge === null) return g.op1('Squeeze', [out, g.int64s('axes', [axis])]);
  if (merge === 'concat') {
    const directionsLast = g.op1('Transpose', [out], { perm: returnSequences ? [0, 2, 1, 3] : [1, 0, 2] });
    return g.op1('Reshape', [directionsLast, g.int64s('shape', returnSequences ? [0, 0, -1] : [0, -1])]);
  }
  const forward = g.op1('Gather', [out, g.int64Scalar('forward', 0)], { axis });
  const backward = g.op1('Gather', [out, g.int64Scalar('backward', 1)], { axis });
  if (merge === 'mul') return g.op1('Mul', [forward, backward]);
  const sum = g.op1('Add', [forward, backward]);
  return merge === 'sum' ? sum : g.op1('Mul', [sum, g.weight('half', [], Float32Array.of(0.5))]);
}

const ACTIVATION_OP: Record<Exclude<ActivationName, 'linear'>, string> = { relu: 'Relu', tanh: 'Tanh', sigmoid: 'Sigmoid', softmax: 'Softmax' };

/** x [·, F] (any leading axes: every step at once) → act(x·Wᵀ + b) [·, units]. */
export function denseNodes(g: OnnxGraph, spec: DenseSpec, x: string, inputSize: number, value: ParameterReader): string {
  const { units, useBias, activation } = spec.config;
  let y = g.op1('MatMul', [x, g.weight('kernel', [inputSize, units], transposed(value('weight'), units, inputSize))]);
  if (useBias) y = g.op1('Add', [y, g.weight('bias', [units], value('bias'))]);
  if (activation === 'linear') return y;
  return g.op1(ACTIVATION_OP[activation], [y], activation === 'softmax' ? { axis: -1 } : {});
}

/** ids [T, B] int64 → rows of the table [T, B, outputDim]. */
export function embeddingNodes(g: OnnxGraph, spec: EmbeddingSpec, ids: string, value: ParameterReader): string {
  const { inputDim, outputDim } = spec.config;
  return g.op1('Gather', [g.weight('embeddings', [inputDim, outputDim], value('weight')), ids], { axis: 0 });
}
