import type fc from 'fast-check';
import type { KernelName } from '../../src/kernels/kernels.js';
import type { Tolerance } from '../helpers/close.js';
import type { KernelCall } from './call.js';

/**
 * How close the Wasm kernel must come to the TS twin, element-wise, and how the README's
 * tolerance table states it (u = 2⁻²⁴ there). A fixed tolerance is printed as `abs X, rel Y`
 * (or `exact`), followed by the optional note giving its reason. A tolerance that depends on the
 * call (GEMM scales with k, updates with their size) cannot be printed, so its note is required
 * and states the formula the function computes, e.g. `abs (⌈cols/4⌉ + 5.01)·u·max|dy|, rel 2.01u`.
 */
export type CaseTolerance =
  | { tolerance: Tolerance; toleranceNote?: string }
  | { tolerance: (call: KernelCall) => Tolerance; toleranceNote: string };

/**
 * One entry per kernel (XNNPACK's unary-ops.h habit): how to draw calls, how close the Wasm
 * kernel must come to the TS twin, and over which input domain. The parity test, the
 * tolerance table in README and the kernel bench all read these entries.
 */
export type KernelCase = CaseTolerance & {
  kernel: KernelName;
  /** Random calls: sizes 1..70 (see test/helpers/arbitraries.ts) and values in `domain`. */
  calls: fc.Arbitrary<KernelCall>;
  /** Human-readable input domain, printed in the README table. */
  domain: string;
  /** Fixed calls always run besides the random ones: special values, empty input, aliasing. */
  special?: KernelCall[];
};
