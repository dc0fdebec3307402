import { OptionError, ShapeError, ValueError } from '../errors.js';
// Type-only: predict reads its inputs here, and the inference entry must not reach the losses.
import type { LossName } from '../train/losses.js';
import type { DatasetArrays } from './batches.js';
import { indexPath, readPadded, stepMask, zeroIdMask, type Padded, type StepMask } from './data.js';
import type { StackPlan } from './stack.js';

/** Masking options of fit / evaluate / predict. */
export interface MaskOptions {
  /** Real steps of each sample (right padding) when x is a padded Tensor. */
  sampleLengths?: ArrayLike<number>;
  /** [samples, timeSteps] 0/1: 0 marks padding anywhere in a sequence. */
  mask?: unknown;
}

/** What the targets must look like: the compiled loss and the output layer's width. */
export interface TargetRules {
  readonly loss: LossName;
  readonly units: number;
}

/**
 * Reads and checks x (and y) for a model: shapes against the model's input and output, finite
 * values, ids within the embedding's range, class ids within the output's classes, masks and
 * lengths. Padded steps get id 0 in x and target −1 (class ids) or 0 in y, and so do the targets at
 * steps an Embedding with maskZero skips (they count in no loss). `xName` names the inputs in
 * messages (an encoder–decoder's 'sources').
 */
export function readDataset(
  where: string, plan: StackPlan, x: unknown, y: unknown, options: MaskOptions, rules: TargetRules | null, xName = 'x',
): DatasetArrays {
  const input = plan.input;
  const xs = readPadded(where, xName, x, { time: input.sequence, width: input.features, squeezable: input.features === 1, steps: input.steps });
  const first = plan.layers[0]!.spec;
  const embedding = first.className === 'Embedding' ? first.config : null;
  let data: StepMask = { mask: null, lengths: null };
  if (input.sequence) data = stepMask(where, xs, options);
  else if (options.sampleLengths !== undefined || options.mask !== undefined) {
    throw new OptionError(`${where}: sampleLengths and mask apply to sequence inputs, but the model's input is [batch, ${input.features}]`);
  }
  if (embedding !== null) checkIds(where, xName, xs, data.mask, embedding.inputDim);
  else if (data.mask !== null) zeroPaddedSteps(xs, data.mask);
  const masks = input.sequence && embedding?.maskZero === true ? zeroIdMask(where, xs, data) : data;
  let targets: Float32Array | null = null;
  let targetWidth = 0;
  if (rules !== null) {
    const sparse = rules.loss === 'sparseCategoricalCrossentropy';
    targetWidth = sparse ? 1 : rules.units;
    const output = plan.output;
    const ys = readPadded(where, 'y', y, { time: output.sequence, width: targetWidth, squeezable: targetWidth === 1, steps: output.sequence ? xs.steps : null });
    if (ys.count !== xs.count) throw new ShapeError(`${where}: x has ${xs.count} samples but y has ${ys.count}; they must match`);
    if (ys.lengths !== null) checkTargetLengths(where, ys.lengths, masks.lengths);
    checkTargets(where, ys, output.sequence, output.sequence ? masks.mask : null, rules);
    targets = ys.values;
  }
  return {
    count: xs.count, steps: xs.steps, width: xs.width, sequence: input.sequence, x: xs.values,
    mask: masks.mask, dataMask: data.mask, y: targets, targetWidth, sequenceTargets: plan.output.sequence,
    // predict computes every step that exists (zero ids included); with targets, the steps the
    // model skips at the end of a sequence change no loss, so batches end at the last one it reads.
    lengths: rules === null ? data.lengths : masks.lengths,
  };
}

function checkIds(where: string, name: string, xs: Padded, mask: Float32Array | null, inputDim: number): void {
  const { values } = xs;
  for (let i = 0; i < values.length; i++) {
    if (mask !== null && mask[i] === 0) values[i] = 0;
    else if (!Number.isInteger(values[i]!) || values[i]! < 0 || values[i]! >= inputDim) {
      throw new ValueError(`${where}: ${name} holds ids for the embedding, integers in [0, ${inputDim}) (inputDim = ${inputDim}), but ${name}${indexPath([xs.count, xs.steps], i)} is ${values[i]}`);
    }
  }
}

/** Padded steps read zeros, whatever the caller put there (they never reach a real output). */
function zeroPaddedSteps(xs: Padded, mask: Float32Array): void {
  const W = xs.width;
  mask.forEach((real, step) => {
    if (real === 0) xs.values.fill(0, step * W, (step + 1) * W);
  });
}

function checkTargetLengths(where: string, yLengths: Int32Array, xLengths: Int32Array | null): void {
  yLengths.forEach((length, n) => {
    const expected = xLengths?.[n];
    if (expected !== length) {
      throw new ShapeError(`${where}: y[${n}] has ${length} steps but x[${n}] has ${expected ?? 'all'} real steps; per-step targets must match their sequence`);
    }
  });
}

/** Checks target values at real steps and writes the padded steps' neutral target. */
function checkTargets(where: string, ys: Padded, time: boolean, mask: Float32Array | null, rules: TargetRules): void {
  const { values, width: W } = ys;
  const shape = time ? [ys.count, ys.steps, W] : [ys.count, W];
  const sparse = rules.loss === 'sparseCategoricalCrossentropy';
  for (let row = 0; row < values.length / W; row++) {
    if (mask !== null && mask[row] === 0) {
      values.fill(sparse ? -1 : 0, row * W, (row + 1) * W);
      continue;
    }
    for (let i = row * W; i < (row + 1) * W; i++) {
      const v = values[i]!;
      const bad = sparse ? !(Number.isInteger(v) && v >= 0 && v < rules.units)
        : rules.loss === 'binaryCrossentropy' ? !(v >= 0 && v <= 1)
          : rules.loss === 'categoricalCrossentropy' ? !(v >= 0) : false;
      if (bad) {
        const expected = sparse ? `class ids, integers in [0, ${rules.units}) (the output has ${rules.units} classes)`
          : rules.loss === 'binaryCrossentropy' ? 'targets in [0, 1]' : 'non-negative class probabilities';
        throw new ValueError(`${where}: ${rules.loss} needs ${expected}, but y${indexPath(shape, i)} is ${v}`);
      }
    }
    if (rules.loss === 'categoricalCrossentropy') checkDistribution(where, values, row, W, shape);
  }
}

/** A categoricalCrossentropy target row is a distribution (one-hot or smoothed): it sums to 1. */
function checkDistribution(where: string, values: Float32Array, row: number, W: number, shape: number[]): void {
  let sum = 0;
  for (let i = row * W; i < (row + 1) * W; i++) sum += values[i]!;
  if (Math.abs(sum - 1) > 1e-3) {
    throw new ValueError(`${where}: categoricalCrossentropy needs one-hot (or probability) rows summing to 1, but y${indexPath(shape.slice(0, -1), row)} sums to ${sum}`);
  }
}
