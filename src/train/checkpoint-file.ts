import { OptionError, ValueError, describe } from '../errors.js';
import { decodeFloat32, decodedLength, encodeFloat32 } from '../io/base64.js';
import { ModelFileError } from '../io/model-file-error.js';
import { parseStrictJsonRecords, type JsonData, type JsonRecord } from '../io/strict-json.js';
import { randomStateProblem } from '../random.js';
import type { EarlyStoppingState } from './early-stopping.js';
import type { OptimizerState } from './optimizers.js';

/*
 * The checkpoint file of `fit(…, { checkpoint })`: one JSON document holding everything the
 * training run depends on, so that a resumed fit continues bit for bit. It is read like a model
 * file: strict JSON (duplicate keys refused), every key and type checked, sizes checked against
 * the model before anything is decoded, weights finite; a damaged file is a ModelFileError, a
 * file of another architecture or compile settings a ModelFileError naming the difference, and a file
 * of another fit (data size, batch size, shuffling, early stopping) an Option/ValueError.
 * (train/ reaches down-stack helpers of io/ here: base64, strict JSON and the file error class,
 * none of which imports a model.)
 */

export const CHECKPOINT_FORMAT = 'wasm-rnn-checkpoint';
export const CHECKPOINT_FORMAT_VERSION = 1;

/** The epoch loop's part of a checkpoint (train/fit.ts restores it). */
export interface LoopState {
  /** The epoch the resumed fit starts with (epochs finished so far). */
  nextEpoch: number;
  /** Early stopping or `stopTraining` ended the fit: a resumed fit trains no further. */
  stopped: boolean;
  /** The sample order after the last finished epoch (each epoch shuffles the previous order). */
  order: Uint32Array;
  epochs: number[];
  history: Record<string, number[]>;
  /** State of the shuffling Random. */
  shuffle: number[];
  earlyStopping: EarlyStoppingState | null;
}

/** The model's part: weights, optimizer, dropout Random, early stopping's best weights. */
export interface ModelState {
  /** The whole parameter region (alignment padding included). */
  weights: Float32Array;
  bestWeights: Float32Array | null;
  optimizer: OptimizerState;
  dropout: number[];
}

export interface Checkpoint {
  loop: LoopState;
  model: ModelState;
}

export interface EarlyStoppingIdentity {
  monitor: string;
  patience: number;
  minDelta: number;
  restoreBest: boolean;
}

/** What a checkpoint must match to be resumed by a fit. */
export interface CheckpointIdentity {
  /** The layer specs (`{ className, config }`) of the model. */
  architecture: readonly unknown[];
  /** The compile settings: `{ optimizer: optimizer.toJSON(), loss, metrics, clipNorm, clipValue }`. */
  compile: Record<string, unknown>;
  /** Parameter-region length in f32 values (weights and each moment buffer). */
  regionLength: number;
  momentCount: number;
  /** Training samples (the order's length). */
  samples: number;
  batchSize: number;
  shuffle: boolean;
  /** Early stopping's settings, or null without it. */
  earlyStopping: EarlyStoppingIdentity | null;
}

export function checkpointText(identity: CheckpointIdentity, checkpoint: Checkpoint): string {
  const { loop, model } = checkpoint;
  return JSON.stringify({
    format: CHECKPOINT_FORMAT,
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    architecture: identity.architecture,
    compile: identity.compile,
    fit: { samples: identity.samples, batchSize: identity.batchSize, shuffle: identity.shuffle, earlyStopping: identity.earlyStopping },
    epoch: loop.nextEpoch,
    stopped: loop.stopped,
    history: { epoch: loop.epochs, history: Object.fromEntries(Object.entries(loop.history).map(([key, values]) => [key, values.map(exactNumber)])) },
    order: Array.from(loop.order),
    random: { shuffle: loop.shuffle.map(exactNumber), dropout: model.dropout.map(exactNumber) },
    earlyStopping: loop.earlyStopping === null ? null : { ...loop.earlyStopping, best: exactNumber(loop.earlyStopping.best) },
    weights: encodeFloat32(model.weights),
    bestWeights: model.bestWeights === null ? null : encodeFloat32(model.bestWeights),
    optimizerState: { iterations: model.optimizer.iterations, epoch: model.optimizer.epoch, moments: model.optimizer.moments.map(encodeFloat32) },
  });
}

