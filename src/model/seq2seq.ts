import { OptionError, StateError, checkOptionNames, describe, positiveInteger } from '../errors.js';
import { modelToJSON, type ModelJSON, type SaveOptions } from '../io/model-json.js';
import { saveModel, type SaveResult } from '../io/save-model.js';
import { runtime as defaultRuntime } from '../kernels/backend.js';
import type { Runtime } from '../kernels/runtime.js';
import type { StateDictValue } from '../layers/state-dict.js';
import type { Tensor } from '../tensor.js';
import type { Logs } from '../train/callbacks.js';
import { EarlyStopping } from '../train/early-stopping.js';
import { CallbackList } from '../train/callbacks.js';
import { runEpochs, type History } from '../train/fit.js';
import { RunningMetrics } from '../train/metrics-running.js';
import { Optimizer, optimizerFromJSON, type OptimizerName } from '../train/optimizers.js';
import { ProgressBar, defaultSink, defaultVerbose } from '../train/progress.js';
import { Random } from '../random.js';
import { ArenaDataset, identityOrder } from './batches.js';
import type { OptimizerConfig } from './compile.js';
import { readFitOptions, splitCount, type FitOptions } from './fit-options.js';
import { decoderSpecs, encoderSpecs, readSeq2SeqConfig, type Seq2SeqConfig, type Seq2SeqOptions } from './seq2seq-config.js';
import { readPairs, readSources } from './seq2seq-data.js';
import { Seq2SeqRun, TeacherForcing, evaluatePairs, recurrentLayer, type PairData } from './seq2seq-run.js';
import { Sequential } from './sequential.js';
import { Stream } from './stateful.js';

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

/** fit options of an encoder–decoder (no masks: ragged arrays give the lengths; no tbptt). */
export type Seq2SeqFitOptions = Omit<FitOptions, 'sampleLengths' | 'mask' | 'tbptt'>;

const FIT_OPTIONS = ['epochs', 'batchSize', 'validationSplit', 'validationData', 'shuffle', 'seed', 'callbacks', 'earlyStopping', 'verbose', 'initialEpoch'] as const;

/**
 * An encoder–decoder for sequences of unequal lengths: `seq2seq({ encoder: { cell, units,
 * embedding | inputFeatures }, decoder: { vocabSize, embedding }, startToken, endToken, maxLength })`.
 */
export function seq2seq(options: Seq2SeqOptions & { runtime?: Runtime }): Seq2Seq {
  return new Seq2Seq(options);
}

export class Seq2Seq {
  /** Tells a loaded model's class apart: `loadModel(…)` gives a Sequential or a Seq2Seq. */
  readonly kind = 'seq2seq';
  readonly config: Seq2SeqConfig;
  readonly seed: number;
  readonly runtime: Runtime;
  /** Sources → final states. Its parameters are named `encoder.${name}` in stateDict. */
  readonly encoder: Sequential;
  /** Start token + target → next tokens, from the encoder's states. Parameters `decoder.${name}`. */
  readonly decoder: Sequential;
  /** Set it from a callback to end fit after the current batch. */
  stopTraining = false;
  /** Epochs completed by every fit so far. */
  epochsTrained = 0;
  /** The logs of the last epoch trained, or null. */
  lastLogs: Logs | null = null;
  private readonly forcing: TeacherForcing;
  private decoding: Stream | null = null;
  private compiledWith: Seq2SeqCompileOptions | null = null;
  /** The encoder's copy of an optimizer object given to compile (disposed with it). */
  private encoderOptimizer: Optimizer | null = null;
  private fitting = false;
  private disposed = false;

