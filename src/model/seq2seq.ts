import { OptionError, StateError, checkOptionNames, describe, positiveInteger } from '../errors.js';
import type { Runtime } from '../kernels/runtime.js';
import { runEpochs, type History } from '../train/fit.js';
import { RunningMetrics } from '../train/metrics-running.js';
import { Optimizer, optimizerFromJSON, type OptimizerName } from '../train/optimizers.js';
import { ArenaDataset, identityOrder } from './batches.js';
import type { OptimizerConfig } from './compile.js';
import { readFitOptions, splitCount, type FitOptions } from './fit-options.js';
import { fitScaffold, lastLogsOf } from './fit-scaffold.js';
import type { Seq2SeqOptions } from './seq2seq-config.js';
import { Seq2SeqCore } from './seq2seq-core.js';
import { readPairs } from './seq2seq-data.js';
import { Seq2SeqRun, TeacherForcing, evaluatePairs, type PairData } from './seq2seq-run.js';
import { Sequential } from './sequential.js';

/** `compile` of an encoder–decoder: the loss is always sparse categorical cross-entropy over the target ids. */
export interface Seq2SeqCompileOptions {
  /** As Sequential's compile: a name, an optimizer object or a config `{ name, … }`. */
  optimizer: OptimizerName | Optimizer | OptimizerConfig;
  /** Only 'sparseCategoricalCrossentropy' (the default). */
  loss?: 'sparseCategoricalCrossentropy';
  /** 'accuracy': teacher-forced token accuracy. */
  metrics?: string[];
  /** Clip the global gradient norm of encoder and decoder together. */
  clipNorm?: number;
  clipValue?: number;
}

/**
 * fit options of an encoder–decoder (no masks: ragged arrays give the lengths; no tbptt; no
 * checkpoint: a checkpoint file holds one model's training state, not the two parts' together).
 */
export type Seq2SeqFitOptions = Omit<FitOptions, 'sampleLengths' | 'mask' | 'tbptt' | 'checkpoint'>;

const FIT_OPTIONS = ['epochs', 'batchSize', 'validationSplit', 'validationData', 'shuffle', 'seed', 'callbacks', 'earlyStopping', 'verbose', 'initialEpoch'] as const;

/**
 * An encoder–decoder for sequences of unequal lengths: `seq2seq({ encoder: { cell, units,
 * embedding | inputFeatures }, decoder: { vocabSize, embedding }, startToken, endToken, maxLength })`.
 */
export function seq2seq(options: Seq2SeqOptions & { runtime?: Runtime }): Seq2Seq {
  return new Seq2Seq(options);
}

/**
 * The trainable encoder–decoder: Seq2SeqCore (translate, state dicts, toJSON, save) with trainable
 * Sequential parts, plus compile / fit / evaluate.
 */
export class Seq2Seq extends Seq2SeqCore<Sequential> {
  /** Set it from a callback to end fit after the current batch. */
  stopTraining = false;
  private readonly forcing: TeacherForcing;
  private compiledWith: Seq2SeqCompileOptions | null = null;
  /** The encoder's copy of an optimizer object given to compile (disposed with it). */
  private encoderOptimizer: Optimizer | null = null;

  constructor(options: Seq2SeqOptions & { runtime?: Runtime }) {
    super(options, (specs, o) => new Sequential(specs, o));
    this.forcing = new TeacherForcing(this.encoder, this.decoder);
  }

  get isCompiled(): boolean {
    return this.compiledWith !== null;
  }

  /** The compile options in effect (optimizer as given), or null. */
  get compileOptions(): Seq2SeqCompileOptions | null {
    return this.compiledWith;
  }

  compile(options: Seq2SeqCompileOptions): void {
    const where = 'seq2seq.compile';
    this.checkLive(where);
    if (this.fitting) throw new StateError(`${where}: fit is running; wait for it to finish`);
    if (typeof options !== 'object' || options === null) throw new OptionError(`${where}: expected options such as { optimizer: 'adam' }, got ${describe(options)}`);
    checkOptionNames(where, options, ['optimizer', 'loss', 'metrics', 'clipNorm', 'clipValue']);
    if (options.loss !== undefined && options.loss !== 'sparseCategoricalCrossentropy') {
      throw new OptionError(`${where}: an encoder–decoder predicts target ids, so its loss is 'sparseCategoricalCrossentropy', got ${describe(options.loss)}`);
    }
    const { optimizer, metrics, clipNorm, clipValue } = options;
    this.decoder.compile({ optimizer, loss: 'sparseCategoricalCrossentropy', metrics, clipNorm, clipValue });
    // Each model's optimizer keeps moments for its own parameters: the encoder gets a copy of a
    // given optimizer object. Its loss is never computed (the decoder's loss trains both).
    const copy = optimizer instanceof Optimizer ? optimizerFromJSON(optimizer.toJSON()) : null;
    this.encoder.compile({ optimizer: copy ?? optimizer, loss: 'meanSquaredError', clipNorm, clipValue });
    this.encoderOptimizer?.dispose();
    this.encoderOptimizer = copy;
    this.compiledWith = { ...options };
  }