/** JSON holds finite numbers only; NaN and ±Infinity are written as the strings 'NaN', 'Infinity', '-Infinity'. */
function exactNumber(value: number): number | string {
  return Number.isFinite(value) ? value : String(value);
}

const TOP_KEYS = [
  'format', 'formatVersion', 'architecture', 'compile', 'fit', 'epoch', 'stopped', 'history', 'order', 'random', 'earlyStopping', 'weights', 'bestWeights', 'optimizerState',
];

/** Reads and checks a checkpoint's text against the fit resuming it. */
export function readCheckpoint(where: string, text: string, identity: CheckpointIdentity): Checkpoint {
  const reader: Reader = new Reader(where);
  const doc = reader.record('the checkpoint', parseStrictJsonRecords(text, where, 'the checkpoint'));
  if (doc.format !== CHECKPOINT_FORMAT) reader.fail(`not a wasm-rnn checkpoint: format is ${describe(doc.format)}, expected '${CHECKPOINT_FORMAT}'`);
  const version = doc.formatVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) reader.fail(`formatVersion must be a positive integer, got ${describe(version)}`);
  if (version > CHECKPOINT_FORMAT_VERSION) reader.fail(`the checkpoint has format version ${version}, written by a newer wasm-rnn; this version reads up to ${CHECKPOINT_FORMAT_VERSION}`);
  reader.keys('the checkpoint', doc, TOP_KEYS);
  reader.sameArchitecture(doc.architecture, identity.architecture);
  if (canonical(doc.compile) !== canonical(identity.compile)) {
    reader.fail(`the checkpoint was written with compile settings ${canonical(doc.compile)}, but the model is compiled with ${canonical(identity.compile)}`);
  }
  sameFit(where, reader, doc.fit, identity);
  const loop = readLoop(reader, doc, identity);
  const model: ModelState = {
    weights: reader.floats('weights', doc.weights, identity.regionLength),
    bestWeights: doc.bestWeights === null ? null : reader.floats('bestWeights', doc.bestWeights, identity.regionLength),
    optimizer: readOptimizer(reader, doc.optimizerState, identity),
    dropout: reader.randomState('random.dropout', reader.record('random', doc.random).dropout),
  };
  const keepsBest = identity.earlyStopping?.restoreBest === true && loop.earlyStopping!.bestEpoch >= 0;
  if (keepsBest !== (model.bestWeights !== null)) {
    reader.fail(keepsBest ? 'bestWeights is null, but early stopping restores the weights of its best epoch' : 'bestWeights must be null: early stopping keeps no best weights here');
  }
  return { loop, model };
}

/** The fit's settings that shape the run must be the checkpoint's, or the resumed run would differ. */
function sameFit(where: string, reader: Reader, value: unknown, identity: CheckpointIdentity): void {
  const fit = reader.record('fit', value);
  reader.keys('fit', fit, ['samples', 'batchSize', 'shuffle', 'earlyStopping']);
  const advice = 'resume with the same settings, or delete the checkpoint to start over';
  if (fit.samples !== identity.samples) {
    throw new ValueError(`${where}: the checkpoint was written by a fit on ${describe(fit.samples)} training samples, this fit has ${identity.samples}; ${advice}`);
  }
  for (const key of ['batchSize', 'shuffle', 'earlyStopping'] as const) {
    const [theirs, mine] = [canonical(fit[key]), canonical(identity[key])];
    if (theirs !== mine) throw new OptionError(`${where}: the checkpoint was written by a fit with ${key} ${theirs}, this fit has ${key} ${mine}; ${advice}`);
  }
}

