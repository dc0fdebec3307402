import { OptionError, ShapeError, ValueError, bool, describe } from '../errors.js';
import { Random } from '../random.js';
import { Tensor } from '../tensor.js';
import { isTypedNumbers, readNumeric, type NumericArray, type NumericInput } from './numeric-input.js';
import { readOptions } from './options.js';

export interface SplitOptions {
  /** Fraction of the samples for training, in (0, 1]. */
  train: number;
  /** Fraction for validation, in [0, 1) (default 0). */
  validation?: number;
  /** Fraction for testing, in [0, 1) (default 0). */
  test?: number;
  /** Shuffle the samples before splitting (default false: time order is kept). */
  shuffle?: boolean;
  /** Seed of the shuffle (only with shuffle: true; default 1). */
  seed?: number;
}

export interface TrainTestOptions {
  /** Fraction of the samples for testing, in (0, 1) (default 0.25). */
  testSize?: number;
  shuffle?: boolean;
  seed?: number;
}

/** One part of a split: the inputs, the targets and which samples (0-based, along axis 0) it took. */
export interface SplitPart {
  readonly x: Tensor;
  readonly y: Tensor;
  readonly indices: readonly number[];
}

/** One part of a split of inputs alone. */
export type SplitPartX = Omit<SplitPart, 'y'>;

export interface DataSplits<P> {
  readonly train: P;
  readonly validation: P;
  readonly test: P;
}

export interface TrainTestSplits<P> {
  readonly train: P;
  readonly test: P;
}

const SPLIT_OPTIONS = ['train', 'validation', 'test', 'shuffle', 'seed'] as const;
const TRAIN_TEST_OPTIONS = ['testSize', 'shuffle', 'seed'] as const;
const PART_NAMES = ['train', 'validation', 'test'] as const;
/** Slack allowed on the sum of the fractions and on N·fraction before rounding. */
const EPSILON = 1e-9;

/**
 * Splits samples (axis 0 of x and y) into train, validation and test parts. Without shuffle the
 * parts are consecutive in the given order (train first, test last), as a time series needs.
 * A part whose fraction is 0 is empty (0 samples).
 */
export function splitData(x: NumericInput, y: NumericInput, options: SplitOptions): DataSplits<SplitPart>;
export function splitData(x: NumericInput, options: SplitOptions): DataSplits<SplitPartX>;
export function splitData(
  x: NumericInput,
  yOrOptions: NumericInput | SplitOptions,
  maybeOptions?: SplitOptions,
): DataSplits<SplitPart> | DataSplits<SplitPartX> {
  const where = 'splitData';
  const [y, options] = isOptions(yOrOptions) ? [undefined, yOrOptions as SplitOptions] : [yOrOptions as NumericInput, maybeOptions];
  if (options === undefined) throw new OptionError(`${where}: options with at least { train } are required, got undefined`);
  const opts = readOptions(where, options, SPLIT_OPTIONS);
  const fractions = [
    fraction(where, 'train', opts.train, '(0, 1]'),
    fraction(where, 'validation', opts.validation ?? 0, '[0, 1)'),
    fraction(where, 'test', opts.test ?? 0, '[0, 1)'),
  ];
  const sum = fractions[0]! + fractions[1]! + fractions[2]!;
  if (Math.abs(sum - 1) > EPSILON) {
    throw new ValueError(`${where}: train + validation + test must be 1, got ${fractions.join(' + ')} = ${sum}`);
  }
  const [train, validation, test] = splitParts(where, x, y, fractions, opts);
  return { train: train!, validation: validation!, test: test! };
}

/** Two-way split (scikit-learn's train_test_split, but time-ordered unless shuffle: true). */
export function trainTestSplit(x: NumericInput, y: NumericInput, options?: TrainTestOptions): TrainTestSplits<SplitPart>;
export function trainTestSplit(x: NumericInput, options?: TrainTestOptions): TrainTestSplits<SplitPartX>;
export function trainTestSplit(
  x: NumericInput,
  yOrOptions?: NumericInput | TrainTestOptions,
  maybeOptions?: TrainTestOptions,
): TrainTestSplits<SplitPart> | TrainTestSplits<SplitPartX> {
  const where = 'trainTestSplit';
  const [y, options] =
    yOrOptions === undefined || isOptions(yOrOptions) ? [undefined, yOrOptions as TrainTestOptions | undefined] : [yOrOptions as NumericInput, maybeOptions];
  const opts = readOptions(where, options, TRAIN_TEST_OPTIONS);
  const testSize = fraction(where, 'testSize', opts.testSize ?? 0.25, '(0, 1)');
  const [train, , test] = splitParts(where, x, y, [1 - testSize, 0, testSize], opts);
  return { train: train!, test: test! };
}

