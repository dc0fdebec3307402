import type { Runtime } from '../kernels/runtime.js';
import type { Cell } from '../layers/cell.js';
import { DropoutCore } from '../layers/dropout.js';
import { gruCell } from '../layers/gru.js';
import { fillGlorotUniform, fillOrthogonal } from '../layers/init.js';
import { lstmCell } from '../layers/lstm.js';
import type { ParameterSet } from '../layers/parameters.js';
import { RecurrentCore } from '../layers/recurrent-core.js';
import { rnnCell } from '../layers/simple-rnn.js';
import { Workspace } from '../layers/workspace.js';
import type { Random } from '../random.js';
import type { Block, StepContext } from './blocks.js';
import { mergeBackward, mergeForward } from './direction-merge.js';
import type { MergeMode, RecurrentSpec } from './layer-specs.js';
import { zeroMaskedRows } from './mask-rows.js';
import type { PlannedLayer } from './stack.js';
import { reverseSteps } from './time-reverse.js';

function cellOf(spec: RecurrentSpec): Cell {
  const { activation, recurrentActivation = 'sigmoid', resetAfter = true } = spec.config;
  if (spec.className === 'SimpleRNN') return rnnCell(activation);
  if (spec.className === 'LSTM') return lstmCell(recurrentActivation);
  return gruCell(recurrentActivation, resetAfter);
}

/**
 * SimpleRNN, LSTM or GRU, one layer, one or two directions (merged as Keras' merge_mode), with
 * optional input dropout, Keras' go_backwards (the input and its mask reversed in time before
 * the core runs, the per-step output left in that reversed order) and zero_output_for_mask (per-step
 * outputs of masked steps are zeros, not the carried state).
 */
export class RecurrentBlock implements Block {
  readonly core: RecurrentCore;
  readonly spec: RecurrentSpec;
  /** Initial states [D, B, H] (LSTM: c0 too), for encoder–decoder and streaming models; 0 = zeros. */
  h0 = 0;
  c0 = 0;
  /** Where backward writes ∂L/∂h0 (and ∂L/∂c0) [D, B, H]; 0 = not wanted. */
  dh0 = 0;
  dc0 = 0;
  /**
   * ∂L/∂cN [D, B, H] backward starts from, besides the gradient of the output (an encoder whose
   * final cell state initialises a decoder); 0 = none. LSTM only.
   */
  dcN = 0;
  private readonly dropout: DropoutCore | null;
  private readonly directions: number;
  /** How two directions are joined ('concat' for one direction: nothing to join). */
  private readonly merge: MergeMode;
  private readonly backwards: boolean;
  /** zeroOutputForMask with per-step outputs. */
  private readonly zeroMasked: boolean;
  /** The step mask the core ran with (reversed with goBackwards), or 0. */
  private mask = 0;
  private readonly space: Workspace;
  private key = -1;
  private buffers = {
    last: 0, dhN: 0, dx: 0, forwardOut: 0, backwardOut: 0, merged: 0, dForward: 0, dBackward: 0, dPair: 0,
    reversed: 0, reversedMask: 0, reversedDx: 0, zeroed: 0,
  };
  private T = 0;
  private B = 0;

  constructor(
    private readonly runtime: Runtime,
    readonly plan: PlannedLayer,
    parameters: ParameterSet,
  ) {
    const bidirectional = plan.spec.className === 'Bidirectional';
    this.spec = plan.spec.className === 'Bidirectional' ? plan.spec.config.layer : (plan.spec as RecurrentSpec);
    this.directions = bidirectional ? 2 : 1;
    this.merge = plan.spec.className === 'Bidirectional' ? plan.spec.config.mergeMode : 'concat';
    this.backwards = this.spec.config.goBackwards === true;
    this.zeroMasked = this.spec.config.zeroOutputForMask === true && this.spec.config.returnSequences;
    const { units, useBias, dropout } = this.spec.config;
    const shape = { inputSize: plan.input.features, hiddenSize: units, numLayers: 1, bidirectional, bias: useBias };
    this.core = new RecurrentCore(runtime, cellOf(this.spec), shape, parameters, plan.prefix);
    this.dropout = dropout > 0 ? new DropoutCore(runtime, dropout) : null;
    this.space = new Workspace(runtime.arena);
  }

  forward(x: number, ctx: StepContext): number {
    const { T, B } = ctx;
    this.layout(T, B);
    const k = this.runtime.kernels;
    let input = x;
    let mask = ctx.mask;
    if (this.dropout !== null) {
      this.dropout.forward(x, T * B, this.plan.input.features, ctx.training, ctx.random, T);
      input = this.dropout.output;
    }
    if (this.backwards) {
      reverseSteps(k, this.buffers.reversed, input, T, B, this.plan.input.features);
      input = this.buffers.reversed;
      if (mask !== 0) {
        reverseSteps(k, this.buffers.reversedMask, mask, T, B, 1);
        mask = this.buffers.reversedMask;
      }
    }
    this.mask = mask;
    this.core.forward(input, T, B, this.h0, this.c0, mask);
    return this.spec.config.returnSequences ? this.sequenceOutput() : this.lastOutput();
  }

  backward(dOutput: number, wantInput: boolean): number {
    const dx = !wantInput ? 0 : this.backwards ? this.buffers.reversedDx : this.buffers.dx;
    if (this.spec.config.returnSequences) this.core.backward(this.sequenceGradient(dOutput), 0, this.dcN, dx, this.dh0, this.dc0);
    else this.core.backward(0, this.lastGradient(dOutput), this.dcN, dx, this.dh0, this.dc0);
    if (dx === 0) return 0;
    if (this.backwards) reverseSteps(this.runtime.kernels, this.buffers.dx, dx, this.T, this.B, this.plan.input.features);
    if (this.dropout !== null) this.dropout.backward(this.buffers.dx, this.buffers.dx);
    return this.buffers.dx;
  }

