import { OptionError, StateError } from '../errors.js';
import type { Runtime } from '../kernels/runtime.js';
import { Workspace } from '../layers/workspace.js';
import { RecurrentBlock, type Block } from './blocks.js';
import { readsBackwards, type StackPlan } from './stack.js';

/*
 * Recurrent state carried from one forward to the next: streaming (`model.step`), generation
 * (the prefix once, then one step per token), encoder–decoder decoding and truncated BPTT all run
 * a model on a piece of a sequence starting from where the previous piece ended.
 */

/** Per recurrent layer: buffers [D, B, H] holding h (and c for LSTM) between forwards. */
export class CarriedStates {
  /** The model's recurrent layers, in order. */
  readonly layers: readonly RecurrentBlock[];
  private readonly space: Workspace;
  private slots: { h: number; c: number }[] = [];
  private B = 0;

  constructor(
    private readonly runtime: Runtime,
    blocks: readonly Block[],
  ) {
    this.layers = blocks.filter((block): block is RecurrentBlock => block instanceof RecurrentBlock);
    this.space = new Workspace(runtime.arena);
  }

  /** Batch size of the carried states; 0 before the first reset. */
  get batch(): number {
    return this.B;
  }

  /** Zero states for a batch of B sequences (buffers are laid out again only when B changes). */
  reset(B: number): void {
    if (B !== this.B) this.layout(B);
    const k = this.runtime.kernels;
    for (let i = 0; i < this.layers.length; i++) {
      const { h, c } = this.slots[i]!;
      const n = stateSize(this.layers[i]!, B);
      k.fill(h, 0, n);
      if (c !== 0) k.fill(c, 0, n);
    }
  }

  /** Offsets of layer i's carried h and c ([D, B, H]; c is 0 without a cell state). */
  slot(i: number): { h: number; c: number } {
    return this.slots[i]!;
  }

  /** Makes the next forward of every recurrent layer start from the carried states. */
  attach(): void {
    for (let i = 0; i < this.layers.length; i++) {
      this.layers[i]!.h0 = this.slots[i]!.h;
      this.layers[i]!.c0 = this.slots[i]!.c;
    }
  }

  /** Back to zero initial states (what fit, evaluate and predict use). */
  detach(): void {
    for (const layer of this.layers) {
      layer.h0 = 0;
      layer.c0 = 0;
    }
  }

  /** The final states of the last forward become the carried states. */
  keepFinal(): void {
    const k = this.runtime.kernels;
    for (let i = 0; i < this.layers.length; i++) {
      const layer = this.layers[i]!;
      const { h, c } = this.slots[i]!;
      k.copy(h, layer.core.hN, stateSize(layer, this.B));
      if (c !== 0) k.copy(c, layer.core.cN, stateSize(layer, this.B));
    }
  }

  release(): void {
    this.space.release();
    this.slots = [];
    this.B = 0;
  }

  private layout(B: number): void {
    const sizes: Record<string, number> = {};
    this.layers.forEach((layer, i) => {
      const n = stateSize(layer, B);
      sizes[`h${i}`] = n;
      sizes[`c${i}`] = layer.core.cell.cellState ? n : 0;
    });
    const o = this.space.carve(sizes);
    this.slots = this.layers.map((_, i) => ({ h: o[`h${i}`]!, c: o[`c${i}`]! }));
    this.B = B;
  }
}

function stateSize(layer: RecurrentBlock, B: number): number {
  return layer.core.directions * B * layer.core.sizes.hiddenSize;
}

/** What a stream needs from a model (a Sequential). */
export interface StreamModel {
  readonly runtime: Runtime;
  readonly plan: StackPlan;
  readonly blocks: readonly Block[];
  forwardBatch(x: number, T: number, B: number, mask: number, training: boolean, logits: boolean): number;
}

/**
 * Runs a model piece by piece in inference mode, each piece starting from the states the previous
 * one ended with: a prefix of T steps at once, then one step at a time.
 */
export class Stream {
  private readonly states: CarriedStates;
  private readonly space: Workspace;
  private inputSize = -1;
  private input = { x: 0, mask: 0 };

  constructor(
    private readonly model: StreamModel,
    where: string,
  ) {
    checkStreamable(where, model.plan);
    this.states = new CarriedStates(model.runtime, model.blocks);
    this.space = new Workspace(model.runtime.arena);
  }

  /** Batch size of the stream; 0 until the first reset. */
  get batch(): number {
    return this.states.batch;
  }

  /** The recurrent layers' carried states (a decoder's initial state is written here). */
  get carried(): CarriedStates {
    return this.states;
  }

  /** Starts B sequences from zero states. */
  reset(B: number): void {
    this.states.reset(B);
  }

  /** Arena buffers for `rows` input rows (x [rows, features]) and their mask [rows]; valid until the next call. */
  inputBuffers(rows: number): { x: number; mask: number } {
    if (rows !== this.inputSize) {
      this.input = this.space.carve({ x: rows * this.model.plan.input.features, mask: rows });
      this.inputSize = rows;
    }
    return this.input;
  }

  /**
   * Runs T steps of x [T·B, features] (time-major; ids as f32) with mask [T, B] or 0, from the
   * carried states, and carries the final states on. Returns the offset of the outputs of the
   * last step, [B, units], with the final activation applied.
   */
  advance(x: number, T: number, B: number, mask: number): number {
    if (B !== this.states.batch) throw new StateError(`stream: its batch is ${this.states.batch} sequences, got ${B}; reset it first`);
    this.states.attach();
    let output: number;
    try {
      output = this.model.forwardBatch(x, T, B, mask, false, false);
    } finally {
      this.states.detach();
    }
    this.states.keepFinal();
    return this.model.plan.output.sequence ? output + (T - 1) * B * this.model.plan.output.features * 4 : output;
  }

  release(): void {
    this.states.release();
    this.space.release();
    this.inputSize = -1;
  }
}

/** Step-by-step running needs sequence input and no layer that reads the sequence backwards. */
function checkStreamable(where: string, plan: StackPlan): void {
  if (!plan.input.sequence) throw new OptionError(`${where}: the model's input is one vector per sample ([batch, ${plan.input.features}]), not a sequence, so it has no steps to run one at a time`);
  const bidirectional = plan.layers.find((layer) => layer.spec.className === 'Bidirectional');
  if (bidirectional !== undefined) {
    throw new OptionError(`${where}: layer ${bidirectional.index} (${bidirectional.name}) is bidirectional: its backward direction reads the sequence from its end, so it cannot run one step at a time`);
  }
  const backwards = plan.layers.find(readsBackwards);
  if (backwards !== undefined) throw new OptionError(`${where}: layer ${backwards.index} (${backwards.name}) has goBackwards: true: it reads the sequence from its end, so it cannot run one step at a time`);
}
