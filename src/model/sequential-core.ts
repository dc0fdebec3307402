import type { MinMaxScaler } from '../data/min-max-scaler.js';
import type { StandardScaler } from '../data/standard-scaler.js';
import type { Tokenizer } from '../data/tokenizer.js';
import { OptionError, StateError, checkOptionNames, describe, positiveInteger } from '../errors.js';
import type { CompileJSON, OptimizerStateJSON } from '../io/model-json.js';
import { runtime as defaultRuntime } from '../kernels/backend.js';
import type { Runtime } from '../kernels/runtime.js';
import { ParameterSet } from '../layers/parameters.js';
import { readStateDict, type StateDictValue } from '../layers/state-dict.js';
import { Random } from '../random.js';
import { Tensor } from '../tensor.js';
import { ArenaDataset, BatchLoader, identityOrder } from './batches.js';
import { buildBlock, type Block, type StepContext } from './blocks.js';
import { readDataset, type MaskOptions } from './dataset.js';
import { generateSeries, generateTokens, type GenerateSeriesOptions, type GenerateTokensOptions, type GeneratedTokens } from './generate.js';
import type { LayerSpec } from './layer-specs.js';
import { ModelCore } from './model-core.js';
import { planStack, type Flow, type PlannedLayer, type StackPlan } from './stack.js';
import { Stream } from './stateful.js';
import { readStepInput } from './step-input.js';
import { summaryText } from './summary.js';

/*
 * A sequential stack that runs but does not train: planning, weights, predict, step / resetState,
 * generate, state dicts, toJSON. It imports no training code; `Sequential` (sequential.ts) adds
 * compile / fit / evaluate, and the inference entry's loadModel builds this class.
 */

export interface SequentialOptions {
  /** Seed of the weight initialisation: the same seed gives the same weights. Default: random. */
  seed?: number;
  /** Kernels and arena to run on. Default: the global backend (`init`). */
  runtime?: Runtime;
  /** Shown by summary(). Default 'sequential'. */
  name?: string;
}

/** evaluate / predict options. */
export interface EvaluateOptions extends MaskOptions {
  /** Default 32. */
  batchSize?: number;
}

export const SEQUENTIAL_OPTIONS = ['seed', 'runtime', 'name'] as const;

/** A fitted scaler carried with the model (saved and loaded with it). */
export type AttachedScaler = MinMaxScaler | StandardScaler;

/**
 * How a model's weights start: 'initialise' draws them from the seed; 'loaded' leaves them for a
 * full state dict that the caller loads next (loaders skip the draw: an orthogonal recurrent kernel
 * costs a QR decomposition in JS, most of the time of loading a large model).
 */
export type WeightStart = 'initialise' | 'loaded';

/** Seed of layer `index`'s initialisation, derived from the model's seed. */
function layerSeed(seed: number, index: number): number {
  return (seed + Math.imul(index + 1, 0x9e3779b9)) >>> 0;
}

export function batchSizeOf(where: string, options: EvaluateOptions): number {
  return positiveInteger(where, 'batchSize', options.batchSize ?? 32);
}

/** A shape with the batch axis as null, as Keras prints it. */
function shapeOf(flow: Flow): (number | null)[] {
  return flow.sequence ? [null, flow.steps, flow.features] : [null, flow.features];
}

export class SequentialCore extends ModelCore {
  readonly kind = 'sequential';
  readonly name: string;
  readonly runtime: Runtime;
  readonly seed: number;
  readonly plan: StackPlan;
  /**
   * Every parameter of the model in one region (gradients in another), named
   * `${layerIndex}.${pytorchName}`, e.g. `0.weight_ih_l0`, `2.weight`: the state-dict names.
   */
  readonly parameterSet: ParameterSet;
  /** The built layers, in order (for models built on this one: streaming, encoder–decoder). */
  readonly blocks: readonly Block[];
  /** Turns text into ids and back for `generate`; saved and loaded with the model. */
  tokenizer: Tokenizer | null = null;
  /** The data's scaler, saved and loaded with the model (not applied automatically). */
  scaler: AttachedScaler | null = null;
  /** The batch the layers run on; set by forwardBatch. */
  readonly context: StepContext;
  private readonly loader: BatchLoader;
  private stream: Stream | null = null;