  initialise(parameters: ParameterSet, random: Random): void {
    const H = this.spec.config.units;
    for (const { name, shape } of this.plan.parameters) {
      const values = parameters.value(this.plan.prefix + name);
      // W_ih [G·H, I] is Keras' kernel [I, G·H] transposed; W_hh likewise its recurrent kernel.
      if (name.startsWith('weight_ih')) fillGlorotUniform(values, random, shape[1]!, shape[0]!);
      else if (name.startsWith('weight_hh')) fillOrthogonal(values, random, shape[0]!, shape[1]!);
      else {
        values.fill(0);
        if (this.spec.config.unitForgetBias === true && name.startsWith('bias_ih')) values.fill(1, H, 2 * H);
      }
    }
  }

  release(): void {
    this.core.release();
    this.dropout?.release();
    this.space.release();
    this.key = -1;
  }

  /** [T·B, D·H] (concat) or [T·B, H] (one direction, or two merged). */
  private sequenceOutput(): number {
    const out = this.directions === 1 || this.merge === 'concat' ? this.core.output : this.mergedSequence();
    if (!this.zeroMasked || this.mask === 0) return out;
    const rows = this.T * this.B;
    const width = this.plan.output.features;
    // The core's output holds states backward reads: zero a copy of it.
    const zeroed = out === this.core.output ? this.buffers.zeroed : out;
    if (zeroed !== out) this.runtime.kernels.copy(zeroed, out, rows * width);
    zeroMaskedRows(this.runtime, zeroed, this.mask, rows, width);
    return zeroed;
  }

  private mergedSequence(): number {
    const rows = this.T * this.B;
    const H = this.spec.config.units;
    const k = this.runtime.kernels;
    const { forwardOut, backwardOut, merged } = this.buffers;
    k.copyRows(forwardOut, this.core.output, rows, H, H, 2 * H);
    k.copyRows(backwardOut, this.core.output + H * 4, rows, H, H, 2 * H);
    mergeForward(k, this.merge as Exclude<MergeMode, 'concat'>, merged, forwardOut, backwardOut, rows * H);
    return merged;
  }

  /** [B, D·H] (concat: forward hN | backward hN, as Keras) or [B, H]. */
  private lastOutput(): number {
    if (this.directions === 1) return this.core.hN;
    const B = this.B;
    const H = this.spec.config.units;
    const k = this.runtime.kernels;
    const hN = this.core.hN;
    if (this.merge !== 'concat') mergeForward(k, this.merge, this.buffers.last, hN, hN + B * H * 4, B * H);
    else {
      k.copyRows(this.buffers.last, hN, B, H, 2 * H, H);
      k.copyRows(this.buffers.last + H * 4, hN + B * H * 4, B, H, 2 * H, H);
    }
    return this.buffers.last;
  }

  /** ∂L/∂(core output) [T·B, D·H] from ∂L/∂(block output) (zeroed outputs pass none: in place). */
  private sequenceGradient(dOutput: number): number {
    const rows = this.T * this.B;
    if (this.zeroMasked && this.mask !== 0) zeroMaskedRows(this.runtime, dOutput, this.mask, rows, this.plan.output.features);
    if (this.directions === 1 || this.merge === 'concat') return dOutput;
    const H = this.spec.config.units;
    const k = this.runtime.kernels;
    const { forwardOut, backwardOut, dForward, dBackward, dPair } = this.buffers;
    mergeBackward(k, this.merge, dForward, dBackward, dOutput, forwardOut, backwardOut, rows * H);
    k.copyRows(dPair, dForward, rows, H, 2 * H, H);
    k.copyRows(dPair + H * 4, dBackward, rows, H, 2 * H, H);
    return dPair;
  }

  /** ∂L/∂hN [D, B, H] from ∂L/∂(block output). */
  private lastGradient(dOutput: number): number {
    if (this.directions === 1) return dOutput;
    const B = this.B;
    const H = this.spec.config.units;
    const k = this.runtime.kernels;
    const { dhN } = this.buffers;
    const hN = this.core.hN;
    if (this.merge !== 'concat') mergeBackward(k, this.merge, dhN, dhN + B * H * 4, dOutput, hN, hN + B * H * 4, B * H);
    else {
      k.copyRows(dhN, dOutput, B, H, H, 2 * H);
      k.copyRows(dhN + B * H * 4, dOutput + H * 4, B, H, H, 2 * H);
    }
    return dhN;
  }

  private layout(T: number, B: number): void {
    const key = T * 65536 + B;
    if (key === this.key) return;
    const H = this.spec.config.units;
    const I = this.plan.input.features;
    const rows = T * B;
    const pair = this.directions === 2;
    const merged = pair && this.merge !== 'concat';
    const sequences = this.spec.config.returnSequences;
    const mergedSequence = merged && sequences ? rows * H : 0;
    const reversed = this.backwards ? rows * I : 0;
    this.buffers = this.space.carve({
      last: pair && !sequences ? (merged ? B * H : 2 * B * H) : 0,
      dhN: pair && !sequences ? 2 * B * H : 0,
      dx: rows * I,
      forwardOut: mergedSequence, backwardOut: mergedSequence, merged: mergedSequence,
      dForward: mergedSequence, dBackward: mergedSequence, dPair: 2 * mergedSequence,
      reversed, reversedMask: this.backwards ? rows : 0, reversedDx: reversed,
      zeroed: this.zeroMasked && !merged ? rows * this.plan.output.features : 0,
    });
    this.key = key;
    this.T = T;
    this.B = B;
  }
}