/** A plain object is options; arrays, typed arrays and Tensors are data. */
function isOptions(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !isTypedNumbers(value) && !(value instanceof Tensor);
}

function fraction(where: string, name: string, value: unknown, interval: '(0, 1]' | '[0, 1)' | '(0, 1)'): number {
  const inside =
    typeof value === 'number' &&
    (interval.startsWith('[') ? value >= 0 : value > 0) &&
    (interval.endsWith(']') ? value <= 1 : value < 1);
  if (!inside) {
    throw new (typeof value === 'number' ? ValueError : OptionError)(`${where}: ${name} must be a fraction in ${interval}, got ${describe(value)}`);
  }
  return value;
}

function splitParts(
  where: string,
  xInput: NumericInput,
  yInput: NumericInput | undefined,
  fractions: readonly number[],
  opts: { shuffle?: boolean; seed?: number },
): (SplitPart | SplitPartX)[] {
  const x = readSamples(where, 'x', xInput);
  const y = yInput === undefined ? undefined : readSamples(where, 'y', yInput);
  const samples = x.shape[0]!;
  if (y !== undefined && y.shape[0] !== samples) {
    throw new ShapeError(`${where}: x and y must have the same number of samples (axis 0), got x [${x.shape.join(', ')}] and y [${y.shape.join(', ')}]`);
  }
  const order = sampleOrder(where, samples, opts);
  const counts = partSizes(where, samples, fractions);
  let start = 0;
  return counts.map((count) => {
    const indices = order.slice(start, (start += count));
    const xPart = takeRows(x, indices);
    return y === undefined ? { x: xPart, indices } : { x: xPart, y: takeRows(y, indices), indices };
  });
}

function readSamples(where: string, name: string, input: NumericInput): NumericArray {
  const data = readNumeric(where, name, input);
  if (data.shape.length === 0) throw new ShapeError(`${where}: ${name} must have a sample axis (rank >= 1), got a scalar`);
  return data;
}

function sampleOrder(where: string, samples: number, opts: { shuffle?: boolean; seed?: number }): number[] {
  const shuffle = bool(where, 'shuffle', opts.shuffle ?? false);
  const order = Array.from({ length: samples }, (_, i) => i);
  if (!shuffle) {
    if (opts.seed !== undefined) throw new OptionError(`${where}: seed has no effect without shuffle: true (got seed ${describe(opts.seed)})`);
    return order;
  }
  const seed = opts.seed ?? 1;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new OptionError(`${where}: seed must be an integer in [0, 2^32), got ${describe(seed)}`);
  }
  new Random(seed).shuffle(order);
  return order;
}

/**
 * Sample counts per part by the largest-remainder method: each part gets ⌊N·fraction⌋ and the samples
 * left over go to the parts with the largest remainders (ties: train, then validation, then test),
 * so the counts add up to N and each is within one of N·fraction.
 */
function partSizes(where: string, samples: number, fractions: readonly number[]): number[] {
  const total = fractions.reduce((a, b) => a + b, 0);
  const exact = fractions.map((f) => (samples * f) / total);
  const counts = exact.map((e) => Math.floor(e + EPSILON));
  const byRemainder = [0, 1, 2].filter((p) => fractions[p]! > 0).sort((a, b) => exact[b]! - counts[b]! - (exact[a]! - counts[a]!) || a - b);
  for (let left = samples - counts.reduce((a, b) => a + b, 0), k = 0; left > 0; left--, k++) counts[byRemainder[k % byRemainder.length]!]!++;
  counts.forEach((count, p) => {
    if (count === 0 && fractions[p]! > 0) {
      throw new ValueError(
        `${where}: the ${PART_NAMES[p]} part (${fractions[p]} of ${samples} samples = ${+exact[p]!.toFixed(3)}) would be empty; give it a larger fraction or provide more samples`,
      );
    }
  });
  return counts;
}

function takeRows(data: NumericArray, indices: readonly number[]): Tensor {
  const rowSize = data.shape.slice(1).reduce((a, b) => a * b, 1);
  const out = new Float32Array(indices.length * rowSize);
  indices.forEach((row, k) => out.set(data.values.subarray(row * rowSize, (row + 1) * rowSize), k * rowSize));
  return new Tensor(out, [indices.length, ...data.shape.slice(1)]);
}
