import { bool, oneOf } from '../errors.js';
import type { Kernels } from '../kernels/kernels.js';
import { packedPanelLength } from '../kernels/packing.js';
import {
  GATE_ACTIVATIONS, addRecurrentProduct, gateActivationCode, packRecurrentWeightBackward, packRecurrentWeightForward,
  packedWeightLengthBackward, packedWeightLengthForward, recurrentInputGradient, rowBlock, type Cell, type Direction, type GateActivation,
} from './cell.js';
import type { ParameterSpec } from './parameters.js';
import { RecurrentLayer, recurrentParameterSpecs, shapeOptions, type RecurrentOptions } from './recurrent.js';

export interface GRUOptions extends RecurrentOptions {
  /** σ of the r and z gates: 'sigmoid' (default), 'hardSigmoid' (tfjs/Keras 2) or 'hardSigmoidKeras3'. */
  gateActivation?: GateActivation;
  /**
   * true (default; PyTorch, Keras TF2): n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)).
   * false (original form; tfjs, Keras 1/2 default): n = tanh(W_in x + b_in + W_hn (r ⊙ h) + b_hn).
   */
  resetAfter?: boolean;
}

/**
 * GRU with PyTorch's gate order r, z, n in each [3H] block and h = (1 − z) ⊙ n + z ⊙ hPrev.
 * xProj = x·W_ihᵀ + b_ih for all steps in one GEMM; hProj starts as b_hh in every row and each
 * step accumulates its recurrent GEMM onto it (reset-before: r, z columns first, then the n
 * columns from r ⊙ hPrev).
 */
