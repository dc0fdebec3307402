import { OptionError, ShapeError, StateError, bool, checkOptionNames, describe, oneOf, positiveInteger } from '../errors.js';
import { runtime as defaultRuntime } from '../kernels/backend.js';
import type { Runtime } from '../kernels/runtime.js';
import { Random } from '../random.js';
import { Tensor, checkFinite } from '../tensor.js';
import type { Cell } from './cell.js';
import {
  BIAS_INITS, INPUT_WEIGHT_INITS, RECURRENT_WEIGHT_INITS, fillGlorotUniform, fillOrthogonal, fillUniform,
  type BiasInit, type InputWeightInit, type RecurrentWeightInit,
} from './init.js';
import { ParameterSet, type ParameterSpec, type ParameterView } from './parameters.js';
import { RecurrentCore, directionParameterNames, type CoreShape } from './recurrent-core.js';
import { asTensor, checkedTensor, readFlat, readSequence, stepMask, writeSequence } from './sequence-io.js';
import { readStateDict, type StateDictValue } from './state-dict.js';
import { Workspace } from './workspace.js';

/** Options every recurrent layer takes (PyTorch's names and defaults). */
export interface RecurrentOptions {
  inputSize: number;
  hiddenSize: number;
  /** Stacked layers; layer k > 0 reads the outputs of layer k − 1. Default 1. */
  numLayers?: number;
  /** Use b_ih and b_hh. Default true. */
  bias?: boolean;
  /** Run a second direction over the reversed sequence and concatenate. Default false. */
  bidirectional?: boolean;
  /** x and output are [B, T, ·] instead of [T, B, ·]; states stay [L·D, B, H]. Default false. */
  batchFirst?: boolean;
  /** Seed of the initialisation; the same seed gives the same weights. Default: a random seed. */
  seed?: number;
  /** W_ih: 'uniform' (PyTorch, ±1/√H, default) or 'glorotUniform' (Keras). */
  inputWeightInit?: InputWeightInit;
  /** W_hh: 'uniform' (PyTorch, default) or 'orthogonal' (Keras). */
  recurrentWeightInit?: RecurrentWeightInit;
  /** Biases: 'uniform' (PyTorch, default) or 'zeros' (Keras). */
  biasInit?: BiasInit;
  /** Kernels and arena to run on. Default: the global backend (`init`). */
  runtime?: Runtime;
  /** Place the parameters in this set (a model's) instead of a set of the layer's own. */
  parameterSet?: ParameterSet;
  /** Prefix of this layer's names inside `parameterSet`, e.g. 'encoder.'. Default ''. */
  parameterPrefix?: string;
}

/** `forward`'s optional second argument. State tensors are [numLayers·numDirections, B, hiddenSize]. */
export interface ForwardInputs {
  h0?: Tensor | number[][][];
  /** LSTM only. */
  c0?: Tensor | number[][][];
  /** Per-sequence lengths (right padding): steps t ≥ lengths[b] of sequence b are padding. */
  lengths?: ArrayLike<number>;
  /** 0/1 per step ([T, B], or [B, T] when batchFirst); 0 = padding. Exclusive with `lengths`. */
  mask?: Tensor | number[][];
}

/** What `forward` returns, as PyTorch defines it. */
export interface RecurrentResult {
  /** Top layer's h at every step, directions concatenated: [T, B, D·H] ([B, T, D·H] when batchFirst); 0 at padded steps. */
  output: Tensor;
  /** Final h of every layer and direction: [L·D, B, H] (at each sequence's last real step). */
  hN: Tensor;
  /** LSTM: final c, like hN. */
  cN?: Tensor;
}

/** `backward`'s argument: gradients of a scalar loss w.r.t. what forward returned; omitted = zeros. */
export interface RecurrentGradients {
  output?: Tensor | number[][][];
  hN?: Tensor | number[][][];
  cN?: Tensor | number[][][];
}

/** What `backward` returns. */
export interface RecurrentInputGradients {
  /** ∂L/∂x, shaped like x (0 at padded steps). */
  x: Tensor;
  /** ∂L/∂h0 (also when forward started from zeros). */
  h0: Tensor;
  /** LSTM: ∂L/∂c0. */
  c0?: Tensor;
  /** The accumulated gradient buffers (PyTorch's `.grad`) by parameter name, copied. */
  params: Record<string, Tensor>;
}

