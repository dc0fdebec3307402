// Evaluation metrics: pure functions of targets ("actual", first, as scikit-learn's y_true) and model
// outputs ("predicted"), on Tensors, typed arrays or nested arrays, computed in float64.
import { OptionError, ShapeError, ValueError, describe, oneOf, positiveInteger } from './errors.js';
import { indexPath, readNumeric, type NumericArray, type NumericInput } from './data/numeric-input.js';
import { readOptions } from './data/options.js';

export interface MapeOptions {
  /** Zero targets have no percentage error: 'error' (default) throws, 'skip' leaves them out of the mean. */
  zeros?: 'error' | 'skip';
}

export interface AccuracyOptions {
  /** Binary probabilities: a prediction counts as class 1 when it is > threshold (Keras' binary_accuracy). */
  threshold?: number;
}

/** Root mean squared error. */
export function rmse(actual: NumericInput, predicted: NumericInput): number {
  const { a, p } = readPair('rmse', actual, predicted);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - p[i]!) ** 2;
  return Math.sqrt(sum / a.length);
}

/** Mean absolute error. */
export function mae(actual: NumericInput, predicted: NumericInput): number {
  const { a, p } = readPair('mae', actual, predicted);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - p[i]!);
  return sum / a.length;
}

/** Mean absolute percentage error, in percent: 100 · mean(|actual − predicted| / |actual|). */
export function mape(actual: NumericInput, predicted: NumericInput, options?: MapeOptions): number {
  const where = 'mape';
  const opts = readOptions(where, options, ['zeros']);
  const zeros = oneOf(where, 'zeros', opts.zeros ?? 'error', ['error', 'skip'] as const);
  const { a, p, shape } = readPair(where, actual, predicted);
  let sum = 0;
  let counted = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === 0) {
      if (zeros === 'skip') continue;
      const count = a.filter((v) => v === 0).length;
      throw new ValueError(
        `${where}: actual${indexPath(shape, i)} is 0 (${count} of ${a.length} targets are 0), where the percentage error is undefined; pass { zeros: 'skip' } to leave zero targets out, or use mae`,
      );
    }
    sum += Math.abs((a[i]! - p[i]!) / a[i]!);
    counted++;
  }
  if (counted === 0) throw new ValueError(`${where}: all ${a.length} targets are 0, so no percentage error can be computed; use mae`);
  return (100 * sum) / counted;
}

/**
 * Fraction of correct class predictions. `predicted` may be class ids (the shape of `actual`), scores
 * (probabilities or logits) with one more axis of classes, whose argmax is the class, or binary
 * probabilities with { threshold }.
 */
export function accuracy(actual: NumericInput, predicted: NumericInput, options?: AccuracyOptions): number {
  const where = 'accuracy';
  const opts = readOptions(where, options, ['threshold']);
  if (opts.threshold !== undefined && (typeof opts.threshold !== 'number' || !Number.isFinite(opts.threshold))) {
    throw new OptionError(`${where}: threshold must be a finite number, got ${describe(opts.threshold)}`);
  }
  const ids = classIds(where, actual, predicted, opts.threshold);
  let correct = 0;
  ids.actual.forEach((id, i) => {
    if (id === ids.predicted[i]) correct++;
  });
  return correct / ids.actual.length;
}

/**
 * Counts [actual class][predicted class] (rows: targets, columns: predictions, as scikit-learn).
 * `classes` defaults to the largest id seen + 1 (or the width of score predictions, if larger).
 */
export function confusionMatrix(actual: NumericInput, predicted: NumericInput, classes?: number): number[][] {
  const where = 'confusionMatrix';
  const ids = classIds(where, actual, predicted, undefined);
  const seen = Math.max(ids.scoreWidth, ...[ids.actual, ids.predicted].map((list) => list.reduce((m, id) => Math.max(m, id + 1), 0)));
  const size = classes === undefined ? seen : positiveInteger(where, 'classes', classes);
  const matrix = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  ids.actual.forEach((id, i) => {
    const guess = ids.predicted[i]!;
    for (const [name, value] of [['actual', id], ['predicted', guess]] as const) {
      if (value >= size) throw new ValueError(`${where}: ${name} class ${value} (sample ${i}) is outside classes = ${size}; ids must be in [0, ${size})`);
    }
    matrix[id]![guess]!++;
  });
  return matrix;
}