function readLoop(reader: Reader, doc: JsonRecord, identity: CheckpointIdentity): LoopState {
  const nextEpoch = reader.count('epoch', doc.epoch);
  if (typeof doc.stopped !== 'boolean') reader.fail(`stopped must be true or false, got ${describe(doc.stopped)}`);
  const history = reader.record('history', doc.history);
  reader.keys('history', history, ['epoch', 'history']);
  const epochs = reader.list('history.epoch', history.epoch).map((e, i) => reader.count(`history.epoch[${i}]`, e));
  if (epochs.some((e, i) => e >= nextEpoch || (i > 0 && e <= epochs[i - 1]!))) reader.fail(`history.epoch must rise and stay below epoch ${nextEpoch}, got ${describe(epochs)}`);
  const logs = reader.record('history.history', history.history);
  const series = Object.create(null) as Record<string, number[]>;
  for (const [key, values] of Object.entries(logs)) {
    const list = reader.list(`history.history.${key}`, values);
    if (list.length !== epochs.length) reader.fail(`history.history.${key} holds ${list.length} values for ${epochs.length} epochs`);
    series[key] = list.map((v, i) => reader.number(`history.history.${key}[${i}]`, v));
  }
  const random = reader.record('random', doc.random);
  reader.keys('random', random, ['shuffle', 'dropout']);
  const earlyStopping = doc.earlyStopping === null ? null : readEarlyStopping(reader, doc.earlyStopping, nextEpoch);
  if ((earlyStopping === null) !== (identity.earlyStopping === null)) reader.fail('earlyStopping state does not match fit.earlyStopping');
  return {
    nextEpoch,
    stopped: doc.stopped,
    epochs,
    history: { ...series },
    order: readOrder(reader, doc.order, identity.samples),
    shuffle: reader.randomState('random.shuffle', random.shuffle),
    earlyStopping,
  };
}

function readEarlyStopping(reader: Reader, value: unknown, nextEpoch: number): EarlyStoppingState {
  const state = reader.record('earlyStopping', value);
  reader.keys('earlyStopping', state, ['best', 'wait', 'bestEpoch']);
  const bestEpoch = state.bestEpoch;
  if (typeof bestEpoch !== 'number' || !Number.isInteger(bestEpoch) || bestEpoch < -1 || bestEpoch >= nextEpoch) {
    reader.fail(`earlyStopping.bestEpoch must be an integer in [-1, ${nextEpoch}), got ${describe(bestEpoch)}`);
  }
  return { best: reader.number('earlyStopping.best', state.best), wait: reader.count('earlyStopping.wait', state.wait), bestEpoch };
}

/** A permutation of 0 … samples − 1. */
function readOrder(reader: Reader, value: unknown, samples: number): Uint32Array {
  const list = reader.list('order', value);
  if (list.length !== samples) reader.fail(`order must list the ${samples} training samples, got ${list.length} entries`);
  const order = new Uint32Array(samples);
  const seen = new Uint8Array(samples);
  list.forEach((n, i) => {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n >= samples || seen[n] === 1) {
      reader.fail(`order must be a permutation of 0 … ${samples - 1}, but entry ${i} is ${describe(n)}`);
    }
    seen[n] = 1;
    order[i] = n;
  });
  return order;
}

function readOptimizer(reader: Reader, value: unknown, identity: CheckpointIdentity): OptimizerState {
  const state = reader.record('optimizerState', value);
  reader.keys('optimizerState', state, ['iterations', 'epoch', 'moments']);
  const moments = reader.list('optimizerState.moments', state.moments);
  if (moments.length !== identity.momentCount) reader.fail(`optimizerState.moments must hold ${identity.momentCount} buffer(s), got ${moments.length}`);
  return {
    iterations: reader.count('optimizerState.iterations', state.iterations),
    epoch: reader.count('optimizerState.epoch', state.epoch),
    moments: moments.map((m, i) => reader.floats(`optimizerState.moments[${i}]`, m, identity.regionLength)),
  };
}

