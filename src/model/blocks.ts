import type { Runtime } from '../kernels/runtime.js';
import { DenseCore } from '../layers/dense.js';
import { DropoutCore } from '../layers/dropout.js';
import { EmbeddingCore } from '../layers/embedding.js';
import { fillGlorotUniform, fillUniform } from '../layers/init.js';
import type { ParameterSet } from '../layers/parameters.js';
import { Workspace } from '../layers/workspace.js';
import type { Random } from '../random.js';
import { MaskingBlock } from './masking-block.js';
import { RecurrentBlock } from './recurrent-block.js';
import type { PlannedLayer } from './stack.js';

export { RecurrentBlock };

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
  /**
   * [T, B] step mask (1 = real step) or 0 when every step is real. A masking layer replaces it
   * for the layers after it.
   */
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
    case 'Masking':
      return new MaskingBlock(runtime, plan);
    default:
      return new RecurrentBlock(runtime, plan, parameters);
  }
}

export function rowsOf(sequence: boolean, ctx: StepContext): number {
  return sequence ? ctx.T * ctx.B : ctx.B;
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
