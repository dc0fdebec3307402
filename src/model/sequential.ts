import { OptionError, StateError, checkOptionNames, describe } from '../errors.js';
import { compileJSON, optimizerStateJSON, type CompileJSON, type OptimizerStateJSON } from '../io/model-json.js';
import type { Handle } from '../memory/handle.js';
import { Random } from '../random.js';
import { runEpochs, type History } from '../train/fit.js';
import { Loss } from '../train/losses.js';
import { RunningMetrics } from '../train/metrics-running.js';
import type { ParameterRegion } from '../train/optimizers.js';
import { ArenaDataset, BatchLoader, identityOrder } from './batches.js';
import { readCompileOptions, type CompileOptions, type Compiled } from './compile.js';
import { readDataset } from './dataset.js';
import { readFitOptions, splitCount, type FitOptions } from './fit-options.js';
import { fitScaffold, lastLogsOf } from './fit-scaffold.js';
import { maskTargets } from './layer-mask-loss.js';
import type { LayerSpec } from './layer-specs.js';
import { SEQUENTIAL_OPTIONS, SequentialCore, batchSizeOf, type EvaluateOptions, type SequentialOptions, type WeightStart } from './sequential-core.js';
import { readsBackwards } from './stack.js';
import { TrainingRun } from './training-run.js';
import type { SaveOptions } from '../io/model-json.js';
import type { SaveResult } from '../io/save-model.js';
import type { TfjsModelArtifacts } from '../interop/tfjs-export.js';
import type { OnnxExportOptions } from '../interop/onnx-export.js';

export type { AttachedScaler, EvaluateOptions, SequentialOptions } from './sequential-core.js';

/**
 * save options: `format` 'json' (default: the library's own file), 'tfjs' (a folder with
 * model.json + weights.bin) or 'onnx' (one .onnx file; `opset` as in toOnnx).
 */
export interface ModelSaveOptions extends SaveOptions {
  format?: 'json' | 'tfjs' | 'onnx';
  /** format 'onnx' only: the ONNX opset (default 17). */
  opset?: number;
}

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

/**
 * The trainable sequential model: SequentialCore (predict, step, generate, state dicts, toJSON,
 * save) plus compile / fit / evaluate and the training step in parts.
 */
export class Sequential extends SequentialCore {
  /** Set it from a callback to end fit after the current batch (Keras' stop_training). */
  stopTraining = false;
  private compiled: Compiled | null = null;
  private lossFunction: Loss | null = null;
  private readonly region: ParameterRegion;
  private lastGood: Handle | null = null;
  private hasLastGood = false;
  private best: Handle | null = null;

  constructor(specs: readonly LayerSpec[], options: SequentialOptions = {}, weights: WeightStart = 'initialise') {
    super(specs, options, weights);
    this.region = { values: this.parameterSet.values.offset, grads: this.parameterSet.grads.offset, length: this.parameterSet.length };
  }

  /**
   * The model as a tfjs layers model, `{ modelJson, weights }` (model.json's object and the weight
   * data): `tf.loadLayersModel(tf.io.fromMemory({ modelTopology, weightSpecs, weightData }))` loads
   * it. GRUs with resetAfter: true and 'hardSigmoidKeras3' gates are refused (tfjs cannot compute them).
   */
  async toTfjs(): Promise<TfjsModelArtifacts> {
    this.checkLive('toTfjs');
    return (await import('../interop/tfjs-export.js')).modelToTfjs(this);
  }

  /**
   * The model as the bytes of an ONNX ModelProto (ONNX's own RNN/LSTM/GRU operators; input
   * `input` [batch, time, features] or int64 ids [batch, time], output `output`; batch and time
   * symbolic), which onnxruntime runs with predict's outputs. `opset`: 14–21, default 17. Masks
   * become sequence lengths; what ONNX cannot express (the carried state at masked steps of a
   * per-step output, goBackwards after a mask) throws a ValueError. protobufjs is imported on the
   * first call.
   */
  async toOnnx(options: OnnxExportOptions = {}): Promise<Uint8Array> {
    this.checkLive('toOnnx');
    return (await import('../interop/onnx-export.js')).modelToOnnx(this, options);
  }

