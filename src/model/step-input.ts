import { ShapeError, ValueError, describe } from '../errors.js';
import { Tensor } from '../tensor.js';
import type { StackPlan } from './stack.js';

/** One step of input for B sequences, checked: x [B, features] (ids: [B]) and a [B] step mask. */
export interface StepInput {
  readonly B: number;
  /** The input had a batch axis (the output gets one too). */
  readonly batched: boolean;
  readonly x: Float32Array;
  /** [B] 1 = real step, 0 = padding id with maskZero; null when every row is real. */
  readonly mask: Float32Array | null;
}

/**
 * Reads what `model.step` accepts: for an id model a token id or [B] ids; otherwise [features] or
 * [B, features] (a number when features = 1), as nested arrays, typed arrays or Tensors.
 */
export function readStepInput(where: string, plan: StackPlan, x: unknown): StepInput {
  const F = plan.input.features;
  const first = plan.layers[0]!.spec;
  if (plan.input.ids && first.className === 'Embedding') {
    const { values, batched } = readVector(where, x, 'a token id or an array of ids [batch]');
    checkIds(where, values, batched, first.config.inputDim);
    const mask = first.config.maskZero && values.includes(0) ? values.map((id) => (id === 0 ? 0 : 1)) : null;
    return { B: values.length, batched, x: values, mask };
  }
  const expected = `[${F}] or [batch, ${F}]${F === 1 ? ' (or a number)' : ''}`;
  const rows = readRows(where, x, F, expected);
  rows.x.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new ValueError(`${where}: x must be finite, but element ${i} is ${v}`);
  });
  return { B: rows.x.length / F, batched: rows.batched, x: rows.x, mask: null };
}

function readVector(where: string, x: unknown, expected: string): { values: Float32Array; batched: boolean } {
  if (typeof x === 'number') return { values: Float32Array.of(x), batched: false };
  if (x instanceof Tensor && x.rank === 1) return { values: Float32Array.from(x.data), batched: true };
  if ((Array.isArray(x) || x instanceof Float32Array || x instanceof Float64Array) && x.length > 0 && Array.from(x as ArrayLike<unknown>).every((v) => typeof v === 'number')) {
    return { values: Float32Array.from(x as ArrayLike<number>), batched: true };
  }
  throw new ShapeError(`${where}: x must be ${expected}, got ${x instanceof Tensor ? `a Tensor of shape [${x.shape.join(', ')}]` : describe(x)}`);
}

function checkIds(where: string, ids: Float32Array, batched: boolean, inputDim: number): void {
  ids.forEach((id, b) => {
    if (!Number.isInteger(id) || id < 0 || id >= inputDim) {
      throw new ValueError(`${where}: ${batched ? `x[${b}]` : 'x'} must be a token id, an integer in [0, ${inputDim}) (the embedding's inputDim), got ${id}`);
    }
  });
}

function readRows(where: string, x: unknown, F: number, expected: string): { x: Float32Array; batched: boolean } {
  const fail = (got: string): never => {
    throw new ShapeError(`${where}: x must be ${expected}, got ${got}`);
  };
  if (typeof x === 'number') return F === 1 ? { x: Float32Array.of(x), batched: false } : fail(describe(x));
  if (x instanceof Tensor) {
    const ok = x.shape[x.rank - 1] === F && (x.rank === 1 || (x.rank === 2 && x.shape[0]! > 0));
    return ok ? { x: Float32Array.from(x.data), batched: x.rank === 2 } : fail(`a Tensor of shape [${x.shape.join(', ')}]`);
  }
  if (x instanceof Float32Array || x instanceof Float64Array) return x.length === F ? { x: Float32Array.from(x), batched: false } : fail(describe(x));
  if (!Array.isArray(x) || x.length === 0) return fail(describe(x));
  if (x.every((v) => typeof v === 'number')) return x.length === F ? { x: Float32Array.from(x as number[]), batched: false } : fail(`an array of ${x.length} numbers`);
  const out = new Float32Array(x.length * F);
  x.forEach((row: unknown, b) => {
    if (!Array.isArray(row) || row.length !== F || !row.every((v) => typeof v === 'number')) fail(`x[${b}] = ${describe(row)}`);
    out.set(row as number[], b * F);
  });
  return { x: out, batched: true };
}
