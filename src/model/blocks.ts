import type { Runtime } from '../kernels/runtime.js';
import type { Cell } from '../layers/cell.js';
import { DenseCore } from '../layers/dense.js';
import { DropoutCore } from '../layers/dropout.js';
import { EmbeddingCore } from '../layers/embedding.js';
import { gruCell } from '../layers/gru.js';
import { fillGlorotUniform, fillOrthogonal, fillUniform } from '../layers/init.js';
import { lstmCell } from '../layers/lstm.js';
import type { ParameterSet } from '../layers/parameters.js';
import { RecurrentCore } from '../layers/recurrent-core.js';
import { rnnCell } from '../layers/simple-rnn.js';
import { Workspace } from '../layers/workspace.js';
import type { Random } from '../random.js';
import type { RecurrentSpec } from './layer-specs.js';
import type { PlannedLayer } from './stack.js';

/*
 * The layers of a built model: each wraps a core (arena offsets, time-major) and knows how many
 * rows it sees (T·B for sequences, B for vectors). forward returns the offset of its output;
 * backward takes ∂L/∂output, ACCUMULATES parameter gradients and returns the offset of ∂L/∂input
 * (0 when not wanted). Buffers are carved per (T, B) and reused.
 */

/** The batch every block of a model is running: owned and reused by the model. */
export interface StepContext {
  T: number;
  B: number;
  /** [T, B] step mask (1 = real step) or 0 when every step is real. */
  mask: number;
  training: boolean;
  /** Dropout masks are drawn from it while training. */
  random: Random;
}

export interface Block {
  readonly plan: PlannedLayer;
  /** `logits`: a final Dense keeps its output pre-activation (the loss applies it, fused). */
  forward(x: number, ctx: StepContext, logits: boolean): number;
  backward(dOutput: number, wantInput: boolean): number;
  /** Keras' default initialisation of this layer's parameters. */
  initialise(parameters: ParameterSet, random: Random): void;
  release(): void;
}

export function buildBlock(runtime: Runtime, plan: PlannedLayer, parameters: ParameterSet): Block {
  switch (plan.spec.className) {
    case 'Dense':
      return new DenseBlock(runtime, plan, parameters);
    case 'Embedding':
      return new EmbeddingBlock(runtime, plan, parameters);
    case 'Dropout':
      return new DropoutBlock(runtime, plan);
    default:
      return new RecurrentBlock(runtime, plan, parameters);
  }
}

function rowsOf(sequence: boolean, ctx: StepContext): number {
  return sequence ? ctx.T * ctx.B : ctx.B;
}

function cellOf(spec: RecurrentSpec): Cell {
  const { activation, recurrentActivation = 'sigmoid', resetAfter = true } = spec.config;
  if (spec.className === 'SimpleRNN') return rnnCell(activation);
  if (spec.className === 'LSTM') return lstmCell(recurrentActivation);
  return gruCell(recurrentActivation, resetAfter);
}

/** SimpleRNN, LSTM or GRU, one layer, one or two directions, with optional input dropout. */
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
  private readonly space: Workspace;
  private key = -1;
  private buffers = { last: 0, dhN: 0, dx: 0 };
  private B = 0;

  constructor(
    private readonly runtime: Runtime,
    readonly plan: PlannedLayer,
    parameters: ParameterSet,
  ) {
    const bidirectional = plan.spec.className === 'Bidirectional';
    this.spec = plan.spec.className === 'Bidirectional' ? plan.spec.config.layer : (plan.spec as RecurrentSpec);
    this.directions = bidirectional ? 2 : 1;
    const { units, useBias, dropout } = this.spec.config;
    const shape = { inputSize: plan.input.features, hiddenSize: units, numLayers: 1, bidirectional, bias: useBias };
    this.core = new RecurrentCore(runtime, cellOf(this.spec), shape, parameters, plan.prefix);
    this.dropout = dropout > 0 ? new DropoutCore(runtime, dropout) : null;
    this.space = new Workspace(runtime.arena);
  }

  forward(x: number, ctx: StepContext): number {
    const { T, B } = ctx;
    this.layout(T, B);
    let input = x;
    if (this.dropout !== null) {
      this.dropout.forward(x, T * B, this.plan.input.features, ctx.training, ctx.random, T);
      input = this.dropout.output;
    }
    this.core.forward(input, T, B, this.h0, this.c0, ctx.mask);
    if (this.spec.config.returnSequences) return this.core.output;
    if (this.directions === 1) return this.core.hN;
    // Bidirectional last step: [B, 2H] = (forward hN | backward hN), as Keras' concat.
    const H = this.spec.config.units;
    const k = this.runtime.kernels;
    k.copyRows(this.buffers.last, this.core.hN, B, H, 2 * H, H);
    k.copyRows(this.buffers.last + H * 4, this.core.hN + B * H * 4, B, H, 2 * H, H);
    return this.buffers.last;
  }

  backward(dOutput: number, wantInput: boolean): number {
    const dx = wantInput ? this.buffers.dx : 0;
    if (this.spec.config.returnSequences) this.core.backward(dOutput, 0, this.dcN, dx, this.dh0, this.dc0);
    else if (this.directions === 1) this.core.backward(0, dOutput, this.dcN, dx, this.dh0, this.dc0);
    else {
      const H = this.spec.config.units;
      const B = this.B;
      const k = this.runtime.kernels;
      k.copyRows(this.buffers.dhN, dOutput, B, H, H, 2 * H);
      k.copyRows(this.buffers.dhN + B * H * 4, dOutput + H * 4, B, H, H, 2 * H);
      this.core.backward(0, this.buffers.dhN, this.dcN, dx, this.dh0, this.dc0);
    }
    if (dx !== 0 && this.dropout !== null) this.dropout.backward(dx, dx);
    return dx;
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

  private layout(T: number, B: number): void {
    const key = T * 65536 + B;
    if (key === this.key) return;
    const collapsedPair = this.directions === 2 && !this.spec.config.returnSequences ? 2 * B * this.spec.config.units : 0;
    this.buffers = this.space.carve({ last: collapsedPair, dhN: collapsedPair, dx: T * B * this.plan.input.features });
    this.key = key;
    this.B = B;
  }
}

