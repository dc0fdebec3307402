import { ValueError, describe } from '../errors.js';
import { MinMaxScaler } from './min-max-scaler.js';
import { StandardScaler } from './standard-scaler.js';

/** Restores a scaler saved with `toJSON()`, whichever kind it is. */
export function scalerFromJSON(json: unknown): MinMaxScaler | StandardScaler {
  const kind = json !== null && typeof json === 'object' ? (json as { kind?: unknown }).kind : undefined;
  if (kind === 'minMaxScaler') return MinMaxScaler.fromJSON(json);
  if (kind === 'standardScaler') return StandardScaler.fromJSON(json);
  throw new ValueError(`scalerFromJSON: json.kind must be 'minMaxScaler' or 'standardScaler', got ${describe(kind)}`);
}