  /**
   * Writes the model (Node): `format: 'json'` (default) one file, atomically, as `toJSON(options)`;
   * `format: 'tfjs'` model.json + weights.bin into the folder `path` (created if missing);
   * `format: 'onnx'` the toOnnx bytes to the file `path`, atomically.
   */
  override async save(path: string | URL, options: ModelSaveOptions = {}): Promise<SaveResult> {
    // Anything but an options object goes on to the JSON writer, which names the problem.
    if (typeof options !== 'object' || options === null) return super.save(path, options);
    const { format = 'json', ...rest } = options;
    if (format === 'json') return super.save(path, rest);
    if (format !== 'tfjs' && format !== 'onnx') throw new OptionError(`save: format must be 'json', 'tfjs' or 'onnx', got ${describe(format)}`);
    this.checkLive('save');
    if (format === 'onnx') return (await import('../interop/onnx-save.js')).saveOnnx(this, path, rest);
    if (Object.keys(rest).length > 0) throw new OptionError(`save: ${Object.keys(rest).map((k) => `'${k}'`).join(', ')} applies to format 'json' only, not 'tfjs'`);
    return (await import('../interop/tfjs-save.js')).saveTfjs(this, path);
  }

  get isCompiled(): boolean {
    return this.compiled !== null;
  }

  /** The compiled optimizer (null before compile). */
  get optimizer(): Compiled['optimizer'] | null {
    return this.compiled?.optimizer ?? null;
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
      const { earlyStopping, callbacks, progress, random } = fitScaffold(where, options, settings, trainCount, compiled.metrics.map((m) => m.key), validation !== null);
      this.context.random = new Random(random.nextUint32());
      this.stopTraining = false;
      this.hasLastGood = false;
      this.fitting = true;
      const run = new TrainingRun(this, {
        data, trainCount, validation, batchSize: settings.batchSize, tbptt: settings.tbptt, shuffle: settings.shuffle, earlyStopping, checkpoint: settings.checkpoint,
      });
      try {
        const resume = await run.resume();
        const history = await runEpochs(run, {
          epochs: settings.epochs, initialEpoch: settings.initialEpoch, batchSize: settings.batchSize, shuffle: settings.shuffle, random,
          callbacks, earlyStopping, progress, checkpoint: run.checkpointer, resume,
        });
        this.epochsTrained += history.epoch.length;
        this.lastLogs = lastLogsOf(history, this.lastLogs);
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

  /** @internal The compile settings as toJSON saves them, or null before compile. */
  override compileJSON(): CompileJSON | null {
    return this.compiled === null ? null : compileJSON(this.compiled);
  }

  /** @internal The optimizer's moments and step count, for toJSON's includeOptimizer. */
  override optimizerStateJSON(): OptimizerStateJSON | null {
    return this.compiled === null ? null : optimizerStateJSON(this.compiled.optimizer);
  }

  protected override release(): void {
    this.releaseCompiled(null);
    for (const handle of [this.lastGood, this.best]) if (handle !== null) this.runtime.arena.release(handle);
    super.release();
  }

  // ---- The training step in parts, on batches already in the arena (used by fit, evaluate, and
  // by models built on this one; forwardBatch is SequentialCore's).

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
    if (sequence && this.context.mask !== batch.mask) {
      // A masking layer replaced the step mask: it masks the per-step loss too, as in Keras.
      const rows = batch.T * batch.B;
      const realRows = maskTargets(this.runtime, batch.y, this.context.mask, rows, batch.targetWidth, compiled.loss === 'sparseCategoricalCrossentropy');
      return this.lossOfRows(output, batch.y, rows, this.context.mask, realRows, metrics);
    }
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

  /** Loss and metrics of samples order[…] of `data`, batch by batch, in inference mode. */
  evaluateData(data: ArenaDataset, order: Uint32Array, batchSize: number, metrics: RunningMetrics): void {
    metrics.reset();
    for (let start = 0; start < order.length; start += batchSize) {
      this.batch.load(data, order, start, Math.min(batchSize, order.length - start));
      this.lossOnBatch(this.batch, false, metrics);
    }
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
    const backwards = this.plan.layers.find(readsBackwards);
    if (backwards !== undefined) throw new OptionError(`${where}: tbptt carries state forward in time, but layer ${backwards.index} (${backwards.name}) has goBackwards: true`);
  }
}