  constructor(specs: readonly LayerSpec[], options: SequentialOptions = {}, weights: WeightStart = 'initialise') {
    super();
    const where = 'sequential';
    if (typeof options !== 'object' || options === null) throw new OptionError(`${where}: options must be an object, got ${describe(options)}`);
    checkOptionNames(where, options, SEQUENTIAL_OPTIONS);
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
    if (typeof seed !== 'number' || !Number.isInteger(seed)) throw new OptionError(`${where}: seed must be an integer, got ${describe(seed)}`);
    if (options.name !== undefined && (typeof options.name !== 'string' || options.name === '')) throw new OptionError(`${where}: name must be a non-empty string, got ${describe(options.name)}`);
    this.seed = seed;
    this.name = options.name ?? 'sequential';
    this.plan = planStack(where, specs);
    this.runtime = options.runtime ?? defaultRuntime();
    this.parameterSet = new ParameterSet(this.runtime, this.plan.layers.flatMap((layer) => layer.parameters.map((p) => ({ name: layer.prefix + p.name, shape: p.shape }))));
    this.blocks = this.plan.layers.map((layer) => buildBlock(this.runtime, layer, this.parameterSet));
    if (weights === 'initialise') this.blocks.forEach((block, index) => block.initialise(this.parameterSet, new Random(layerSeed(seed, index))));
    this.context = { T: 0, B: 0, mask: 0, training: false, random: new Random(seed) };
    this.loader = new BatchLoader(this.runtime);
  }

  /** The planned layers: name, spec, input and output shapes, parameter table. */
  get layers(): readonly PlannedLayer[] {
    return this.plan.layers;
  }

  /** [null, T | null, F] or [null, F] (ids: [null, T | null]). */
  get inputShape(): (number | null)[] {
    return this.plan.input.ids ? [null, this.plan.input.steps] : shapeOf(this.plan.input);
  }

  get outputShape(): (number | null)[] {
    return shapeOf(this.plan.output);
  }

  countParams(): number {
    return this.plan.layers.reduce((sum, layer) => sum + layer.parameters.reduce((s, p) => s + p.shape.reduce((a, b) => a * b, 1), 0), 0);
  }

  /** Prints (unless `print: false`) and returns a Keras-style table of layers, output shapes and parameter counts. */
  summary(options: { print?: boolean } = {}): string {
    checkOptionNames('summary', options, ['print']);
    const text = summaryText(this.name, this.plan.layers);
    if (options.print !== false) console.log(text);
    return text;
  }

  /**
   * Outputs for x in inference mode, with the final activation applied: [N, units] or, for
   * per-step outputs, [N, T, units] with zeros at the steps the data does not have (ragged
   * arrays, sampleLengths, mask). At steps the model itself masks (ids 0 with maskZero, a Masking
   * layer) it returns what the layers compute there, as Keras and tfjs.
   */
  predict(x: unknown, options: EvaluateOptions = {}): Tensor {
    const where = 'predict';
    this.checkLive(where);
    checkOptionNames(where, options, ['batchSize', 'sampleLengths', 'mask']);
    const batchSize = batchSizeOf(where, options);
    const data = new ArenaDataset(this.runtime, readDataset(where, this.plan, x, undefined, options, null));
    try {
      return this.predictData(data, batchSize);
    } finally {
      data.release();
    }
  }

  /**
   * Runs ONE step of a stream of B sequences and returns the model's output for it, carrying the
   * recurrent state to the next call until `resetState()`. x: a token id or [B] ids (embedding
   * models), else [features] or [B, features]; the output is [units] or [B, units] to match.
   * Equals predict over the whole sequence, step by step.
   */
  step(x: unknown): Tensor {
    const where = 'step';
    this.checkLive(where);
    this.checkIdle(where);
    const input = readStepInput(where, this.plan, x);
    const stream = (this.stream ??= new Stream(this, where));
    if (stream.batch === 0) stream.reset(input.B);
    else if (stream.batch !== input.B) {
      throw new StateError(`${where}: the stream holds the state of ${stream.batch} sequence(s), but x has ${input.B}; call model.resetState() to start new sequences`);
    }
    const heap = () => this.runtime.arena.storage.data;
    const buffers = stream.inputBuffers(input.B);
    heap().set(input.x, buffers.x >>> 2);
    if (input.mask !== null) heap().set(input.mask, buffers.mask >>> 2);
    const output = stream.advance(buffers.x, 1, input.B, input.mask === null ? 0 : buffers.mask) >>> 2;
    const units = this.plan.output.features;
    const values = Float32Array.from(heap().subarray(output, output + input.B * units));
    return new Tensor(values, input.batched ? [input.B, units] : [units]);
  }

