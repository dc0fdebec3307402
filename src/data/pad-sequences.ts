import { ShapeError, ValueError, describe, oneOf, positiveInteger } from '../errors.js';
import { Tensor } from '../tensor.js';
import { readNumeric, type NumericArray, type NumericInput } from './numeric-input.js';
import { readOptions } from './options.js';

export interface PadOptions {
  /** Length of every padded sequence (default: the longest); longer sequences are truncated. */
  maxLength?: number;
  /** Where padding goes: 'post' (default, after the values) or 'pre' (before). */
  padding?: 'post' | 'pre';
  /** Which end a too-long sequence loses: 'pre' (default, keeps the last steps) or 'post'. */
  truncating?: 'pre' | 'post';
  /** The padding value (default 0, the '<pad>' id of the tokenizers). */
  value?: number;
}

export interface PaddedSequences {
  /** [B, maxLength] for sequences of numbers, [B, maxLength, F] for sequences of F-vectors. */
  readonly padded: Tensor;
  /** Steps of each sequence kept in `padded` (at most maxLength). */
  readonly lengths: number[];
}

const OPTION_NAMES = ['maxLength', 'padding', 'truncating', 'value'] as const;
const WHERE = 'padSequences';

/** Pads (and truncates) variable-length sequences into one batch Tensor, like Keras' pad_sequences. */
export function padSequences(sequences: readonly NumericInput[], options?: PadOptions): PaddedSequences {
  const opts = readOptions(WHERE, options, OPTION_NAMES);
  const padding = oneOf(WHERE, 'padding', opts.padding ?? 'post', ['post', 'pre'] as const);
  const truncating = oneOf(WHERE, 'truncating', opts.truncating ?? 'pre', ['pre', 'post'] as const);
  const value = opts.value ?? 0;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ValueError(`${WHERE}: value must be a finite number, got ${describe(value)}`);
  if (!Array.isArray(sequences) || sequences.length === 0) {
    throw new ValueError(`${WHERE}: sequences must be a non-empty array of sequences, got ${describe(sequences)}`);
  }
  const read = sequences.map((sequence, i) => readNumeric(WHERE, `sequences[${i}]`, sequence));
  const stepShape = commonStepShape(read);
  const stepSize = stepShape.reduce((a, b) => a * b, 1);
  const longest = read.reduce((most, s) => Math.max(most, s.shape[0]!), 0);
  const maxLength = opts.maxLength === undefined ? longest : positiveInteger(WHERE, 'maxLength', opts.maxLength);

  const out = new Float32Array(read.length * maxLength * stepSize).fill(value);
  const lengths = read.map(({ values }, b) => {
    const steps = values.length / stepSize;
    const kept = Math.min(steps, maxLength);
    const from = truncating === 'pre' ? steps - kept : 0;
    const to = padding === 'post' ? 0 : maxLength - kept;
    out.set(values.subarray(from * stepSize, (from + kept) * stepSize), (b * maxLength + to) * stepSize);
    return kept;
  });
  return { padded: new Tensor(out, [read.length, maxLength, ...stepShape]), lengths };
}

/** The shape of one step ([] for numbers, [F] for vectors), the same in every non-empty sequence. */
function commonStepShape(read: readonly NumericArray[]): readonly number[] {
  let first = -1;
  read.forEach(({ shape }, i) => {
    if (shape.length === 0 || shape.length > 2) {
      throw new ShapeError(`${WHERE}: sequences[${i}] must be 1-D [steps] or 2-D [steps, features], got shape [${shape.join(', ')}]`);
    }
    if (shape[0] === 0) return;
    if (first < 0) first = i;
    const expected = read[first]!.shape;
    if (shape.length !== expected.length || shape[1] !== expected[1]) {
      throw new ShapeError(
        `${WHERE}: every sequence must have steps of the same shape; sequences[${i}] has shape [${shape.join(', ')}] but sequences[${first}] has [${expected.join(', ')}]`,
      );
    }
  });
  return first < 0 ? [] : read[first]!.shape.slice(1);
}