/** JSON text with object keys sorted, to compare configurations whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]])) : v);
}

/** Checks on parsed checkpoint data; every failure is a ModelFileError naming the part. */
class Reader {
  constructor(private readonly where: string) {}

  fail(problem: string): never {
    throw new ModelFileError(`${this.where}: ${problem}`);
  }

  record(path: string, value: unknown): JsonRecord {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(`${path} must be an object, got ${describe(value)}`);
    return value as JsonRecord;
  }

  list(path: string, value: unknown): JsonData[] {
    if (!Array.isArray(value)) this.fail(`${path} must be an array, got ${describe(value)}`);
    return value as JsonData[];
  }

  /** Exactly the keys `allowed`. */
  keys(path: string, value: JsonRecord, allowed: readonly string[]): void {
    for (const key of allowed) if (!(key in value)) this.fail(`${path} is missing '${key}'`);
    for (const key of Object.keys(value)) if (!allowed.includes(key)) this.fail(`${path} has an unknown key '${key}'`);
  }

  count(path: string, value: unknown): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) this.fail(`${path} must be an integer ≥ 0, got ${describe(value)}`);
    return value;
  }

  /** A number as exactNumber wrote it. */
  number(path: string, value: unknown): number {
    if (typeof value === 'number') return value;
    if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return Number(value);
    return this.fail(`${path} must be a number, got ${describe(value)}`);
  }

  randomState(path: string, value: unknown): number[] {
    const state = this.list(path, value).map((v, i) => this.number(`${path}[${i}]`, v));
    const problem = randomStateProblem(state);
    if (problem !== null) this.fail(`${path} is not a random-number state: ${problem}`);
    return state;
  }

  /** `length` finite float32 values in base64, the size checked before decoding. */
  floats(path: string, value: unknown, length: number): Float32Array {
    if (typeof value !== 'string') this.fail(`${path} must be a base64 string, got ${describe(value)}`);
    const bytes = decodedLength(value);
    if (bytes !== length * 4) this.fail(`${path} must hold ${length * 4} bytes (${length} float32 values of the model), got ${typeof bytes === 'string' ? `malformed base64: ${bytes}` : `${bytes} bytes`}`);
    const values = decodeFloat32(value);
    if (typeof values === 'string') this.fail(`${path} is not base64: ${values}`);
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) this.fail(`${path} element ${bad} is ${values[bad]}; checkpoint values must be finite`);
    return values;
  }

  /** The layers of the checkpoint's model, one by one against this model's. */
  sameArchitecture(value: unknown, layers: readonly unknown[]): void {
    const stored = this.list('architecture', value);
    const label = (spec: unknown) => {
      const { className, config } = (spec ?? {}) as { className?: unknown; config?: { units?: unknown; outputDim?: unknown; rate?: unknown } };
      const size = config?.units ?? config?.outputDim ?? config?.rate;
      return `${typeof className === 'string' ? className : describe(className)}${size === undefined ? '' : `(${describe(size)})`}`;
    };
    const same = stored.length === layers.length && stored.every((spec, i) => canonical(spec) === canonical(layers[i]));
    if (same) return;
    const index = stored.findIndex((spec, i) => i >= layers.length || canonical(spec) !== canonical(layers[i]));
    const at = index < 0 ? layers.length : index;
    const detail = at < stored.length && at < layers.length
      ? `layer ${at} is ${canonical(stored[at])} in the checkpoint but ${canonical(layers[at])} in this model`
      : `the checkpoint has ${stored.length} layer(s), this model ${layers.length}`;
    this.fail(`the checkpoint is of another architecture (${stored.map(label).join(' → ')}) than this model (${layers.map(label).join(' → ')}): ${detail}`);
  }
}