  /** Forgets the streaming state: the next `step` starts new sequences from zero states. */
  resetState(): void {
    this.checkLive('resetState');
    this.stream?.release();
    this.stream = null;
  }

  /**
   * One-to-many generation, the model fed its own output. Token models (embedding first, dense
   * softmax or logits last): `{ seed: ids | text, steps, temperature?, topK?, rng?, endToken? }` →
   * `{ ids, text? }`. Real-valued models: `{ seed: [steps, features], steps, feedback? }` →
   * Tensor [steps, units]. The seed runs once; each new value is one step from the carried state.
   * The streaming state of `step` is left alone.
   */
  generate(options: GenerateTokensOptions): GeneratedTokens;
  generate(options: GenerateSeriesOptions): Tensor;
  generate(options: GenerateTokensOptions | GenerateSeriesOptions): GeneratedTokens | Tensor {
    this.checkLive('generate');
    this.checkIdle('generate');
    return this.plan.input.ids ? generateTokens(this, options as GenerateTokensOptions) : generateSeries(this, options as GenerateSeriesOptions);
  }

  /** Copies of every parameter by state-dict name (`0.weight_ih_l0`, …) with PyTorch's shapes. */
  stateDict(): Record<string, Tensor> {
    this.checkLive('stateDict');
    const out: Record<string, Tensor> = {};
    for (const name of this.parameterSet.names()) {
      out[name] = new Tensor(Float32Array.from(this.parameterSet.value(name)), this.parameterSet.entry(name).shape);
    }
    return out;
  }

  /** Loads values by state-dict name (strict: exactly the names and shapes of stateDict()). */
  loadStateDict(dict: Record<string, StateDictValue>): void {
    this.checkLive('loadStateDict');
    const specs = this.parameterSet.names().map((name) => ({ name, shape: this.parameterSet.entry(name).shape }));
    const values = readStateDict('loadStateDict', dict, specs);
    specs.forEach((spec, i) => this.parameterSet.value(spec.name).set(values[i]!));
  }

  /** @internal The compile block toJSON writes: none here (Sequential gives its compile settings). */
  compileJSON(): CompileJSON | null {
    return null;
  }

  /** @internal The optimizer state toJSON writes with includeOptimizer (Sequential gives it). */
  optimizerStateJSON(): OptimizerStateJSON | null {
    return null;
  }

  protected release(): void {
    this.stream?.release();
    for (const block of this.blocks) block.release();
    this.loader.release();
    this.parameterSet.dispose();
  }

  /**
   * Runs every layer on x [T·B, F] time-major (ids: [T·B] as f32), mask [T, B] or 0. `logits`: the
   * final Dense stays pre-activation. Returns the offset of the output ([T·B, units] or [B, units]).
   */
  forwardBatch(x: number, T: number, B: number, mask: number, training: boolean, logits: boolean): number {
    const ctx = this.context;
    ctx.T = T;
    ctx.B = B;
    ctx.mask = mask;
    ctx.training = training;
    const last = this.blocks.length - 1;
    let h = x;
    for (let i = 0; i <= last; i++) h = this.blocks[i]!.forward(h, ctx, logits && i === last);
    return h;
  }

  /** The loader holding the current batch. */
  get batch(): BatchLoader {
    return this.loader;
  }

  private predictData(data: ArenaDataset, batchSize: number): Tensor {
    const { count, steps, dataMask } = data.arrays;
    const sequence = this.plan.output.sequence;
    const units = this.plan.output.features;
    const outSteps = sequence ? steps : 1;
    const result = new Float32Array(count * outSteps * units);
    const order = identityOrder(0, count);
    for (let start = 0; start < count; start += batchSize) {
      const B = Math.min(batchSize, count - start);
      this.loader.load(data, order, start, B);
      const output = this.forwardBatch(this.loader.x, this.loader.T, B, this.loader.mask, false, false) >>> 2;
      const heap = this.runtime.arena.storage.data;
      const T = sequence ? this.loader.T : 1;
      for (let t = 0; t < T; t++) {
        for (let b = 0; b < B; b++) {
          const n = start + b;
          if (sequence && dataMask !== null && dataMask[n * steps + t] === 0) continue;
          const from = output + (t * B + b) * units;
          const to = (n * outSteps + t) * units;
          for (let u = 0; u < units; u++) result[to + u] = heap[from + u]!;
        }
      }
    }
    return new Tensor(result, sequence ? [count, steps, units] : [count, units]);
  }
}
