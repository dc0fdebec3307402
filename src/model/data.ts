import { ShapeError, ValueError, describe } from '../errors.js';
import { Tensor } from '../tensor.js';

/*
 * Reads what users pass to fit / evaluate / predict (Tensors or nested arrays, batch-first, ragged
 * sequences allowed) into padded, batch-first Float32Arrays, checking shapes and values once per
 * call so the training loop never has to.
 */

/** Samples padded to `steps`, batch-first: values [count, steps, width]. Vectors have steps = 1. */
export interface Padded {
  readonly count: number;
  readonly steps: number;
  readonly width: number;
  readonly values: Float32Array;
  /** Steps of each sample when some are shorter than `steps` (right padding); null when all are full. */
  readonly lengths: Int32Array | null;
}

/** How a sample looks: a sequence of `width`-vectors (`time`) or one `width`-vector. */
export interface SampleLayout {
  readonly time: boolean;
  readonly width: number;
  /** width = 1 may be given without its axis ([N, T] for [N, T, 1], [N] for [N, 1]). */
  readonly squeezable: boolean;
  /** Fixed number of steps (inputShape), or null for any. */
  readonly steps: number | null;
}

function shapeText(layout: SampleLayout): string {
  const full = layout.time ? `[samples, ${layout.steps ?? 'timeSteps'}, ${layout.width}]` : `[samples, ${layout.width}]`;
  if (!layout.squeezable || layout.width !== 1) return full;
  return `${full} or ${layout.time ? `[samples, ${layout.steps ?? 'timeSteps'}]` : '[samples]'}`;
}

/** Reads a Tensor or nested arrays (ragged in time) into padded samples. */
export function readPadded(where: string, name: string, value: unknown, layout: SampleLayout): Padded {
  if (value instanceof Tensor) return fromTensor(where, name, value, layout);
  if (Array.isArray(value)) return fromNested(where, name, value, layout);
  throw new ShapeError(`${where}: ${name} must be a Tensor or nested number arrays of shape ${shapeText(layout)}, got ${describe(value)}`);
}

function fromTensor(where: string, name: string, t: Tensor, layout: SampleLayout): Padded {
  const fullRank = layout.time ? 3 : 2;
  const squeezed = layout.squeezable && layout.width === 1 && t.rank === fullRank - 1;
  const widthOk = squeezed || (t.rank === fullRank && t.shape[fullRank - 1] === layout.width);
  const steps = layout.time ? t.shape[1]! : 1;
  const stepsOk = !layout.time || layout.steps === null || steps === layout.steps;
  if (!widthOk || !stepsOk || t.shape[0] === 0 || steps === 0) {
    throw new ShapeError(`${where}: ${name} must have shape ${shapeText(layout)} with at least one sample and step, got [${t.shape.join(', ')}]`);
  }
  for (let i = 0; i < t.data.length; i++) {
    if (!Number.isFinite(t.data[i]!)) throw new ValueError(`${where}: ${name} must be finite, but ${name}${indexPath(t.shape, i)} is ${t.data[i]}`);
  }
  return { count: t.shape[0]!, steps, width: layout.width, values: Float32Array.from(t.data), lengths: null };
}

function fromNested(where: string, name: string, samples: unknown[], layout: SampleLayout): Padded {
  const count = samples.length;
  if (count === 0) throw new ValueError(`${where}: ${name} must hold at least one sample, got an empty array`);
  const lengths = new Int32Array(count);
  samples.forEach((sample, n) => {
    if (!layout.time) return (lengths[n] = 1);
    if (!Array.isArray(sample) || sample.length === 0) {
      throw new ShapeError(`${where}: ${name}[${n}] must be a non-empty array of steps (${shapeText(layout)}), got ${describe(sample)}`);
    }
    if (layout.steps !== null && sample.length > layout.steps) {
      throw new ShapeError(`${where}: ${name}[${n}] has ${sample.length} steps, but the model's inputShape fixes timeSteps = ${layout.steps}`);
    }
    return (lengths[n] = sample.length);
  });
  const steps = layout.time ? (layout.steps ?? lengths.reduce((a, b) => Math.max(a, b), 0)) : 1;
  const W = layout.width;
  const values = new Float32Array(count * steps * W);
  samples.forEach((sample, n) => {
    const stepsOf = layout.time ? (sample as unknown[]) : [sample];
    stepsOf.forEach((step, t) => {
      const path = layout.time ? `${name}[${n}][${t}]` : `${name}[${n}]`;
      const base = (n * steps + t) * W;
      if (typeof step === 'number' && layout.squeezable && W === 1) values[base] = finite(where, path, step);
      else if (Array.isArray(step) && step.length === W) step.forEach((v, f) => (values[base + f] = finite(where, `${path}[${f}]`, v)));
      else throw new ShapeError(`${where}: ${path} must be ${W === 1 && layout.squeezable ? 'a number or ' : ''}an array of ${W} numbers (${name} has shape ${shapeText(layout)}), got ${describe(step)}`);
    });
  });
  return { count, steps, width: W, values, lengths: lengths.every((l) => l === steps) ? null : lengths };
}

function finite(where: string, path: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ValueError(`${where}: ${path} must be a finite number, got ${describe(value)}`);
  return value;
}