export const RECURRENT_OPTION_NAMES = [
  'inputSize', 'hiddenSize', 'numLayers', 'bias', 'bidirectional', 'batchFirst', 'seed',
  'inputWeightInit', 'recurrentWeightInit', 'biasInit', 'runtime', 'parameterSet', 'parameterPrefix',
] as const;

/** Validated shape options shared by every recurrent layer. */
export function shapeOptions(where: string, options: RecurrentOptions): CoreShape & { batchFirst: boolean } {
  if (typeof options !== 'object' || options === null) throw new OptionError(`${where}: options must be an object, got ${describe(options)}`);
  if (options.inputSize === undefined) throw new OptionError(`${where}: inputSize is required`);
  if (options.hiddenSize === undefined) throw new OptionError(`${where}: hiddenSize is required`);
  return {
    inputSize: positiveInteger(where, 'inputSize', options.inputSize),
    hiddenSize: positiveInteger(where, 'hiddenSize', options.hiddenSize),
    numLayers: positiveInteger(where, 'numLayers', options.numLayers ?? 1),
    bias: bool(where, 'bias', options.bias ?? true),
    bidirectional: bool(where, 'bidirectional', options.bidirectional ?? false),
    batchFirst: bool(where, 'batchFirst', options.batchFirst ?? false),
  };
}

/** PyTorch's parameter table for a recurrent layer with `gates` gate blocks, in PyTorch's order. */
export function recurrentParameterSpecs(gates: number, shape: CoreShape): ParameterSpec[] {
  const { inputSize, hiddenSize: H, numLayers, bidirectional, bias } = shape;
  const D = bidirectional ? 2 : 1;
  const specs: ParameterSpec[] = [];
  for (let layer = 0; layer < numLayers; layer++) {
    for (let direction = 0; direction < D; direction++) {
      const names = directionParameterNames(layer, direction);
      const input = layer === 0 ? inputSize : D * H;
      specs.push({ name: names.weightIh, shape: [gates * H, input] }, { name: names.weightHh, shape: [gates * H, H] });
      if (bias) specs.push({ name: names.biasIh, shape: [gates * H] }, { name: names.biasHh, shape: [gates * H] });
    }
  }
  return specs;
}

/**
 * The module API shared by SimpleRNN, LSTM and GRU (PyTorch-shaped): Tensor in, Tensor out,
 * copying into and out of a RecurrentCore that works on the arena.
 */
export abstract class RecurrentLayer {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bias: boolean;
  readonly bidirectional: boolean;
  readonly batchFirst: boolean;
  readonly runtime: Runtime;
  /** The engine on arena offsets, for models that drive the layer without Tensor copies. */
  readonly core: RecurrentCore;
  /** Where the parameters live (the layer's own set, or the model's). */
  readonly parameterSet: ParameterSet;
  private readonly prefix: string;
  private readonly ownsParameters: boolean;
  private readonly specs: ParameterSpec[];
  private readonly inputSpace: Workspace;
  private readonly gradientSpace: Workspace;
  private last: { T: number; B: number; mask: Float32Array | null } | null = null;
  private disposed = false;

  protected constructor(
    private readonly layerName: string,
    options: RecurrentOptions,
    /** Option names beyond RECURRENT_OPTION_NAMES that the subclass accepts. */
    extraOptionNames: readonly string[],
    /** Reads the subclass's own options (after the names were checked) and returns its cell. */
    makeCell: (where: string) => Cell,
  ) {
    const where = layerName;
    if (typeof options !== 'object' || options === null) throw new OptionError(`${where}: options must be an object, got ${describe(options)}`);
    checkOptionNames(where, options, [...RECURRENT_OPTION_NAMES, ...extraOptionNames]);
    const shape = shapeOptions(where, options);
    const cell = makeCell(where);
    ({ inputSize: this.inputSize, hiddenSize: this.hiddenSize, numLayers: this.numLayers, bias: this.bias } = shape);
    ({ bidirectional: this.bidirectional, batchFirst: this.batchFirst } = shape);
    this.runtime = resolveRuntime(where, options);
    this.prefix = options.parameterPrefix ?? '';
    if (typeof this.prefix !== 'string') throw new OptionError(`${where}: parameterPrefix must be a string, got ${describe(this.prefix)}`);
    const init = initOptions(where, options);
    this.specs = recurrentParameterSpecs(cell.gates, shape);
    this.ownsParameters = options.parameterSet === undefined;
    this.parameterSet = options.parameterSet ?? new ParameterSet(this.runtime, this.specs);
    if (!this.ownsParameters) checkSharedSet(where, this.parameterSet, this.specs, this.prefix);
    initialise(this, cell.gates, init);
    this.core = new RecurrentCore(this.runtime, cell, shape, this.parameterSet, this.prefix);
    this.inputSpace = new Workspace(this.runtime.arena);
    this.gradientSpace = new Workspace(this.runtime.arena);
  }

