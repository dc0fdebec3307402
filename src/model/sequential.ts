import type { MinMaxScaler } from '../data/min-max-scaler.js';
import type { StandardScaler } from '../data/standard-scaler.js';
import type { Tokenizer } from '../data/tokenizer.js';
import { OptionError, StateError, checkOptionNames, describe, positiveInteger } from '../errors.js';
import { modelToJSON, type ModelJSON, type SaveOptions } from '../io/model-json.js';
import { saveModel, type SaveResult } from '../io/save-model.js';
import { runtime as defaultRuntime } from '../kernels/backend.js';
import type { Runtime } from '../kernels/runtime.js';
import { ParameterSet } from '../layers/parameters.js';
import { readStateDict, type StateDictValue } from '../layers/state-dict.js';
import type { Handle } from '../memory/handle.js';
import { Random } from '../random.js';
import { Tensor } from '../tensor.js';
import { CallbackList } from '../train/callbacks.js';
import { EarlyStopping } from '../train/early-stopping.js';
import { runEpochs, type History } from '../train/fit.js';
import { Loss } from '../train/losses.js';
import { RunningMetrics } from '../train/metrics-running.js';
import type { ParameterRegion } from '../train/optimizers.js';
import { ProgressBar, defaultSink, defaultVerbose } from '../train/progress.js';
import type { Logs } from '../train/callbacks.js';
import { ArenaDataset, BatchLoader, identityOrder } from './batches.js';
import { buildBlock, type Block, type StepContext } from './blocks.js';
import { readCompileOptions, type CompileOptions, type Compiled } from './compile.js';
import { readDataset, type MaskOptions } from './dataset.js';
import { readFitOptions, splitCount, type FitOptions } from './fit-options.js';
import { generateSeries, generateTokens, type GenerateSeriesOptions, type GenerateTokensOptions, type GeneratedTokens } from './generate.js';
import type { LayerSpec } from './layer-specs.js';
import { planStack, type Flow, type PlannedLayer, type StackPlan } from './stack.js';
import { Stream } from './stateful.js';
import { readStepInput } from './step-input.js';
import { summaryText } from './summary.js';
import { TrainingRun } from './training-run.js';

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

const SEQUENTIAL_OPTIONS = ['seed', 'runtime', 'name'] as const;

/** A fitted scaler carried with the model (saved and loaded with it). */
export type AttachedScaler = MinMaxScaler | StandardScaler;

/**
 * A linear stack of layers (Keras' Sequential): `sequential([layers.lstm({ units: 32, inputShape:
 * [null, 8] }), layers.dense({ units: 1 })])`, or tfjs' `sequential({ layers: [...] })`.
 */
export function sequential(layers: readonly LayerSpec[] | ({ layers: readonly LayerSpec[] } & SequentialOptions), options: SequentialOptions = {}): Sequential {
  if (Array.isArray(layers)) return new Sequential(layers, options);
  if (typeof layers === 'object' && layers !== null && 'layers' in layers) {
    const { layers: list, ...rest } = layers as { layers: readonly LayerSpec[] } & SequentialOptions;
    checkOptionNames('sequential', rest, SEQUENTIAL_OPTIONS);
    return new Sequential(list, { ...rest, ...options });
  }
  throw new OptionError(`sequential: expected an array of layers (or { layers: [...] }), got ${describe(layers)}`);
}

/** Seed of layer `index`'s initialisation, derived from the model's seed. */
function layerSeed(seed: number, index: number): number {
  return (seed + Math.imul(index + 1, 0x9e3779b9)) >>> 0;
}

function batchSizeOf(where: string, options: EvaluateOptions): number {
  return positiveInteger(where, 'batchSize', options.batchSize ?? 32);
}

/** A shape with the batch axis as null, as Keras prints it. */
function shapeOf(flow: Flow): (number | null)[] {
  return flow.sequence ? [null, flow.steps, flow.features] : [null, flow.features];
}

