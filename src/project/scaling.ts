import { minMaxScaler } from '../data/min-max-scaler.js';
import { standardScaler } from '../data/standard-scaler.js';
import type { ScaleName } from './settings.js';

/** A scaler of the kind data.scale names, fitted on `training` (one feature), or null for 'none'. */
export function fitScaler(scale: ScaleName, training: Float64Array | Float32Array) {
  if (scale === 'none') return null;
  return (scale === 'standard' ? standardScaler() : minMaxScaler()).fit(training);
}

export type FittedScaler = ReturnType<typeof fitScaler>;