  /** Directions: 2 when bidirectional, else 1. */
  get numDirections(): number {
    return this.bidirectional ? 2 : 1;
  }

  /**
   * Runs the layer over x ([T, B, inputSize], or [B, T, inputSize] when batchFirst) from the
   * given initial states (zeros when omitted). With `lengths` or `mask`, padded steps keep each
   * sequence's state, output 0 and receive no gradient.
   */
  forward(x: Tensor | number[][][], inputs: ForwardInputs = {}): RecurrentResult {
    const where = `${this.layerName}.forward`;
    this.checkLive(where);
    const cellState = this.core.cell.cellState;
    checkNames(where, inputs, cellState ? ['h0', 'c0', 'lengths', 'mask'] : ['h0', 'lengths', 'mask']);
    const I = this.inputSize;
    const xs = asTensor(where, 'x', x);
    const layoutText = this.batchFirst ? `[B, T, ${I}]` : `[T, B, ${I}]`;
    if (xs.rank !== 3 || xs.shape[2] !== I || xs.shape[0] === 0 || xs.shape[1] === 0) {
      throw new ShapeError(`${where}: x must have shape ${layoutText} with T, B ≥ 1${this.batchFirst ? ' (batchFirst)' : ''}, got [${xs.shape.join(', ')}]`);
    }
    checkFinite(where, xs.data, 'x');
    const [T, B] = this.batchFirst ? [xs.shape[1]!, xs.shape[0]!] : [xs.shape[0]!, xs.shape[1]!];
    const stateShape = this.stateShape(B);
    const h0 = inputs.h0 === undefined ? null : checkedTensor(where, 'h0', inputs.h0, stateShape, '[numLayers·numDirections, B, hiddenSize]');
    const c0 = inputs.c0 === undefined ? null : checkedTensor(where, 'c0', inputs.c0, stateShape, '[numLayers·numDirections, B, hiddenSize]');
    const mask = stepMask(where, inputs.lengths, inputs.mask, T, B, this.batchFirst);
    const stateSize = stateShape[0]! * B * this.hiddenSize;
    const io = this.inputSpace.carve({ x: T * B * I, mask: mask === null ? 0 : T * B, h0: h0 ? stateSize : 0, c0: c0 ? stateSize : 0 });
    let heap = this.runtime.arena.storage.data;
    writeSequence(heap, io.x, xs.data, T, B, I, this.batchFirst);
    if (mask !== null) heap.set(mask, io.mask >>> 2);
    if (h0 !== null) heap.set(h0.data, io.h0 >>> 2);
    if (c0 !== null) heap.set(c0.data, io.c0 >>> 2);
    this.core.forward(io.x, T, B, io.h0, io.c0, io.mask);
    this.last = { T, B, mask };
    heap = this.runtime.arena.storage.data;
    const width = this.numDirections * this.hiddenSize;
    const output = readSequence(heap, this.core.output, T, B, width, this.batchFirst, mask);
    const result: RecurrentResult = {
      output: new Tensor(output, this.batchFirst ? [B, T, width] : [T, B, width]),
      hN: new Tensor(readFlat(heap, this.core.hN, stateSize), stateShape),
    };
    if (cellState) result.cN = new Tensor(readFlat(heap, this.core.cN, stateSize), stateShape);
    return result;
  }

