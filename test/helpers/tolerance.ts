import type { KernelName } from '../../src/kernels/kernels.js';
import { twins } from '../../src/kernels/js/index.js';
import type { CaseTolerance } from '../kernels/case.js';
import type { KernelCall } from '../kernels/call.js';
import type { Tolerance } from './close.js';

// Building blocks of the parity cases' tolerances (test/kernels/cases/*.ts), with the notes the
// README's tolerance table prints. In notes, u = 2⁻²⁴ (defined in the table's caption).

/** f32 unit roundoff: one rounded f32 operation is off by at most this, relatively (normal range). */
export const F32_ROUNDOFF = 2 ** -24;
/** Smallest f32 denormal: the absolute error floor of any result that underflows. */
export const F32_DENORMAL = 2 ** -149;
/** f64 unit roundoff: sums that a kernel adds in f64, in another order than the twin. */
export const F64_ROUNDOFF = 2 ** -53;
/** Same bits in both backends. The kernel does one IEEE operation per element (or the same operations in the same order as the twin), and a single f32 operation equals the double result rounded to f32. */
export const EXACT: Tolerance = { abs: 0, rel: 0 };
/**
 * Final rounding of an accumulated output, in the kernel (f32) and in the twin (double stored
 * to f32): 2u, plus slack for the twin's double rounding (53 then 24 bits).
 */
export const TWO_ROUNDINGS = 2.01 * F32_ROUNDOFF;

/** A number as the table prints it: 3 significant digits, exponent form outside [1e-3, 1e4). */
export function formatNumber(x: number): string {
  if (x === 0) return '0';
  if (Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4) return String(Number(x.toPrecision(3)));
  const [mantissa, exponent] = x.toExponential(2).split('e');
  return `${Number(mantissa)}e${Number(exponent)}`;
}

/** A fixed tolerance as the table prints it. */
export function formatTolerance(tol: Tolerance): string {
  return tol.abs === 0 && tol.rel === 0 ? 'exact' : `abs ${formatNumber(tol.abs)}, rel ${formatNumber(tol.rel)}`;
}

/** Largest |v| over the arrays, ignoring NaN and ±Infinity (0 for none). */
export function maxAbs(...arrays: ArrayLike<number>[]): number {
  let largest = 0;
  for (const values of arrays) {
    for (let i = 0; i < values.length; i++) {
      const v = Math.abs(values[i]!);
      if (Number.isFinite(v) && v > largest) largest = v;
    }
  }
  return largest;
}

/**
 * The size of what an updating kernel adds to its outputs: the largest finite |after − before|
 * over the call's outputs when the TS twin runs it in float64. A kernel that rounds k times while
 * forming that update is off by at most about k·u·size from the twin (plus the final rounding).
 */
export function updateSize(kernel: KernelName, call: KernelCall): number {
  const offsets = new Map<string, number>();
  let length = 4; // element 0 stays unused: offset 0 means "no buffer"
  for (const [name, values] of Object.entries(call.buffers)) {
    offsets.set(name, length);
    length += values.length + 4;
  }
  const heap = new Float64Array(length);
  for (const [name, values] of Object.entries(call.buffers)) heap.set(values, offsets.get(name));
  const before = heap.slice();
  const args = call.args.map((arg) => (typeof arg === 'number' ? arg : offsets.get(arg)! * 4));
  (twins[kernel] as (...a: unknown[]) => unknown)(heap, ...args);
  let largest = 0;
  for (const name of call.outputs) {
    const start = offsets.get(name)!;
    for (let i = start; i < start + call.buffers[name]!.length; i++) {
      const d = Math.abs(heap[i]! - before[i]!);
      if (Number.isFinite(d) && d > largest) largest = d;
    }
  }
  return largest;
}

/**
 * Tolerance of a kernel that forms an update with `roundings` f32 roundings and adds it to its
 * outputs: `roundings`·u of the update's size, plus both final roundings and a denormal floor.
 * `formed` says which roundings (printed in the note).
 */
export function updateTolerance(kernel: KernelName, roundings: number, formed: string): CaseTolerance {
  return {
    tolerance: (call) => ({ abs: (roundings + 0.01) * F32_ROUNDOFF * updateSize(kernel, call) + 2 * F32_DENORMAL, rel: TWO_ROUNDINGS }),
    toleranceNote: `abs ${roundings + 0.01}·u·max|Δ| + 2·2⁻¹⁴⁹, rel 2.01u (${formed})`,
  };
}

/**
 * A sum of n nonnegative terms that both backends compute as the same f64 values but add in
 * another order: each side is off by at most (n − 1)·2⁻⁵³ of the sum, with slack.
 * `sizeArg` is the index of n among the call's arguments.
 */
export function f64SumTolerance(sizeArg: number, why: string): CaseTolerance {
  return {
    tolerance: (call) => ({ abs: 0, rel: ((call.args[sizeArg] as number) + 2) * 2 * F64_ROUNDOFF }),
    toleranceNote: `abs 0, rel (n + 2)·2·2⁻⁵³ (${why})`,
  };
}

// ---- special values shared by the pointwise, loss, clip and optimizer cases

/** Values every pointwise case runs through: signed zeros, infinities, NaN, extremes, denormals. */
export const SPECIAL_VALUES = Float32Array.from([0, -0, Infinity, -Infinity, NaN, 1, -1, 3.4e38, -3.4e38, 1e-45, -1e-45, 1.17549435e-38]);

/** `n` copies of the special values, cycled (so every value lands in the SIMD body and in the tail). */
export function specials(n: number, values: Float32Array = SPECIAL_VALUES): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => values[i % values.length]!);
}