/** `[i][j][k]` of flat index `index` in a row-major array of `shape`. */
export function indexPath(shape: readonly number[], index: number): string {
  const parts: number[] = [];
  let rest = index;
  for (let d = shape.length - 1; d >= 0; d--) {
    parts.unshift(rest % shape[d]!);
    rest = Math.floor(rest / shape[d]!);
  }
  return parts.map((p) => `[${p}]`).join('');
}

/** A [count, steps] step mask (1 = real step, null when every step is real) and its right-padding lengths. */
export interface StepMask {
  readonly mask: Float32Array | null;
  /** Lengths when the mask is exactly "the first lengths[n] steps" (batches are trimmed to their longest), else null. */
  readonly lengths: Int32Array | null;
}

/**
 * The caller's step mask: the steps that exist in the data, from ragged lengths, a `sampleLengths`
 * option or a `mask` option.
 */
export function stepMask(where: string, x: Padded, options: { sampleLengths?: unknown; mask?: unknown }): StepMask {
  const { count: N, steps: T } = x;
  if (options.sampleLengths !== undefined && options.mask !== undefined) throw new ValueError(`${where}: give either sampleLengths or mask, not both`);
  if (options.sampleLengths !== undefined && x.lengths !== null) {
    throw new ValueError(`${where}: x is ragged (its sequences have different lengths), which already gives the lengths; omit sampleLengths`);
  }
  let lengths = x.lengths;
  if (options.sampleLengths !== undefined) lengths = readLengths(where, options.sampleLengths, N, T);
  let mask: Float32Array | null = null;
  if (lengths !== null) {
    mask = new Float32Array(N * T);
    for (let n = 0; n < N; n++) mask.fill(1, n * T, n * T + lengths[n]!);
  }
  if (options.mask !== undefined) {
    if (x.lengths !== null) throw new ValueError(`${where}: x is ragged, which already gives the lengths; omit mask`);
    mask = readMask(where, options.mask, N, T);
    lengths = null;
  }
  return checkedMask(where, mask, lengths, N, T, 'mask is all 0');
}

/**
 * The steps an Embedding with maskZero lets through: the data's steps whose id is not 0. The model
 * skips the others, but they exist (predict returns what the layers compute there).
 */
export function zeroIdMask(where: string, ids: Padded, data: StepMask): StepMask {
  const { count: N, steps: T } = ids;
  const mask = data.mask === null ? new Float32Array(N * T).fill(1) : Float32Array.from(data.mask);
  for (let i = 0; i < N * T; i++) if (ids.values[i] === 0) mask[i] = 0;
  return checkedMask(where, mask, rightPaddingLengths(mask, N, T), N, T, 'ids are all 0 with maskZero');
}

/** Refuses a sample without a real step; a mask of ones becomes null. */
function checkedMask(where: string, mask: Float32Array | null, lengths: Int32Array | null, N: number, T: number, why: string): StepMask {
  if (mask === null) return { mask: null, lengths: null };
  for (let n = 0; n < N; n++) {
    if (!mask.subarray(n * T, (n + 1) * T).some((v) => v === 1)) {
      throw new ValueError(`${where}: sample ${n} has no real step (its ${why}); every sample needs at least one`);
    }
  }
  if (mask.every((v) => v === 1)) return { mask: null, lengths: null };
  return { mask, lengths };
}

function readLengths(where: string, value: unknown, N: number, T: number): Int32Array {
  if (!(Array.isArray(value) || ArrayBuffer.isView(value)) || (value as ArrayLike<unknown>).length !== N) {
    throw new ShapeError(`${where}: sampleLengths must be an array of ${N} lengths (one per sample), got ${describe(value)}`);
  }
  return Int32Array.from(value as ArrayLike<unknown>, (length, n) => {
    if (typeof length !== 'number' || !Number.isInteger(length) || length < 1 || length > T) {
      throw new ValueError(`${where}: sampleLengths[${n}] must be an integer in [1, ${T}] (timeSteps = ${T}), got ${describe(length)}`);
    }
    return length;
  });
}

function readMask(where: string, value: unknown, N: number, T: number): Float32Array {
  const padded = readPadded(where, 'mask', value, { time: true, width: 1, squeezable: true, steps: T });
  if (padded.count !== N || padded.lengths !== null) throw new ShapeError(`${where}: mask must have shape [${N}, ${T}] (samples, timeSteps), got ${padded.count} samples`);
  padded.values.forEach((v, i) => {
    if (v !== 0 && v !== 1) throw new ValueError(`${where}: mask values must be 0 or 1, but mask${indexPath([N, T], i)} is ${v}`);
  });
  return padded.values;
}

/** Lengths when each row of the mask is ones then zeros; null otherwise. */
function rightPaddingLengths(mask: Float32Array, N: number, T: number): Int32Array | null {
  const lengths = new Int32Array(N);
  for (let n = 0; n < N; n++) {
    let length = 0;
    while (length < T && mask[n * T + length] === 1) length++;
    for (let t = length; t < T; t++) if (mask[n * T + t] === 1) return null;
    lengths[n] = length;
  }
  return lengths;
}