  /**
   * Backpropagates through the last forward. Takes ∂L/∂output, ∂L/∂hN, ∂L/∂cN (each optional,
   * zeros when omitted; gradients at padded steps of output are ignored, as those outputs are
   * constant zeros), ACCUMULATES the parameter gradients into the layer's gradient buffers, and
   * returns the gradients of x and of the initial states with the accumulated parameter gradients.
   */
  backward(gradients: RecurrentGradients = {}): RecurrentInputGradients {
    const where = `${this.layerName}.backward`;
    this.checkLive(where);
    if (this.last === null) throw new StateError(`${where}: call forward first`);
    const cellState = this.core.cell.cellState;
    checkNames(where, gradients, cellState ? ['output', 'hN', 'cN'] : ['output', 'hN']);
    const { T, B, mask } = this.last;
    const I = this.inputSize;
    const width = this.numDirections * this.hiddenSize;
    const stateShape = this.stateShape(B);
    const stateText = '[numLayers·numDirections, B, hiddenSize]';
    const outputShape = this.batchFirst ? [B, T, width] : [T, B, width];
    const dOutput = gradients.output === undefined ? null : checkedTensor(where, 'output', gradients.output, outputShape, this.batchFirst ? '[B, T, D·H]' : '[T, B, D·H]');
    const dhN = gradients.hN === undefined ? null : checkedTensor(where, 'hN', gradients.hN, stateShape, stateText);
    const dcN = gradients.cN === undefined ? null : checkedTensor(where, 'cN', gradients.cN, stateShape, stateText);
    const stateSize = stateShape[0]! * B * this.hiddenSize;
    const io = this.gradientSpace.carve({
      dOutput: dOutput ? T * B * width : 0, dhN: dhN ? stateSize : 0, dcN: dcN ? stateSize : 0,
      dx: T * B * I, dh0: stateSize, dc0: cellState ? stateSize : 0,
    });
    let heap = this.runtime.arena.storage.data;
    if (dOutput !== null) writeSequence(heap, io.dOutput, dOutput.data, T, B, width, this.batchFirst, mask);
    if (dhN !== null) heap.set(dhN.data, io.dhN >>> 2);
    if (dcN !== null) heap.set(dcN.data, io.dcN >>> 2);
    this.core.backward(io.dOutput, io.dhN, io.dcN, io.dx, io.dh0, io.dc0);
    heap = this.runtime.arena.storage.data;
    const result: RecurrentInputGradients = {
      x: new Tensor(readSequence(heap, io.dx, T, B, I, this.batchFirst, mask), this.batchFirst ? [B, T, I] : [T, B, I]),
      h0: new Tensor(readFlat(heap, io.dh0, stateSize), stateShape),
      params: this.copyAll('grad'),
    };
    if (cellState) result.c0 = new Tensor(readFlat(heap, io.dc0, stateSize), stateShape);
    return result;
  }

  /** Parameter values by PyTorch name, copied, with PyTorch's shapes. */
  stateDict(): Record<string, Tensor> {
    this.checkLive(`${this.layerName}.stateDict`);
    return this.copyAll('value');
  }

  /** Loads values by PyTorch name (strict: exactly the names and shapes of `stateDict()`). */
  loadStateDict(dict: Record<string, StateDictValue>): void {
    const where = `${this.layerName}.loadStateDict`;
    this.checkLive(where);
    const values = readStateDict(where, dict, this.specs);
    this.specs.forEach((spec, i) => this.parameterSet.value(this.prefix + spec.name).set(values[i]!));
  }

  /**
   * Each parameter's shape with views of its values and gradient in the arena (float32, or
   * float64 on a float64 runtime). Views go stale when the heap grows: call again after any
   * allocation (e.g. a forward with a larger batch).
   */
  parameters(): Record<string, ParameterView> {
    this.checkLive(`${this.layerName}.parameters`);
    const views: Record<string, ParameterView> = {};
    for (const spec of this.specs) {
      const name = this.prefix + spec.name;
      views[spec.name] = { shape: spec.shape, value: this.parameterSet.value(name), grad: this.parameterSet.grad(name) };
    }
    return views;
  }

  /** Sets this layer's gradients to zero. */
  zeroGrad(): void {
    this.checkLive(`${this.layerName}.zeroGrad`);
    if (this.ownsParameters) this.parameterSet.zeroGrad();
    else for (const spec of this.specs) this.parameterSet.grad(this.prefix + spec.name).fill(0);
  }

