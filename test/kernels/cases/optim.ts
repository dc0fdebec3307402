import fc from 'fast-check';
import { floats, mixedFloats, size } from '../../helpers/arbitraries.js';
import { F32_DENORMAL, F32_ROUNDOFF } from '../../helpers/tolerance.js';
import type { KernelCall } from '../call.js';
import type { CaseTolerance, KernelCase } from '../case.js';

/** Smallest normal f32. */
const MIN_NORMAL = 2 ** -126;

/**
 * Optimizer tolerance, by the standard forward error bound: a result formed with k f32 roundings
 * is off by at most k·u times the same formula evaluated on absolute values (no cancellation).
 * `magnitude` returns that absolute-value form of each update (and of each updated state) for
 * element i; the relative part covers the rounding of w·(1 − lr·wd), of β·state and the final
 * roundings in both backends. A rounding that underflows errs by up to 2^-150 = u·2^-126, so
 * intermediates that a later division by √s + eps can amplify count as at least 2^-126
 * (MIN_NORMAL) in the absolute-value form. `magnitudes` names what `magnitude` evaluates (for the note).
 */
function optimizerTolerance(roundings: number, magnitudes: string, magnitude: (call: KernelCall, i: number) => number): CaseTolerance {
  return {
    tolerance: (call) => {
      const n = call.buffers.w!.length;
      let largest = 0;
      for (let i = 0; i < n; i++) {
        const m = magnitude(call, i);
        if (Number.isFinite(m)) largest = Math.max(largest, m);
      }
      return { abs: (roundings + 0.01) * F32_ROUNDOFF * largest + 2 * F32_DENORMAL, rel: 3.01 * F32_ROUNDOFF };
    },
    toleranceNote: `abs ${roundings + 0.01}·u·M + 2·2⁻¹⁴⁹, rel 3.01u; M = largest ${magnitudes}, evaluated on absolute values`,
  };
}

const f32In = (min: number, max: number): fc.Arbitrary<number> => fc.float({ min: Math.fround(min), max: Math.fround(max), noNaN: true });
/** A scalar that is often exactly 0 (the "off" value of momentum and weight decay). */
const zeroOr = (arb: fc.Arbitrary<number>): fc.Arbitrary<number> => fc.oneof(fc.constant(0), arb);
const nonNegative = (n: number): fc.Arbitrary<Float32Array> => floats(n, 1).map((s) => s.map(Math.abs));
/** Step numbers: the first step, early steps, and steps where β^t has underflowed to 0. */
const stepNumber = fc.oneof(fc.constant(1), fc.integer({ min: 2, max: 100 }), fc.integer({ min: 101, max: 10_000_000 }));

const arg = (call: KernelCall, index: number): number => call.args[index] as number;
const at = (call: KernelCall, buffer: string, i: number): number => Math.abs(call.buffers[buffer]![i]!);

/** Special parameters: zeros, ±Infinity and NaN in w and g must come out as in the twin. */
/** Scalars of the special calls are f32 values, so both backends see the same hyperparameters. */
const f = Math.fround;
const specialW = Float32Array.of(0, -0, 1, -1, Infinity, NaN, 0.5, 1e4, -1e-6);
const specialG = Float32Array.of(-0, 0, NaN, 1e-6, 1, -1, Infinity, -1e4, 2);