  constructor(options: Seq2SeqOptions & { runtime?: Runtime }) {
    const where = 'seq2seq';
    this.config = readSeq2SeqConfig(where, options);
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
    if (typeof seed !== 'number' || !Number.isInteger(seed)) throw new OptionError(`${where}: seed must be an integer, got ${describe(seed)}`);
    this.seed = seed;
    this.runtime = options.runtime ?? defaultRuntime();
    const random = new Random(seed);
    this.encoder = new Sequential(encoderSpecs(this.config), { runtime: this.runtime, seed: random.nextUint32(), name: 'encoder' });
    this.decoder = new Sequential(decoderSpecs(this.config), { runtime: this.runtime, seed: random.nextUint32(), name: 'decoder' });
    this.forcing = new TeacherForcing(this.encoder, this.decoder);
  }

  get isCompiled(): boolean {
    return this.compiledWith !== null;
  }

  /** The compile options in effect (optimizer as given), or null. */
  get compileOptions(): Seq2SeqCompileOptions | null {
    return this.compiledWith;
  }

  countParams(): number {
    return this.encoder.countParams() + this.decoder.countParams();
  }

  summary(options: { print?: boolean } = {}): string {
    checkOptionNames('summary', options, ['print']);
    const text = [`Model: "${this.config.name}" (encoder–decoder)`, this.encoder.summary({ print: false }), this.decoder.summary({ print: false })].join('\n');
    if (options.print !== false) console.log(text);
    return text;
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
    checkOptionNames(where, options, FIT_OPTIONS);
    const settings = readFitOptions(where, options);
    const data = this.upload(where, sources, targets);
    const v = settings.validation;
    let validationData: PairData | null = null;
    try {
      if (v !== null) validationData = this.upload(`${where}: validationData`, v.x, v.y);
      const trainCount = splitCount(where, data.source.count, settings.validationSplit);
      const validation = validationData !== null ? { data: validationData, start: 0 } : trainCount < data.source.count ? { data, start: trainCount } : null;
      const logNames = ['loss', ...this.decoder.requireCompiled(where).metrics.map((m) => m.key)];
      const available = validation === null ? logNames : [...logNames, ...logNames.map((n) => `val_${n}`)];
      const earlyStopping = options.earlyStopping === undefined ? null : new EarlyStopping(where, options.earlyStopping, available);
      const callbacks = new CallbackList(where, options.callbacks);
      const verbose = settings.verbose ?? defaultVerbose();
      const steps = Math.ceil(trainCount / settings.batchSize);
      const random = new Random(settings.seed);
      this.stopTraining = false;
      this.fitting = true;
      const run = new Seq2SeqRun(this.forcing, data, trainCount, validation, settings.batchSize, () => this.stopTraining);
      const history = await runEpochs(run, {
        epochs: settings.epochs, initialEpoch: settings.initialEpoch, batchSize: settings.batchSize, shuffle: settings.shuffle, random,
        callbacks, earlyStopping, progress: verbose === 1 ? new ProgressBar(defaultSink(), settings.epochs, steps) : null,
      });
      this.epochsTrained += history.epoch.length;
      if (history.epoch.length > 0) this.lastLogs = Object.fromEntries(Object.entries(history.history).map(([key, values]) => [key, values.at(-1)!]));
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

  /**
   * Greedy decoding: for each source, the most likely next id at every step, fed back, until
   * endToken (left out) or maxLength ids. Returns one id array per source.
   */
  translate(sources: unknown, options: { maxLength?: number; batchSize?: number } = {}): number[][] {
    const where = 'seq2seq.translate';
    this.checkLive(where);
    if (this.fitting) throw new StateError(`${where}: fit is running; wait for it to finish`);
    checkOptionNames(where, options, ['maxLength', 'batchSize']);
    const maxLength = positiveInteger(where, 'maxLength', options.maxLength ?? this.config.maxLength);
    const batchSize = positiveInteger(where, 'batchSize', options.batchSize ?? 32);
    const data = new ArenaDataset(this.runtime, readSources(where, this.encoder.plan, sources));
    const results: number[][] = [];
    try {
      const order = identityOrder(0, data.count);
      for (let start = 0; start < data.count; start += batchSize) {
        const size = Math.min(batchSize, data.count - start);
        this.encoder.batch.load(data, order, start, size);
        results.push(...this.decodeLoadedBatch(size, maxLength));
      }
    } finally {
      data.release();
    }
    return results;
  }

  /** Same as translate (Keras' name). */
  predict(sources: unknown, options: { maxLength?: number; batchSize?: number } = {}): number[][] {
    return this.translate(sources, options);
  }

  /** Parameters by name: `encoder.0.weight`, `decoder.1.weight_ih_l0`, … */
  stateDict(): Record<string, Tensor> {
    this.checkLive('stateDict');
    return { ...prefixed('encoder.', this.encoder.stateDict()), ...prefixed('decoder.', this.decoder.stateDict()) };
  }

  /** Loads values by name (strict: exactly the names and shapes of stateDict()). */
  loadStateDict(dict: Record<string, StateDictValue>): void {
    this.checkLive('loadStateDict');
    const parts: Record<'encoder' | 'decoder', Record<string, StateDictValue>> = { encoder: {}, decoder: {} };
    for (const [name, value] of Object.entries(dict)) {
      const dot = name.indexOf('.');
      const part = name.slice(0, dot);
      if (part !== 'encoder' && part !== 'decoder') throw new OptionError(`seq2seq.loadStateDict: '${name}' must start with 'encoder.' or 'decoder.'`);
      parts[part][name.slice(dot + 1)] = value;
    }
    this.encoder.loadStateDict(parts.encoder);
    this.decoder.loadStateDict(parts.decoder);
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

  dispose(): void {
    if (this.disposed) return;
    if (this.fitting) throw new StateError('dispose: fit is running; wait for it to finish');
    this.disposed = true;
    this.decoding?.release();
    this.forcing.release();
    this.encoder.dispose();
    this.decoder.dispose();
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

  /** Encodes the batch loaded in the encoder, then decodes all its sequences together, one step at a time. */
  private decodeLoadedBatch(B: number, maxLength: number): number[][] {
    const batch = this.encoder.batch;
    this.encoder.forwardBatch(batch.x, batch.T, B, batch.mask, false, false);
    const encoded = recurrentLayer(this.encoder).core;
    const stream = (this.decoding ??= new Stream(this.decoder, 'seq2seq.translate'));
    stream.reset(B);
    const k = this.runtime.kernels;
    const state = stream.carried.slot(0);
    const H = this.config.encoder.units;
    k.copy(state.h, encoded.hN, B * H);
    if (state.c !== 0) k.copy(state.c, encoded.cN, B * H);
    const V = this.config.decoder.vocabSize;
    const outputs: number[][] = Array.from({ length: B }, () => []);
    const done = new Array<boolean>(B).fill(false);
    let next = new Array<number>(B).fill(this.config.startToken);
    for (let step = 0; step < maxLength && done.includes(false); step++) {
      const input = stream.inputBuffers(B);
      this.runtime.arena.storage.data.set(next, input.x >>> 2);
      const probabilities = stream.advance(input.x, 1, B, 0) >>> 2;
      const heap = this.runtime.arena.storage.data;
      next = next.map((_, b) => {
        const row = probabilities + b * V;
        let best = 0;
        for (let v = 1; v < V; v++) if (heap[row + v]! > heap[row + best]!) best = v;
        if (done[b]) return this.config.endToken;
        if (best === this.config.endToken) done[b] = true;
        else outputs[b]!.push(best);
        return best;
      });
    }
    return outputs;
  }

  private checkLive(where: string): void {
    if (this.disposed) throw new StateError(`${where}: this model was disposed`);
  }
}

function prefixed<T>(prefix: string, dict: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(dict).map(([name, value]) => [prefix + name, value]));
}

function release(data: PairData): void {
  data.source.release();
  data.target.release();
}
