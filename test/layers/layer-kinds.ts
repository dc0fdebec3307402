import type { Runtime } from '../../src/kernels/runtime.js';
import type { GateActivation } from '../../src/layers/cell.js';
import { GRU } from '../../src/layers/gru.js';
import { LSTM } from '../../src/layers/lstm.js';
import type { RecurrentLayer, RecurrentOptions } from '../../src/layers/recurrent.js';
import { SimpleRNN } from '../../src/layers/simple-rnn.js';
import type { Random } from '../../src/random.js';

/** Every cell variant the layer tests cover. */
export type LayerKind = 'rnnTanh' | 'rnnRelu' | 'lstm' | 'gruAfter' | 'gruBefore';
export const LAYER_KINDS: readonly LayerKind[] = ['rnnTanh', 'rnnRelu', 'lstm', 'gruAfter', 'gruBefore'];

export interface LayerSpec {
  kind: LayerKind;
  inputSize: number;
  hiddenSize: number;
  numLayers?: number;
  bidirectional?: boolean;
  bias?: boolean;
  batchFirst?: boolean;
  gateActivation?: GateActivation;
}

export function makeLayer(spec: LayerSpec, runtime: Runtime, seed = 7): RecurrentLayer {
  const { kind, gateActivation, inputSize, hiddenSize, numLayers, bidirectional, bias, batchFirst } = spec;
  const options: RecurrentOptions = { inputSize, hiddenSize, numLayers, bidirectional, bias, batchFirst, runtime, seed };
  switch (kind) {
    case 'rnnTanh':
      return new SimpleRNN({ ...options, nonlinearity: 'tanh' });
    case 'rnnRelu':
      return new SimpleRNN({ ...options, nonlinearity: 'relu' });
    case 'lstm':
      return new LSTM({ ...options, gateActivation });
    case 'gruAfter':
      return new GRU({ ...options, gateActivation, resetAfter: true });
    case 'gruBefore':
      return new GRU({ ...options, gateActivation, resetAfter: false });
  }
}

export function describeSpec(spec: LayerSpec): string {
  const parts = [spec.kind, `I${spec.inputSize}`, `H${spec.hiddenSize}`, `L${spec.numLayers ?? 1}`, spec.bidirectional ? 'bi' : 'uni'];
  if (spec.bias === false) parts.push('no bias');
  if (spec.gateActivation !== undefined) parts.push(spec.gateActivation);
  return parts.join(' ');
}

/** n values uniform in [−scale, scale]. */
export function randomValues(random: Random, n: number, scale = 1): Float64Array {
  return Float64Array.from({ length: n }, () => random.uniform(-scale, scale));
}

/** Nested [d0][d1][d2] arrays from flat row-major values. */
export function nested3(values: ArrayLike<number>, d0: number, d1: number, d2: number): number[][][] {
  return Array.from({ length: d0 }, (_, i) =>
    Array.from({ length: d1 }, (_, j) => Array.from({ length: d2 }, (_, k) => values[(i * d1 + j) * d2 + k]!)),
  );
}
