import { OptionError, ValueError, bool, checkOptionNames, describe, positiveInteger, sizeOption } from '../errors.js';
import type { Callbacks } from '../train/callbacks.js';
import { readCheckpointOptions, type CheckpointOptions, type CheckpointSettings } from '../train/checkpoint-options.js';
import type { EarlyStoppingOptions } from '../train/early-stopping.js';
import { readTbpttOptions, type TbpttOptions, type TbpttSettings } from '../train/tbptt.js';
import type { MaskOptions } from './dataset.js';

/** Validation data: `[x, y]` (Keras) or `{ x, y, sampleLengths?, mask? }`. */
export type ValidationData = readonly [unknown, unknown] | ({ x: unknown; y: unknown } & MaskOptions);

/** `model.fit` options, named as in tfjs-layers / Keras. */
export interface FitOptions extends MaskOptions {
  /** Default 1 (Keras). */
  epochs?: number;
  /** Default 32; the last batch holds the remainder. */
  batchSize?: number;
  /** Fraction of the samples, taken from the END before shuffling (Keras), held out for validation. */
  validationSplit?: number;
  validationData?: ValidationData;
  /** Shuffle the training samples every epoch (seeded). Default true. */
  shuffle?: boolean;
  /** Seed of the shuffling and of dropout masks: the same seed gives the same run. Default: random. */
  seed?: number;
  callbacks?: Callbacks | Callbacks[];
  earlyStopping?: EarlyStoppingOptions;
  /** 1 prints a progress bar; default 1 only when stdout is a terminal and not CI. */
  verbose?: 0 | 1;
  /** Epoch to start from (its schedule position); default 0. */
  initialEpoch?: number;
  /**
   * Truncated BPTT: one update every k1 steps of each batch's sequences, backpropagated through
   * the last k2 steps (k2 ≥ k1, default k1), the recurrent state carried across windows. Needs
   * per-step outputs and unidirectional layers. Default: full BPTT (one update per batch).
   */
  tbptt?: TbpttOptions;
  /**
   * Checkpoints: `{ path, every?, resume? }` writes the training state (weights, optimizer moments
   * and step count, random states, epoch, history, early-stopping state) to `path` every `every`
   * epochs and at the end; `resume: true` continues from the file when it exists. Node only.
   */
  checkpoint?: CheckpointOptions;
}

export const FIT_OPTION_NAMES = [
  'epochs', 'batchSize', 'validationSplit', 'validationData', 'shuffle', 'seed', 'callbacks', 'earlyStopping', 'verbose', 'initialEpoch', 'sampleLengths', 'mask', 'tbptt', 'checkpoint',
] as const;

export interface FitSettings {
  epochs: number;
  initialEpoch: number;
  batchSize: number;
  validationSplit: number;
  validation: { x: unknown; y: unknown; options: MaskOptions } | null;
  shuffle: boolean;
  seed: number;
  verbose: 0 | 1 | null;
  tbptt: TbpttSettings | null;
  checkpoint: CheckpointSettings | null;
}

export function readFitOptions(where: string, options: FitOptions): FitSettings {
  if (typeof options !== 'object' || options === null) throw new OptionError(`${where}: options must be an object, got ${describe(options)}`);
  checkOptionNames(where, options, FIT_OPTION_NAMES);
  const epochs = positiveInteger(where, 'epochs', options.epochs ?? 1);
  const initialEpoch = options.initialEpoch ?? 0;
  if (typeof initialEpoch !== 'number' || !Number.isInteger(initialEpoch) || initialEpoch < 0 || initialEpoch >= epochs) {
    throw new OptionError(`${where}: initialEpoch must be an integer in [0, epochs) = [0, ${epochs}), got ${describe(initialEpoch)}`);
  }
  const split = options.validationSplit ?? 0;
  if (typeof split !== 'number' || !(split >= 0 && split < 1)) throw new OptionError(`${where}: validationSplit must be a number in [0, 1), got ${describe(split)}`);
  if (split > 0 && options.validationData !== undefined) throw new OptionError(`${where}: give either validationSplit or validationData, not both`);
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw new OptionError(`${where}: seed must be an integer, got ${describe(seed)}`);
  const verbose = options.verbose ?? null;
  if (verbose !== null && verbose !== 0 && verbose !== 1) throw new OptionError(`${where}: verbose must be 0 or 1, got ${describe(verbose)}`);
  return {
    epochs, initialEpoch, seed, verbose,
    batchSize: sizeOption(where, 'batchSize', options.batchSize ?? 32),
    validationSplit: split,
    validation: options.validationData === undefined ? null : readValidationData(where, options.validationData),
    shuffle: bool(where, 'shuffle', options.shuffle ?? true),
    tbptt: readTbpttOptions(where, options.tbptt),
    checkpoint: readCheckpointOptions(where, options.checkpoint),
  };
}

function readValidationData(where: string, value: unknown): FitSettings['validation'] {
  if (Array.isArray(value)) {
    if (value.length !== 2) throw new OptionError(`${where}: validationData must be [x, y] or { x, y }, got an array of length ${value.length}`);
    return { x: value[0], y: value[1], options: {} };
  }
  if (typeof value === 'object' && value !== null) {
    checkOptionNames(`${where}: validationData`, value, ['x', 'y', 'sampleLengths', 'mask']);
    const { x, y, ...options } = value as { x: unknown; y: unknown } & MaskOptions;
    if (x === undefined || y === undefined) throw new ValueError(`${where}: validationData needs both x and y`);
    return { x, y, options };
  }
  throw new OptionError(`${where}: validationData must be [x, y] or { x, y }, got ${describe(value)}`);
}

/** Samples [0, trainCount) train and [trainCount, count) validate (Keras takes the last fraction). */
export function splitCount(where: string, count: number, split: number): number {
  if (split === 0) return count;
  const trainCount = Math.floor(count * (1 - split));
  if (trainCount < 1 || trainCount >= count) {
    throw new ValueError(`${where}: validationSplit ${split} of ${count} samples leaves ${trainCount} for training and ${count - trainCount} for validation; both need at least one`);
  }
  return trainCount;
}