export const optimCases: KernelCase[] = [
  {
    kernel: 'sgdUpdate',
    calls: fc
      .tuple(size(), f32In(1e-4, 1), zeroOr(f32In(0, 0.99)), zeroOr(f32In(0, 0.1)), fc.constantFrom(0, 1))
      .chain(([n, lr, momentum, weightDecay, nesterov]) =>
        fc.record({ w: mixedFloats(n, 1), g: mixedFloats(n, 1), v: floats(n, 1) }).map((buffers) => ({
          buffers,
          args: ['w', 'g', 'v', n, lr, momentum, weightDecay, nesterov],
          outputs: ['w', 'v'], // v must stay untouched when momentum = 0
        })),
      ),
    // g' (2 roundings), v (2), the Nesterov step (2), lr·step (1).
    ...optimizerTolerance(7, '|v′| and lr·|step| (lr·|g′| without momentum), g′ = g + wd·w', (call, i) => {
      const [lr, momentum, weightDecay, nesterov] = [arg(call, 4), arg(call, 5), arg(call, 6), arg(call, 7)];
      const grad = at(call, 'g', i) + weightDecay * at(call, 'w', i);
      if (momentum === 0) return lr * grad; // v may be the null pointer: not read
      const velocity = momentum * at(call, 'v', i) + grad;
      return Math.max(velocity, lr * (nesterov ? grad + momentum * velocity : velocity));
    }),
    domain: 'w, g mixed (±1, some ±1e4 and ±1e-6); v ±1; lr 1e-4..1; momentum 0 or 0..0.99; wd 0 or 0..0.1; nesterov 0/1',
    special: [
      { buffers: { w: specialW.slice(), g: specialG.slice(), v: specialG.slice() }, args: ['w', 'g', 'v', 9, f(0.1), f(0.9), f(0.01), 1], outputs: ['w', 'v'] },
      { buffers: { w: specialW.slice(), g: specialG.slice(), v: specialG.slice() }, args: ['w', 'g', 'v', 9, f(0.1), 0, 0, 0], outputs: ['w', 'v'] },
      { buffers: { w: specialW.slice(), g: specialG.slice() }, args: ['w', 'g', 0, 9, f(0.1), 0, f(0.01), 0], outputs: ['w'] }, // momentum 0: v = null pointer
      { buffers: { w: specialW.slice(), g: specialG.slice(), v: specialG.slice() }, args: ['w', 'g', 'v', 0, f(0.1), f(0.9), 0, 0], outputs: ['w', 'v'] },
    ],
  },
  {
    kernel: 'adamUpdate',
    calls: fc
      .tuple(size(), f32In(1e-5, 0.1), f32In(0.5, 0.99), f32In(0.9, 0.9999), fc.oneof(fc.constant(Math.fround(1e-8)), f32In(1e-8, 1e-3)), zeroOr(f32In(0, 0.1)), fc.constantFrom(0, 1), stepNumber)
      .chain(([n, lr, beta1, beta2, eps, weightDecay, decoupled, t]) =>
        fc.record({ w: mixedFloats(n, 1), g: mixedFloats(n, 1), m: floats(n, 1), v: nonNegative(n) }).map((buffers) => ({
          buffers,
          args: ['w', 'g', 'm', 'v', n, lr, beta1, beta2, eps, weightDecay, decoupled, t],
          outputs: ['w', 'm', 'v'],
        })),
      ),
    // g' (2), m (3), v (4), √v (half of v's plus 1), ·1/√bc2 (2), + eps (1), m/denom (1),
    // ·lr/bc1 (2), the decay product and the subtraction: 16 along the longest chain.
    ...optimizerTolerance(16, 'm′, v′ and |Δw| = lr·m̂/(√v̂ + eps) (+ lr·wd·|w| for AdamW), with g′ and m′ plus 2⁻¹²⁶', (call, i) => {
      const [lr, beta1, beta2, eps, weightDecay, decoupled, t] = [5, 6, 7, 8, 9, 10, 11].map((k) => arg(call, k)) as number[];
      const grad = at(call, 'g', i) + (decoupled ? 0 : weightDecay * at(call, 'w', i)) + MIN_NORMAL;
      const m = beta1! * at(call, 'm', i) + (1 - beta1!) * grad + MIN_NORMAL;
      const v = beta2! * at(call, 'v', i) + (1 - beta2!) * grad * grad;
      const denom = Math.sqrt(v) / Math.sqrt(1 - beta2! ** t!) + eps!;
      const decay = decoupled ? lr! * weightDecay! * at(call, 'w', i) : 0;
      return Math.max(m, v, (lr! / (1 - beta1! ** t!)) * (m / denom) + decay);
    }),
    domain: 'w, g mixed (±1, some ±1e4, ±1e-6); m ±1, v 0..1; lr 1e-5..0.1; β1 0.5..0.99; β2 0.9..0.9999; eps 1e-8..1e-3; wd 0 or 0..0.1; Adam/AdamW; t 1..1e7',
    special: [
      { buffers: { w: specialW.slice(), g: specialG.slice(), m: new Float32Array(9), v: new Float32Array(9) }, args: ['w', 'g', 'm', 'v', 9, f(1e-3), f(0.9), f(0.999), f(1e-8), 0, 0, 1], outputs: ['w', 'm', 'v'] },
      { buffers: { w: specialW.slice(), g: specialG.slice(), m: new Float32Array(9), v: new Float32Array(9) }, args: ['w', 'g', 'm', 'v', 9, f(1e-3), f(0.9), f(0.999), f(1e-8), f(0.01), 1, 1], outputs: ['w', 'm', 'v'] },
      { buffers: { w: specialW.slice(), g: new Float32Array(9), m: new Float32Array(9), v: new Float32Array(9) }, args: ['w', 'g', 'm', 'v', 9, f(1e-3), f(0.9), f(0.999), f(1e-8), 0, 0, 100000], outputs: ['w', 'm', 'v'] }, // g = 0: w unchanged
      { buffers: { w: new Float32Array(2), g: new Float32Array(2), m: new Float32Array(2), v: new Float32Array(2) }, args: ['w', 'g', 'm', 'v', 0, f(1e-3), f(0.9), f(0.999), f(1e-8), 0, 0, 1], outputs: ['w', 'm', 'v'] },
    ],
  },
  {
    kernel: 'rmspropUpdate',
    calls: fc
      .tuple(size(), f32In(1e-5, 0.1), f32In(0.9, 0.999), fc.oneof(fc.constant(Math.fround(1e-8)), f32In(1e-8, 1e-3)), zeroOr(f32In(0, 0.1)))
      .chain(([n, lr, rho, eps, weightDecay]) =>
        fc.record({ w: mixedFloats(n, 1), g: mixedFloats(n, 1), s: nonNegative(n) }).map((buffers) => ({
          buffers,
          args: ['w', 'g', 's', n, lr, rho, eps, weightDecay],
          outputs: ['w', 's'],
        })),
      ),
    // g' (2), s (4), √s (half of s's plus 1), + eps (1), g'/denom (1), ·lr (1), the subtraction.
    ...optimizerTolerance(12, 's′ and lr·|g′|/(√s′ + eps) with g′ plus 2⁻¹²⁶', (call, i) => {
      const [lr, rho, eps, weightDecay] = [arg(call, 4), arg(call, 5), arg(call, 6), arg(call, 7)];
      const grad = at(call, 'g', i) + weightDecay * at(call, 'w', i) + MIN_NORMAL;
      const s = rho * at(call, 's', i) + (1 - rho) * grad * grad;
      return Math.max(s, (lr * grad) / (Math.sqrt(s) + eps));
    }),
    domain: 'w, g mixed (±1, some ±1e4, ±1e-6); s 0..1; lr 1e-5..0.1; ρ 0.9..0.999; eps 1e-8..1e-3; wd 0 or 0..0.1',
    special: [
      { buffers: { w: specialW.slice(), g: specialG.slice(), s: new Float32Array(9) }, args: ['w', 'g', 's', 9, f(0.01), f(0.99), f(1e-8), 0], outputs: ['w', 's'] },
      { buffers: { w: specialW.slice(), g: new Float32Array(9), s: new Float32Array(9) }, args: ['w', 'g', 's', 9, f(0.01), f(0.99), f(1e-8), f(0.1)], outputs: ['w', 's'] },
      { buffers: { w: new Float32Array(2), g: new Float32Array(2), s: new Float32Array(2) }, args: ['w', 'g', 's', 0, f(0.01), f(0.99), f(1e-8), 0], outputs: ['w', 's'] },
    ],
  },
  {
    kernel: 'adagradUpdate',
    calls: fc
      .tuple(size(), f32In(1e-4, 0.1), fc.oneof(fc.constant(Math.fround(1e-10)), f32In(1e-10, 1e-6)), zeroOr(f32In(0, 0.1)))
      .chain(([n, lr, eps, weightDecay]) =>
        fc.record({ w: mixedFloats(n, 1), g: mixedFloats(n, 1), s: nonNegative(n).map((s) => s.map((v) => v * 100)) }).map((buffers) => ({
          buffers,
          args: ['w', 'g', 's', n, lr, eps, weightDecay],
          outputs: ['w', 's'],
        })),
      ),
    // g' (2), s (2), √s (half of s's plus 1), + eps (1), g'/denom (1), ·lr (1), the subtraction.
    ...optimizerTolerance(10, 's′ = s + g′² and lr·|g′|/(√s′ + eps) with g′ plus 2⁻¹²⁶', (call, i) => {
      const [lr, eps, weightDecay] = [arg(call, 4), arg(call, 5), arg(call, 6)];
      const grad = at(call, 'g', i) + weightDecay * at(call, 'w', i) + MIN_NORMAL;
      const s = at(call, 's', i) + grad * grad;
      return Math.max(s, (lr * grad) / (Math.sqrt(s) + eps));
    }),
    domain: 'w, g mixed (±1, some ±1e4, ±1e-6); s 0..100; lr 1e-4..0.1; eps 1e-10..1e-6; wd 0 or 0..0.1',
    special: [
      { buffers: { w: specialW.slice(), g: specialG.slice(), s: new Float32Array(9) }, args: ['w', 'g', 's', 9, f(0.01), f(1e-10), 0], outputs: ['w', 's'] },
      { buffers: { w: specialW.slice(), g: new Float32Array(9), s: new Float32Array(9) }, args: ['w', 'g', 's', 9, f(0.01), f(1e-10), f(0.1)], outputs: ['w', 's'] },
      { buffers: { w: new Float32Array(2), g: new Float32Array(2), s: new Float32Array(2) }, args: ['w', 'g', 's', 0, f(0.01), f(1e-10), 0], outputs: ['w', 's'] },
    ],
  },
];