  /** Releases the layer's arena memory (and its own parameters); later use throws StateError. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.core.release();
    this.inputSpace.release();
    this.gradientSpace.release();
    if (this.ownsParameters) this.parameterSet.dispose();
  }

  private stateShape(B: number): number[] {
    return [this.numLayers * this.numDirections, B, this.hiddenSize];
  }

  private copyAll(field: 'value' | 'grad'): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const spec of this.specs) {
      const name = this.prefix + spec.name;
      const view = field === 'value' ? this.parameterSet.value(name) : this.parameterSet.grad(name);
      out[spec.name] = new Tensor(Float32Array.from(view), spec.shape);
    }
    return out;
  }

  private checkLive(where: string): void {
    if (this.disposed) throw new StateError(`${where}: this ${this.layerName} was disposed`);
  }
}

/** The keys of forward's and backward's argument objects, with a did-you-mean. */
function checkNames(where: string, value: unknown, allowed: readonly string[]): void {
  if (typeof value !== 'object' || value === null) throw new OptionError(`${where}: expected an object with ${allowed.join(', ')}, got ${describe(value)}`);
  checkOptionNames(where, value, allowed);
}

function resolveRuntime(where: string, options: RecurrentOptions): Runtime {
  const shared = options.parameterSet;
  if (shared !== undefined && !(shared instanceof ParameterSet)) {
    throw new OptionError(`${where}: parameterSet must be a ParameterSet, got ${describe(shared)}`);
  }
  if (options.runtime !== undefined && shared !== undefined && options.runtime !== shared.runtime) {
    throw new OptionError(`${where}: runtime differs from the runtime of parameterSet; omit runtime or pass the set's`);
  }
  return options.runtime ?? shared?.runtime ?? defaultRuntime();
}

function checkSharedSet(where: string, set: ParameterSet, specs: readonly ParameterSpec[], prefix: string): void {
  for (const spec of specs) {
    const name = prefix + spec.name;
    if (!set.has(name)) throw new OptionError(`${where}: parameterSet has no parameter '${name}'; it needs ${specs.map((s) => `'${prefix + s.name}'`).join(', ')}`);
    const shape = set.entry(name).shape;
    if (shape.length !== spec.shape.length || shape.some((d, i) => d !== spec.shape[i])) {
      throw new ShapeError(`${where}: parameterSet's '${name}' has shape [${shape.join(', ')}], expected [${spec.shape.join(', ')}]`);
    }
  }
}

interface InitOptions {
  seed: number;
  inputInit: InputWeightInit;
  recurrentInit: RecurrentWeightInit;
  biasInit: BiasInit;
}

function initOptions(where: string, options: RecurrentOptions): InitOptions {
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw new OptionError(`${where}: seed must be an integer, got ${describe(seed)}`);
  return {
    seed,
    inputInit: oneOf(where, 'inputWeightInit', options.inputWeightInit ?? 'uniform', INPUT_WEIGHT_INITS),
    recurrentInit: oneOf(where, 'recurrentWeightInit', options.recurrentWeightInit ?? 'uniform', RECURRENT_WEIGHT_INITS),
    biasInit: oneOf(where, 'biasInit', options.biasInit ?? 'uniform', BIAS_INITS),
  };
}

/**
 * Default initialisation from a seeded generator, drawn in PyTorch's parameter order: every
 * parameter U(±1/√H) (PyTorch), or per option Glorot-uniform W_ih, orthogonal W_hh, zero biases.
 */
function initialise(layer: RecurrentLayer, gates: number, { seed, inputInit, recurrentInit, biasInit }: InitOptions): void {
  const random = new Random(seed);
  const H = layer.hiddenSize;
  const bound = 1 / Math.sqrt(H);
  for (const [name, { shape, value }] of Object.entries(layer.parameters())) {
    if (name.startsWith('weight_ih')) {
      if (inputInit === 'uniform') fillUniform(value, random, bound);
      else fillGlorotUniform(value, random, shape[1]!, gates * H);
    } else if (name.startsWith('weight_hh')) {
      if (recurrentInit === 'uniform') fillUniform(value, random, bound);
      else fillOrthogonal(value, random, gates * H, H);
    } else if (biasInit === 'uniform') fillUniform(value, random, bound);
    else value.fill(0);
  }
}
