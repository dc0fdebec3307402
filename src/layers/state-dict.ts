import { ShapeError, ValueError, describe } from '../errors.js';
import { Tensor, checkFinite, tensor, type TensorLike } from '../tensor.js';
import type { ParameterSpec } from './parameters.js';

/** What `loadStateDict` accepts per name: a Tensor, a flat Float32Array/Float64Array, or nested number arrays. */
export type StateDictValue = Tensor | Float32Array | Float64Array | TensorLike;

/**
 * Checks a state dict against the expected size table (PyTorch's strict loading): the same set
 * of names, each value of the expected shape (flat typed arrays: the expected number of
 * elements) and finite. Returns the values in table order.
 */
export function readStateDict(where: string, dict: unknown, specs: readonly ParameterSpec[]): ArrayLike<number>[] {
  const expected = () => specs.map((s) => `${s.name} [${s.shape.join(', ')}]`).join(', ');
  if (typeof dict !== 'object' || dict === null || Array.isArray(dict)) {
    throw new ValueError(`${where}: expected an object mapping parameter names to values (${expected()}), got ${describe(dict)}`);
  }
  const given = Object.keys(dict);
  const unexpected = given.filter((name) => !specs.some((s) => s.name === name));
  const missing = specs.filter((s) => !given.includes(s.name)).map((s) => s.name);
  if (unexpected.length > 0 || missing.length > 0) {
    const parts = [
      unexpected.length > 0 ? `unexpected ${unexpected.map((n) => `'${n}'`).join(', ')}` : '',
      missing.length > 0 ? `missing ${missing.map((n) => `'${n}'`).join(', ')}` : '',
    ].filter(Boolean);
    throw new ValueError(`${where}: parameter names do not match (${parts.join('; ')}); expected exactly ${expected()}`);
  }
  return specs.map((spec) => readValue(where, spec, (dict as Record<string, unknown>)[spec.name]));
}

function readValue(where: string, spec: ParameterSpec, value: unknown): ArrayLike<number> {
  const size = spec.shape.reduce((a, b) => a * b, 1);
  const shapeText = `[${spec.shape.join(', ')}]`;
  let data: ArrayLike<number>;
  if (value instanceof Float32Array || value instanceof Float64Array) {
    if (value.length !== size) throw new ShapeError(`${where}: ${spec.name} must hold ${size} values (shape ${shapeText}), got ${value.length}`);
    data = value;
  } else if (value instanceof Tensor || Array.isArray(value) || typeof value === 'number') {
    const t = value instanceof Tensor ? value : tensor(value as TensorLike);
    if (t.rank !== spec.shape.length || t.shape.some((d, i) => d !== spec.shape[i])) {
      throw new ShapeError(`${where}: ${spec.name} must have shape ${shapeText}, got [${t.shape.join(', ')}]`);
    }
    data = t.data;
  } else {
    throw new ValueError(`${where}: ${spec.name} must be a Tensor, Float32Array, Float64Array or nested number arrays, got ${describe(value)}`);
  }
  checkFinite(where, data, spec.name);
  return data;
}
