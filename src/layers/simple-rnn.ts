import { oneOf } from '../errors.js';
import type { Kernels } from '../kernels/kernels.js';
import {
  addRecurrentProduct, addSummedBiases, packRecurrentWeightBackward, packRecurrentWeightForward, packedWeightLengthBackward, packedWeightLengthForward,
  recurrentInputGradient, rowBlock, sharedProjectionGradients, type Cell, type Direction,
} from './cell.js';
import type { ParameterSpec } from './parameters.js';
import { RecurrentLayer, recurrentParameterSpecs, shapeOptions, type RecurrentOptions } from './recurrent.js';

export type Nonlinearity = 'tanh' | 'relu';
const NONLINEARITIES: readonly Nonlinearity[] = ['tanh', 'relu'];

export interface SimpleRNNOptions extends RecurrentOptions {
  /** φ in h_t = φ(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh): 'tanh' (default) or 'relu'. */
  nonlinearity?: Nonlinearity;
}

/**
 * Elman RNN, one gate block: pre = x·W_ihᵀ + b_ih + b_hh (all steps, one GEMM) + hPrev·W_hhᵀ
 * (per step), h = φ(pre).
 */
export function rnnCell(nonlinearity: Nonlinearity): Cell {
  const relu = nonlinearity === 'relu' ? 1 : 0;
  return {
    gates: 1,
    cellState: false,
    forwardSizes: (_rows, _batch, hidden, bias) => ({
      gates: 0, hProj: 0, rh: 0, biasSum: bias ? hidden : 0, wHhPacked: packedWeightLengthForward(1, hidden),
    }),
    backwardSizes: (_rows, _batch, hidden) => ({ dHProj: 0, dc: 0, dRh: 0, wHhPacked: packedWeightLengthBackward(1, hidden) }),
    project(k: Kernels, d: Direction) {
      addSummedBiases(k, d);
      packRecurrentWeightForward(k, d);
    },
    prepareBackward: packRecurrentWeightBackward,
    stepForward(k: Kernels, d: Direction, t: number, hPrev: number, h: number, _cPrev: number, _c: number, mask: number) {
      const pre = rowBlock(d.fwd.xProj, t, d.B, d.H);
      addRecurrentProduct(k, d, pre, hPrev);
      k.rnnStepForward(h, pre, hPrev, mask, d.B, d.H, relu);
    },
    stepBackward(k: Kernels, d: Direction, t: number, dh: number, _hPrev: number, h: number, _cPrev: number, _c: number, mask: number) {
      const dPre = rowBlock(d.bwd.dXProj, t, d.B, d.H);
      k.rnnStepBackward(dPre, d.bwd.dh, dh, h, mask, d.B, d.H, relu);
      // Without a mask the kernel leaves dhPrev alone; with one it wrote dh on padded rows.
      recurrentInputGradient(k, d, d.bwd.dh, dPre, mask === 0 ? 0 : 1);
    },
    recurrentGradients: sharedProjectionGradients,
  };
}

/** PyTorch's `nn.RNN`: `new SimpleRNN({ inputSize, hiddenSize, nonlinearity: 'tanh' | 'relu', ... })`. */
export class SimpleRNN extends RecurrentLayer {
  readonly nonlinearity: Nonlinearity;

  constructor(options: SimpleRNNOptions) {
    let nonlinearity: Nonlinearity = 'tanh';
    super('SimpleRNN', options, ['nonlinearity'], (where) => {
      nonlinearity = oneOf(where, 'nonlinearity', options.nonlinearity ?? 'tanh', NONLINEARITIES);
      return rnnCell(nonlinearity);
    });
    this.nonlinearity = nonlinearity;
  }

  /** The parameter table (PyTorch names and shapes) a model needs to build a shared ParameterSet. */
  static parameterSpecs(options: SimpleRNNOptions): ParameterSpec[] {
    return recurrentParameterSpecs(1, shapeOptions('SimpleRNN', options));
  }
}