export function gruCell(gateActivation: GateActivation, resetAfter: boolean): Cell {
  const gateAct = gateActivationCode(gateActivation);
  const after = resetAfter ? 1 : 0;
  return {
    gates: 3,
    cellState: false,
    // W_hh is packed whole (reset-after) or as its r,z rows and its n rows (reset-before), each
    // slice in its own panels: the two products of a reset-before step use them separately.
    forwardSizes: (rows, _batch, hidden) => ({
      gates: rows * 3 * hidden, hProj: rows * 3 * hidden, rh: resetAfter ? 0 : rows * hidden, biasSum: 0,
      wHhPacked: resetAfter ? packedWeightLengthForward(3, hidden) : packedWeightLengthForward(2, hidden) + packedWeightLengthForward(1, hidden),
    }),
    backwardSizes: (rows, batch, hidden) => ({
      dHProj: rows * 3 * hidden, dc: 0, dRh: resetAfter ? 0 : batch * hidden,
      wHhPacked: resetAfter ? packedWeightLengthBackward(3, hidden) : packedWeightLengthBackward(2, hidden) + packedWeightLengthBackward(1, hidden),
    }),
    project(k: Kernels, d: Direction) {
      const rows = d.T * d.B;
      k.fill(d.fwd.hProj, 0, rows * d.GH);
      if (resetAfter) packRecurrentWeightForward(k, d);
      else {
        const { H } = d;
        k.packB(d.fwd.wHhPacked, d.p.wHh, H, 2 * H, H, 1);
        k.packB(nSlice(d.fwd.wHhPacked, H, 2 * H), d.p.wHh + 2 * H * H * 4, H, H, H, 1);
      }
      if (!d.bias) return;
      k.addRowVector(d.fwd.xProj, d.p.bIh, rows, d.GH);
      k.addRowVector(d.fwd.hProj, d.p.bHh, rows, d.GH);
    },
    prepareBackward(k: Kernels, d: Direction) {
      if (resetAfter) return packRecurrentWeightBackward(k, d);
      const { H } = d;
      k.packB(d.bwd.wHhPacked, d.p.wHh, 2 * H, H, H, 0);
      k.packB(nSlice(d.bwd.wHhPacked, 2 * H, H), d.p.wHh + 2 * H * H * 4, H, H, H, 0);
    },
    stepForward(k: Kernels, d: Direction, t: number, hPrev: number, h: number, _cPrev: number, _c: number, mask: number) {
      const { B, H, GH } = d;
      const gates = rowBlock(d.fwd.gates, t, B, GH);
      const xProj = rowBlock(d.fwd.xProj, t, B, GH);
      const hProj = rowBlock(d.fwd.hProj, t, B, GH);
      if (resetAfter) addRecurrentProduct(k, d, hProj, hPrev);
      else {
        const rh = rowBlock(d.fwd.rh, t, B, H);
        k.gemmPacked(hProj, hPrev, d.fwd.wHhPacked, B, 2 * H, H, H, GH, 1, 1);
        k.gruResetGateForward(gates, rh, xProj, hProj, hPrev, B, H, gateAct);
        k.gemmPacked(hProj + 2 * H * 4, rh, nSlice(d.fwd.wHhPacked, H, 2 * H), B, H, H, H, GH, 1, 1);
      }
      k.gruStepForward(h, gates, xProj, hProj, hPrev, mask, B, H, gateAct, after);
    },
    stepBackward(k: Kernels, d: Direction, t: number, dh: number, hPrev: number, _h: number, _cPrev: number, _c: number, mask: number) {
      const { B, H, GH } = d;
      const gates = rowBlock(d.fwd.gates, t, B, GH);
      const dXProj = rowBlock(d.bwd.dXProj, t, B, GH);
      const dHProj = rowBlock(d.bwd.dHProj, t, B, GH);
      k.gruStepBackward(dXProj, dHProj, d.bwd.dh, dh, gates, rowBlock(d.fwd.hProj, t, B, GH), hPrev, mask, B, H, gateAct, after);
      if (resetAfter) recurrentInputGradient(k, d, d.bwd.dh, dHProj, 1);
      else {
        // ∂L/∂(r ⊙ hPrev) through W_hn, then the reset gate's share, then the r, z columns' GEMM.
        k.gemmPacked(d.bwd.dRh, dHProj + 2 * H * 4, nSlice(d.bwd.wHhPacked, 2 * H, H), B, H, H, GH, H, 1, 0);
        k.gruResetGateBackward(dXProj, dHProj, d.bwd.dh, d.bwd.dRh, gates, hPrev, mask, B, H, gateAct);
        k.gemmPacked(d.bwd.dh, dHProj, d.bwd.wHhPacked, B, H, 2 * H, GH, H, 1, 1);
      }
    },
    recurrentGradients(k: Kernels, d: Direction, hPrevs: number) {
      const { H, GH } = d;
      const rows = d.T * d.B;
      if (resetAfter) k.gemmTN(d.p.dWHh, d.bwd.dHProj, hPrevs, GH, H, rows, GH, H, H, 1, 1);
      else {
        k.gemmTN(d.p.dWHh, d.bwd.dHProj, hPrevs, 2 * H, H, rows, GH, H, H, 1, 1);
        k.gemmTN(d.p.dWHh + 2 * H * H * 4, d.bwd.dHProj + 2 * H * 4, d.fwd.rh, H, H, rows, GH, H, H, 1, 1);
      }
      if (d.bias) k.sumRows(d.p.dBHh, d.bwd.dHProj, rows, GH);
    },
  };
}

/** Reset-before: the packed n rows of W_hh follow the packed r,z slice of op(B) [k, n]. */
function nSlice(packed: number, k: number, n: number): number {
  return packed + packedPanelLength(k, n) * 4;
}

/** PyTorch's `nn.GRU` (resetAfter: true, default) or the original/tfjs form (resetAfter: false). */
export class GRU extends RecurrentLayer {
  readonly gateActivation: GateActivation;
  readonly resetAfter: boolean;

  constructor(options: GRUOptions) {
    let gateActivation: GateActivation = 'sigmoid';
    let resetAfter = true;
    super('GRU', options, ['gateActivation', 'resetAfter'], (where) => {
      gateActivation = oneOf(where, 'gateActivation', options.gateActivation ?? 'sigmoid', GATE_ACTIVATIONS);
      resetAfter = bool(where, 'resetAfter', options.resetAfter ?? true);
      return gruCell(gateActivation, resetAfter);
    });
    this.gateActivation = gateActivation;
    this.resetAfter = resetAfter;
  }

  /** The parameter table (PyTorch names and shapes) a model needs to build a shared ParameterSet. */
  static parameterSpecs(options: GRUOptions): ParameterSpec[] {
    return recurrentParameterSpecs(3, shapeOptions('GRU', options));
  }
}