export class Sequential {
  /** Tells a loaded model's class apart: `loadModel(…)` gives a Sequential or a Seq2Seq. */
  readonly kind = 'sequential';
  readonly name: string;
  readonly runtime: Runtime;
  /** The seed the weights were initialised from. */
  readonly seed: number;
  readonly plan: StackPlan;
  /**
   * Every parameter of the model in one region (gradients in another), named
   * `${layerIndex}.${pytorchName}`, e.g. `0.weight_ih_l0`, `2.weight`: the state-dict names.
   */
  readonly parameterSet: ParameterSet;
  /** The built layers, in order (for models built on this one: streaming, encoder–decoder). */
  readonly blocks: readonly Block[];
  /** Set it from a callback to end fit after the current batch (Keras' stop_training). */
  stopTraining = false;
  /** Turns text into ids and back for `generate`; saved and loaded with the model. */
  tokenizer: Tokenizer | null = null;
  /** The data's scaler, saved and loaded with the model (not applied automatically). */
  scaler: AttachedScaler | null = null;
  /** Epochs completed by every fit so far (e.g. `initialEpoch` when resuming). */
  epochsTrained = 0;
  /** The logs of the last epoch trained (loss, metrics, val_…), or null. */
  lastLogs: Logs | null = null;
  /** The batch the layers run on; set by forwardBatch. */
  readonly context: StepContext;
  private compiled: Compiled | null = null;
  private lossFunction: Loss | null = null;
  private readonly loader: BatchLoader;
  private readonly region: ParameterRegion;
  private lastGood: Handle | null = null;
  private hasLastGood = false;
  private best: Handle | null = null;
  private fitting = false;
  private disposed = false;
  private stream: Stream | null = null;