  /** Trains on (sources, targets): ragged id sequences (or vector sequences for inputFeatures) and ragged target ids. */
  async fit(sources: unknown, targets: unknown, options: Seq2SeqFitOptions = {}): Promise<History> {
    const where = 'seq2seq.fit';
    this.requireCompiled(where);
    if (this.fitting) throw new StateError(`${where}: this model is already fitting; await the running fit first`);
    if (typeof options !== 'object' || options === null) throw new OptionError(`${where}: options must be an object, got ${describe(options)}`);
    if ('checkpoint' in options) {
      throw new OptionError(`${where}: checkpoint is not supported by an encoder–decoder (a checkpoint holds one model's training state); save the model from a callback instead, e.g. callbacks: { onEpochEnd: () => model.save(path) }`);
    }
    checkOptionNames(where, options, FIT_OPTIONS);
    const settings = readFitOptions(where, options);
    const data = this.upload(where, sources, targets);
    const v = settings.validation;
    let validationData: PairData | null = null;
    try {
      if (v !== null) validationData = this.upload(`${where}: validationData`, v.x, v.y);
      const trainCount = splitCount(where, data.source.count, settings.validationSplit);
      const validation = validationData !== null ? { data: validationData, start: 0 } : trainCount < data.source.count ? { data, start: trainCount } : null;
      const metricKeys = this.decoder.requireCompiled(where).metrics.map((m) => m.key);
      const { earlyStopping, callbacks, progress, random } = fitScaffold(where, options, settings, trainCount, metricKeys, validation !== null);
      this.stopTraining = false;
      this.fitting = true;
      const run = new Seq2SeqRun(this.forcing, data, trainCount, validation, settings.batchSize, () => this.stopTraining);
      const history = await runEpochs(run, {
        epochs: settings.epochs, initialEpoch: settings.initialEpoch, batchSize: settings.batchSize, shuffle: settings.shuffle, random,
        callbacks, earlyStopping, progress,
      });
      this.epochsTrained += history.epoch.length;
      this.lastLogs = lastLogsOf(history, this.lastLogs);
      return history;
    } finally {
      this.fitting = false;
      release(data);
      if (validationData !== null) release(validationData);
    }
  }

  /** Teacher-forced loss and metrics: `{ loss, accuracy, … }`. */
  evaluate(sources: unknown, targets: unknown, options: { batchSize?: number } = {}): Record<string, number> {
    const where = 'seq2seq.evaluate';
    const compiled = this.decoder.requireCompiled(where);
    this.requireCompiled(where);
    checkOptionNames(where, options, ['batchSize']);
    const batchSize = positiveInteger(where, 'batchSize', options.batchSize ?? 32);
    const data = this.upload(where, sources, targets);
    try {
      const metrics = new RunningMetrics(compiled.metrics, compiled.accuracyKind);
      evaluatePairs(this.forcing, data, identityOrder(0, data.source.count), batchSize, metrics);
      const logs: Record<string, number> = {};
      metrics.write(logs, '');
      return logs;
    } finally {
      release(data);
    }
  }

  protected override release(): void {
    this.forcing.release();
    super.release();
    this.encoderOptimizer?.dispose();
  }

  /** Throws StateError before compile. */
  requireCompiled(where: string): void {
    this.checkLive(where);
    if (this.compiledWith === null) throw new StateError(`${where}: the model is not compiled; call model.compile({ optimizer: 'adam' }) first`);
  }

  private upload(where: string, sources: unknown, targets: unknown): PairData {
    const { source, target } = readPairs(where, this.config, this.encoder.plan, this.decoder.plan, sources, targets);
    return { source: new ArenaDataset(this.runtime, source), target: new ArenaDataset(this.runtime, target) };
  }
}

function release(data: PairData): void {
  data.source.release();
  data.target.release();
}
