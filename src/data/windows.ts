import { OptionError, ShapeError, ValueError, positiveInteger } from '../errors.js';
import { Tensor } from '../tensor.js';
import { readNumeric, type NumericInput } from './numeric-input.js';
import { indexIn, readOptions } from './options.js';

export interface WindowOptions {
  /** Time steps in each input window. */
  window: number;
  /** Future values to predict after each window (default 1). */
  horizon?: number;
  /** Steps between the starts of consecutive windows (default 1). */
  stride?: number;
  /** Column to predict in a multivariate series [T, F] (required when F > 1). */
  target?: number;
}

/** Supervised samples cut from a series. */
export interface Windows {
  /** [N, window, F] inputs (F = 1 for a 1-D series). */
  readonly x: Tensor;
  /** [N, horizon] the target column's values that follow each window. */
  readonly y: Tensor;
}

const OPTION_NAMES = ['window', 'horizon', 'stride', 'target'] as const;
const WHERE = 'windowSeries';

/**
 * Cuts a series into sliding windows for forecasting: sample n takes steps [s, s + window) as input
 * and the target's steps [s + window, s + window + horizon) as output, with s = n · stride.
 * N = ⌊(T − window − horizon) / stride⌋ + 1.
 */
export function windowSeries(series: NumericInput, options: WindowOptions): Windows {
  if (options === undefined) throw new OptionError(`${WHERE}: options with at least { window } are required, got undefined`);
  const opts = readOptions(WHERE, options, OPTION_NAMES);
  const window = positiveInteger(WHERE, 'window', opts.window);
  const horizon = positiveInteger(WHERE, 'horizon', opts.horizon ?? 1);
  const stride = positiveInteger(WHERE, 'stride', opts.stride ?? 1);
  const { values, shape } = readNumeric(WHERE, 'series', series);
  if (shape.length !== 1 && shape.length !== 2) {
    throw new ShapeError(`${WHERE}: series must be 1-D [T] or 2-D [T, F] (time steps × features), got shape [${shape.join(', ')}]`);
  }
  const steps = shape[0]!;
  const features = shape[1] ?? 1;
  if (features === 0) throw new ShapeError(`${WHERE}: series [T, F] must have at least one feature, got shape [${shape.join(', ')}]`);
  if (opts.target === undefined && features > 1) {
    throw new OptionError(`${WHERE}: target is required for a series with ${features} features (shape [${shape.join(', ')}]): pass the column to predict, an integer in [0, ${features})`);
  }
  const target = indexIn(WHERE, 'target', opts.target ?? 0, features);
  if (window + horizon > steps) {
    throw new ValueError(`${WHERE}: window (${window}) + horizon (${horizon}) = ${window + horizon} steps are needed for one sample, but the series has ${steps}`);
  }

  const count = Math.floor((steps - window - horizon) / stride) + 1;
  const x = new Float32Array(count * window * features);
  const y = new Float32Array(count * horizon);
  for (let n = 0; n < count; n++) {
    const start = n * stride;
    x.set(values.subarray(start * features, (start + window) * features), n * window * features);
    for (let h = 0; h < horizon; h++) y[n * horizon + h] = values[(start + window + h) * features + target]!;
  }
  return { x: new Tensor(x, [count, window, features]), y: new Tensor(y, [count, horizon]) };
}