/** nn.Linear on every step of a sequence or on one vector per sequence. */
class DenseBlock implements Block {
  private readonly core: DenseCore;
  private readonly space: Workspace;
  private rows = -1;
  private dx = 0;

  constructor(
    runtime: Runtime,
    readonly plan: PlannedLayer,
    parameters: ParameterSet,
  ) {
    if (plan.spec.className !== 'Dense') throw new TypeError('DenseBlock needs a Dense spec');
    const { units, activation, useBias } = plan.spec.config;
    this.core = new DenseCore(runtime, { inputSize: plan.input.features, units, activation, bias: useBias }, parameters, plan.prefix);
    this.space = new Workspace(runtime.arena);
  }

  forward(x: number, ctx: StepContext, logits: boolean): number {
    const rows = rowsOf(this.plan.input.sequence, ctx);
    if (rows !== this.rows) {
      this.dx = this.space.carve({ dx: rows * this.plan.input.features }).dx;
      this.rows = rows;
    }
    this.core.forward(x, rows, !logits);
    return this.core.output;
  }

  backward(dOutput: number, wantInput: boolean): number {
    const dx = wantInput ? this.dx : 0;
    this.core.backward(dOutput, dx);
    return dx;
  }

  initialise(parameters: ParameterSet, random: Random): void {
    const weight = parameters.entry(`${this.plan.prefix}weight`);
    fillGlorotUniform(parameters.value(weight.name), random, weight.shape[1]!, weight.shape[0]!);
    if (parameters.has(`${this.plan.prefix}bias`)) parameters.value(`${this.plan.prefix}bias`).fill(0);
  }

  release(): void {
    this.core.release();
    this.space.release();
    this.rows = -1;
  }
}

/** Keras' default embeddings initializer: U(−0.05, 0.05). */
const EMBEDDING_INIT_BOUND = 0.05;

class EmbeddingBlock implements Block {
  private readonly core: EmbeddingCore;

  constructor(
    runtime: Runtime,
    readonly plan: PlannedLayer,
    parameters: ParameterSet,
  ) {
    if (plan.spec.className !== 'Embedding') throw new TypeError('EmbeddingBlock needs an Embedding spec');
    this.core = new EmbeddingCore(runtime, { inputDim: plan.spec.config.inputDim, outputDim: plan.spec.config.outputDim }, parameters, plan.prefix);
  }

  forward(x: number, ctx: StepContext): number {
    this.core.forward(x, ctx.T * ctx.B);
    return this.core.output;
  }

  backward(dOutput: number): number {
    this.core.backward(dOutput);
    return 0;
  }

  initialise(parameters: ParameterSet, random: Random): void {
    fillUniform(parameters.value(`${this.plan.prefix}weight`), random, EMBEDDING_INIT_BOUND);
  }

  release(): void {
    this.core.release();
  }
}

class DropoutBlock implements Block {
  private readonly core: DropoutCore;

  constructor(
    runtime: Runtime,
    readonly plan: PlannedLayer,
  ) {
    if (plan.spec.className !== 'Dropout') throw new TypeError('DropoutBlock needs a Dropout spec');
    this.core = new DropoutCore(runtime, plan.spec.config.rate);
  }

  forward(x: number, ctx: StepContext): number {
    this.core.forward(x, rowsOf(this.plan.input.sequence, ctx), this.plan.input.features, ctx.training, ctx.random);
    return this.core.output;
  }

  /** In place: ∂L/∂output is not needed after this, so ∂L/∂input overwrites it. */
  backward(dOutput: number, wantInput: boolean): number {
    if (!wantInput) return 0;
    this.core.backward(dOutput, dOutput);
    return dOutput;
  }

  initialise(): void {}

  release(): void {
    this.core.release();
  }
}
