import { OptionError, bool, oneOf } from '../errors.js';
import type { Kernels } from '../kernels/kernels.js';
import type { Tensor } from '../tensor.js';
import {
  GATE_ACTIVATIONS, addRecurrentProduct, addSummedBiases, gateActivationCode, packRecurrentWeightBackward,
  packRecurrentWeightForward, packedWeightLengthBackward, packedWeightLengthForward, recurrentInputGradient, rowBlock, sharedProjectionGradients,
  type Cell, type Direction, type GateActivation,
} from './cell.js';
import type { ParameterSpec } from './parameters.js';
import {
  RecurrentLayer, recurrentParameterSpecs, shapeOptions,
  type ForwardInputs, type RecurrentGradients, type RecurrentInputGradients, type RecurrentOptions, type RecurrentResult,
} from './recurrent.js';

export interface LSTMOptions extends RecurrentOptions {
  /** σ of the i, f, o gates: 'sigmoid' (default), 'hardSigmoid' (tfjs/Keras 2) or 'hardSigmoidKeras3'. */
  gateActivation?: GateActivation;
  /** Keras' unit_forget_bias: forget-gate slice of bias_ih = 1 and of bias_hh = 0 (sum 1). Default false. */
  unitForgetBias?: boolean;
}

/**
 * LSTM with PyTorch's gate order i, f, g, o in each [4H] block: pre = x·W_ihᵀ + b_ih + b_hh (all
 * steps, one GEMM) + hPrev·W_hhᵀ (per step); c = f⊙cPrev + i⊙g, h = o⊙tanh(c).
 */
export function lstmCell(gateActivation: GateActivation): Cell {
  const gateAct = gateActivationCode(gateActivation);
  return {
    gates: 4,
    cellState: true,
    forwardSizes: (_rows, _batch, hidden, bias) => ({
      gates: 0, hProj: 0, rh: 0, biasSum: bias ? 4 * hidden : 0, wHhPacked: packedWeightLengthForward(4, hidden),
    }),
    backwardSizes: (_rows, batch, hidden) => ({ dHProj: 0, dc: batch * hidden, dRh: 0, wHhPacked: packedWeightLengthBackward(4, hidden) }),
    project(k: Kernels, d: Direction) {
      addSummedBiases(k, d);
      packRecurrentWeightForward(k, d);
    },
    prepareBackward: packRecurrentWeightBackward,
    stepForward(k: Kernels, d: Direction, t: number, hPrev: number, h: number, cPrev: number, c: number, mask: number) {
      const gates = rowBlock(d.fwd.xProj, t, d.B, d.GH);
      addRecurrentProduct(k, d, gates, hPrev);
      k.lstmStepForward(h, c, gates, cPrev, hPrev, mask, d.B, d.H, gateAct);
    },
    stepBackward(k: Kernels, d: Direction, t: number, dh: number, _hPrev: number, _h: number, cPrev: number, c: number, mask: number) {
      const dGates = rowBlock(d.bwd.dXProj, t, d.B, d.GH);
      k.lstmStepBackward(dGates, d.bwd.dc, d.bwd.dh, dh, rowBlock(d.fwd.xProj, t, d.B, d.GH), c, cPrev, mask, d.B, d.H, gateAct);
      // Without a mask the kernel leaves dhPrev alone; with one it wrote dh on padded rows.
      recurrentInputGradient(k, d, d.bwd.dh, dGates, mask === 0 ? 0 : 1);
    },
    recurrentGradients: sharedProjectionGradients,
  };
}

/** PyTorch's `nn.LSTM`: `new LSTM({ inputSize, hiddenSize, numLayers, bidirectional, batchFirst, ... })`. */
export class LSTM extends RecurrentLayer {
  readonly gateActivation: GateActivation;

  constructor(options: LSTMOptions) {
    let gateActivation: GateActivation = 'sigmoid';
    let unitForgetBias = false;
    super('LSTM', options, ['gateActivation', 'unitForgetBias'], (where) => {
      gateActivation = oneOf(where, 'gateActivation', options.gateActivation ?? 'sigmoid', GATE_ACTIVATIONS);
      unitForgetBias = bool(where, 'unitForgetBias', options.unitForgetBias ?? false);
      if (unitForgetBias && options.bias === false) throw new OptionError(`${where}: unitForgetBias needs bias: true`);
      return lstmCell(gateActivation);
    });
    this.gateActivation = gateActivation;
    if (unitForgetBias) this.setUnitForgetBias();
  }

  /** The parameter table (PyTorch names and shapes) a model needs to build a shared ParameterSet. */
  static parameterSpecs(options: LSTMOptions): ParameterSpec[] {
    return recurrentParameterSpecs(4, shapeOptions('LSTM', options));
  }

  override forward(x: Tensor | number[][][], inputs?: ForwardInputs): RecurrentResult & { cN: Tensor } {
    return super.forward(x, inputs) as RecurrentResult & { cN: Tensor };
  }

  override backward(gradients?: RecurrentGradients): RecurrentInputGradients & { c0: Tensor } {
    return super.backward(gradients) as RecurrentInputGradients & { c0: Tensor };
  }

  private setUnitForgetBias(): void {
    const H = this.hiddenSize;
    for (const [name, { value }] of Object.entries(this.parameters())) {
      if (name.startsWith('bias_ih')) value.fill(1, H, 2 * H);
      else if (name.startsWith('bias_hh')) value.fill(0, H, 2 * H);
    }
  }
}