/** exp(mean cross-entropy in nats): the effective number of equally likely next tokens. */
export function perplexity(meanCrossEntropyNats: number): number {
  if (typeof meanCrossEntropyNats !== 'number' || !Number.isFinite(meanCrossEntropyNats) || meanCrossEntropyNats < 0) {
    throw new ValueError(`perplexity: meanCrossEntropyNats must be a finite number >= 0 (a mean cross-entropy in nats), got ${describe(meanCrossEntropyNats)}`);
  }
  return Math.exp(meanCrossEntropyNats);
}

function readPair(where: string, actual: NumericInput, predicted: NumericInput): { a: Float64Array; p: Float64Array; shape: readonly number[] } {
  const a = readNumeric(where, 'actual', actual);
  const p = readNumeric(where, 'predicted', predicted);
  if (!sameShape(a.shape, p.shape)) {
    throw new ShapeError(`${where}: actual and predicted must have the same shape, got [${a.shape.join(', ')}] and [${p.shape.join(', ')}]`);
  }
  if (a.values.length === 0) throw new ValueError(`${where}: actual and predicted must hold at least one value, got shape [${a.shape.join(', ')}]`);
  return { a: a.values, p: p.values, shape: a.shape };
}

interface ClassIds {
  actual: number[];
  predicted: number[];
  /** Number of classes of score predictions (0 for id predictions). */
  scoreWidth: number;
}

function classIds(where: string, actualInput: NumericInput, predictedInput: NumericInput, threshold: number | undefined): ClassIds {
  const actual = readNumeric(where, 'actual', actualInput);
  const predicted = readNumeric(where, 'predicted', predictedInput);
  if (actual.values.length === 0) throw new ValueError(`${where}: actual must hold at least one sample, got shape [${actual.shape.join(', ')}]`);
  const actualIds = ids(where, 'actual', actual);
  if (sameShape(actual.shape, predicted.shape)) {
    if (threshold !== undefined) return { actual: actualIds, predicted: Array.from(predicted.values, (v) => (v > threshold ? 1 : 0)), scoreWidth: 0 };
    return { actual: actualIds, predicted: ids(where, 'predicted', predicted), scoreWidth: 0 };
  }
  const classes = predicted.shape[predicted.shape.length - 1]!;
  const lead = predicted.shape.slice(0, -1);
  // Keras-style sparse targets [..., 1] against scores [..., C] are read as [...].
  const squeezed = actual.shape[actual.shape.length - 1] === 1 && actual.shape.length === predicted.shape.length ? actual.shape.slice(0, -1) : actual.shape;
  if (threshold !== undefined || classes === 0 || !sameShape(squeezed, lead)) {
    throw new ShapeError(
      `${where}: predicted must have actual's shape [${actual.shape.join(', ')}] (class ids${threshold === undefined ? '' : ' or probabilities with threshold'})` +
        `${threshold === undefined ? ` or [${[...squeezed, 'classes'].join(', ')}] (scores)` : ''}, got [${predicted.shape.join(', ')}]`,
    );
  }
  return { actual: actualIds, predicted: argmaxRows(predicted.values, classes), scoreWidth: classes };
}

/** The values as class ids; names the first that is not a non-negative integer. */
function ids(where: string, name: string, data: NumericArray): number[] {
  return Array.from(data.values, (v, i) => {
    if (Number.isInteger(v) && v >= 0) return v;
    const hint = name === 'predicted' ? '; for scores give predicted one more axis ([..., classes]), for binary probabilities pass { threshold: 0.5 }' : '';
    throw new ValueError(`${where}: ${name}${indexPath(data.shape, i)} must be a class id (an integer >= 0), got ${v}${hint}`);
  });
}

/** Index of the largest score in each row of `classes` (the first one on ties, as numpy). */
function argmaxRows(scores: Float64Array, classes: number): number[] {
  return Array.from({ length: scores.length / classes }, (_, row) => {
    let best = 0;
    for (let c = 1; c < classes; c++) if (scores[row * classes + c]! > scores[row * classes + best]!) best = c;
    return best;
  });
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