  constructor(specs: readonly LayerSpec[], options: SequentialOptions = {}) {
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
    this.blocks.forEach((block, index) => block.initialise(this.parameterSet, new Random(layerSeed(seed, index))));
    this.context = { T: 0, B: 0, mask: 0, training: false, random: new Random(seed) };
    this.loader = new BatchLoader(this.runtime);
    this.region = { values: this.parameterSet.values.offset, grads: this.parameterSet.grads.offset, length: this.parameterSet.length };
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

  get isCompiled(): boolean {
    return this.compiled !== null;
  }

  /** The compiled optimizer (null before compile). */
  get optimizer(): Compiled['optimizer'] | null {
    return this.compiled?.optimizer ?? null;
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

  compile(options: CompileOptions): void {
    this.checkLive('compile');
    if (this.fitting) throw new StateError('compile: fit is running; wait for it to finish');
    const compiled = readCompileOptions('compile', options, this.plan);
    this.releaseCompiled(compiled.optimizer);
    compiled.optimizer.bind(this.runtime, this.parameterSet.length);
    this.compiled = compiled;
    this.lossFunction = new Loss(this.runtime, compiled.loss);
  }

  async fit(x: unknown, y: unknown, options: FitOptions = {}): Promise<History> {
    const where = 'fit';
    const compiled = this.requireCompiled(where);
    if (this.fitting) throw new StateError(`${where}: this model is already fitting; await the running fit first`);
    const settings = readFitOptions(where, options);
    if (settings.tbptt !== null) this.checkTruncatable(where);
    const rules = { loss: compiled.loss, units: this.plan.output.features };
    const arrays = readDataset(where, this.plan, x, y, options, rules);
    const v = settings.validation;
    const validationArrays = v === null ? null : readDataset(`${where}: validationData`, this.plan, v.x, v.y, v.options, rules);
    const data = new ArenaDataset(this.runtime, arrays);
    const validationData = validationArrays === null ? null : new ArenaDataset(this.runtime, validationArrays);
    try {
      const trainCount = splitCount(where, data.count, settings.validationSplit);
      const validation = validationData !== null ? { data: validationData, start: 0 } : trainCount < data.count ? { data, start: trainCount } : null;
      const logNames = ['loss', ...compiled.metrics.map((m) => m.key)];
      const available = validation === null ? logNames : [...logNames, ...logNames.map((n) => `val_${n}`)];
      const earlyStopping = options.earlyStopping === undefined ? null : new EarlyStopping(where, options.earlyStopping, available);
      const callbacks = new CallbackList(where, options.callbacks);
      const verbose = settings.verbose ?? defaultVerbose();
      const steps = Math.ceil(trainCount / settings.batchSize);
      const random = new Random(settings.seed);
      this.context.random = new Random(random.nextUint32());
      this.stopTraining = false;
      this.hasLastGood = false;
      this.fitting = true;
      const run = new TrainingRun(this, { data, trainCount, validation, batchSize: settings.batchSize, tbptt: settings.tbptt });
      try {
        const history = await runEpochs(run, {
          epochs: settings.epochs, initialEpoch: settings.initialEpoch, batchSize: settings.batchSize, shuffle: settings.shuffle, random,
          callbacks, earlyStopping, progress: verbose === 1 ? new ProgressBar(defaultSink(), settings.epochs, steps) : null,
        });
        this.epochsTrained += history.epoch.length;
        if (history.epoch.length > 0) this.lastLogs = Object.fromEntries(Object.entries(history.history).map(([key, values]) => [key, values.at(-1)!]));
        return history;
      } finally {
        run.release();
      }
    } finally {
      this.fitting = false;
      data.release();
      validationData?.release();
    }
  }

  /** Loss and metrics over (x, y) in inference mode: `{ loss, accuracy, … }`. */
  evaluate(x: unknown, y: unknown, options: EvaluateOptions = {}): Record<string, number> {
    const where = 'evaluate';
    const compiled = this.requireCompiled(where);
    checkOptionNames(where, options, ['batchSize', 'sampleLengths', 'mask']);
    const batchSize = batchSizeOf(where, options);
    const data = new ArenaDataset(this.runtime, readDataset(where, this.plan, x, y, options, { loss: compiled.loss, units: this.plan.output.features }));
    try {
      const metrics = new RunningMetrics(compiled.metrics, compiled.accuracyKind);
      this.evaluateData(data, identityOrder(0, data.count), batchSize, metrics);
      const logs: Record<string, number> = {};
      metrics.write(logs, '');
      return logs;
    } finally {
      data.release();
    }
  }

  /**
   * Outputs for x in inference mode, with the final activation applied: [N, units] or, for
   * per-step outputs, [N, T, units] with zeros at padded steps.
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
    if (this.fitting) throw new StateError(`${where}: fit is running; wait for it to finish`);
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
    if (this.fitting) throw new StateError('generate: fit is running; wait for it to finish');
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

  /**
   * The whole model as one JSON-ready object (versioned manifest, architecture, compile settings,
   * tokenizer, scaler, training metadata, weights as base64 of little-endian float32; the optimizer
   * state too with `{ includeOptimizer: true }`). `loadModel` / `modelFromJSON` rebuild it.
   */
  toJSON(options?: SaveOptions): ModelJSON {
    this.checkLive('toJSON');
    return modelToJSON(this, options);
  }

  /** Writes `toJSON(options)` to a file atomically (Node): the file is the old one or the whole new one. */
  async save(path: string | URL, options: SaveOptions = {}): Promise<SaveResult> {
    this.checkLive('save');
    return saveModel(this, path, options);
  }

  /** Releases the model's arena memory; later use throws StateError. */
  dispose(): void {
    if (this.disposed) return;
    if (this.fitting) throw new StateError('dispose: fit is running; wait for it to finish');
    this.disposed = true;
    this.stream?.release();
    for (const block of this.blocks) block.release();
    this.releaseCompiled(null);
    this.loader.release();
    for (const handle of [this.lastGood, this.best]) if (handle !== null) this.runtime.arena.release(handle);
    this.parameterSet.dispose();
  }

  // ---- The training step in parts, on batches already in the arena (used by fit, evaluate,
  // predict, and by models built on this one).

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

  /** Backpropagates ∂L/∂output of the last forwardBatch; parameter gradients ACCUMULATE. */
  backwardBatch(dOutput: number): void {
    let d = dOutput;
    for (let i = this.blocks.length - 1; i >= 0; i--) d = this.blocks[i]!.backward(d, i > 0);
  }

  /** Zeroes the gradients, then forward, loss and backward on the loaded batch; returns the mean loss. */
  lossAndGradients(batch: BatchLoader, metrics: RunningMetrics | null): number {
    this.parameterSet.zeroGrad();
    const loss = this.lossOnBatch(batch, true, metrics);
    this.backwardBatch(this.lossGradient());
    return loss;
  }

  /** Forward and loss (and metrics) on the loaded batch; returns the mean loss. */
  lossOnBatch(batch: BatchLoader, training: boolean, metrics: RunningMetrics | null): number {
    const compiled = this.requireCompiled('lossOnBatch');
    const output = this.forwardBatch(batch.x, batch.T, batch.B, batch.mask, training, compiled.fused !== null);
    const sequence = this.plan.output.sequence;
    return this.lossOfRows(output, batch.y, sequence ? batch.T * batch.B : batch.B, sequence ? batch.mask : 0, batch.realRows, metrics);
  }

  /**
   * Mean loss (and metrics) of output rows [rows, units] against their targets; rowMask [rows] or
   * 0, realRows = the rows whose mask is 1. backward of it: `lossGradient()`.
   */
  lossOfRows(output: number, target: number, rows: number, rowMask: number, realRows: number, metrics: RunningMetrics | null): number {
    this.requireCompiled('lossOfRows');
    const loss = this.lossFunction!;
    const units = this.plan.output.features;
    const value = loss.forward(output, target, rows, units, rowMask, realRows);
    if (metrics !== null) {
      metrics.addLoss(value, realRows);
      if (metrics.entries.length > 0) metrics.update(this.runtime.arena.storage.data, loss.predictions(), target, rows, units, rowMask);
    }
    return value;
  }

  /** ∂(mean loss)/∂output [rows, units] of the last loss computed; returns its offset. */
  lossGradient(): number {
    return this.lossFunction!.backward();
  }

  /** Global L2 norm of all gradients. */
  gradientNorm(): number {
    return Math.sqrt(this.runtime.kernels.sumOfSquares(this.region.grads, this.region.length));
  }

  /**
   * Clips the gradients as compiled (clipNorm given their pre-clip norm, then clipValue), keeps
   * the current weights (restoreLastGood), and applies one optimizer step to every parameter.
   */
  applyGradients(norm = this.gradientNorm()): void {
    const compiled = this.requireCompiled('applyGradients');
    const k = this.runtime.kernels;
    const { values, grads, length } = this.region;
    if (compiled.clipNorm > 0 && norm > compiled.clipNorm) k.scale(grads, length, compiled.clipNorm / norm);
    if (compiled.clipValue > 0) k.clipByValue(grads, length, -compiled.clipValue, compiled.clipValue);
    this.lastGood ??= this.runtime.arena.alloc(length);
    k.copy(this.lastGood.offset, values, length);
    this.hasLastGood = true;
    compiled.optimizer.step(this.region);
  }

  /** Puts back the weights the last applyGradients replaced; false when there were none. */
  restoreLastGood(): boolean {
    if (!this.hasLastGood || this.lastGood === null) return false;
    this.runtime.kernels.copy(this.region.values, this.lastGood.offset, this.region.length);
    this.hasLastGood = false;
    return true;
  }

  /** Remembers the current weights (early stopping's best). */
  keepBest(): void {
    this.best ??= this.runtime.arena.alloc(this.region.length);
    this.runtime.kernels.copy(this.best.offset, this.region.values, this.region.length);
  }

  restoreBest(): void {
    if (this.best !== null) this.runtime.kernels.copy(this.region.values, this.best.offset, this.region.length);
  }

  /** The loader holding the current batch. */
  get batch(): BatchLoader {
    return this.loader;
  }

  /** Loss and metrics of samples order[…] of `data`, batch by batch, in inference mode. */
  evaluateData(data: ArenaDataset, order: Uint32Array, batchSize: number, metrics: RunningMetrics): void {
    metrics.reset();
    for (let start = 0; start < order.length; start += batchSize) {
      this.loader.load(data, order, start, Math.min(batchSize, order.length - start));
      this.lossOnBatch(this.loader, false, metrics);
    }
  }

  private predictData(data: ArenaDataset, batchSize: number): Tensor {
    const { count, steps, mask } = data.arrays;
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
          if (sequence && mask !== null && mask[n * steps + t] === 0) continue;
          const from = output + (t * B + b) * units;
          const to = (n * outSteps + t) * units;
          for (let u = 0; u < units; u++) result[to + u] = heap[from + u]!;
        }
      }
    }
    return new Tensor(result, sequence ? [count, steps, units] : [count, units]);
  }

  requireCompiled(where: string): Compiled {
    this.checkLive(where);
    if (this.compiled === null) {
      throw new StateError(`${where}: the model is not compiled; call model.compile({ optimizer: 'adam', loss: 'meanSquaredError' }) first`);
    }
    return this.compiled;
  }

  private releaseCompiled(next: Compiled['optimizer'] | null): void {
    const previous = this.compiled;
    if (previous === null) return;
    if (previous.ownsOptimizer && previous.optimizer !== next) previous.optimizer.dispose();
    this.lossFunction?.release();
    this.lossFunction = null;
    this.compiled = null;
  }

  /** Truncated BPTT scores every step and carries state forward in time. */
  private checkTruncatable(where: string): void {
    if (!this.plan.output.sequence) {
      throw new OptionError(`${where}: tbptt needs a loss at every step, but the model outputs ${this.outputShape.length === 2 ? 'one vector per sequence' : 'no sequence'}; set returnSequences: true on its last recurrent layer`);
    }
    const bidirectional = this.plan.layers.find((layer) => layer.spec.className === 'Bidirectional');
    if (bidirectional !== undefined) throw new OptionError(`${where}: tbptt carries state forward in time, but layer ${bidirectional.index} (${bidirectional.name}) is bidirectional`);
  }

  private checkLive(where: string): void {
    if (this.disposed) throw new StateError(`${where}: this model was disposed`);
  }
}
