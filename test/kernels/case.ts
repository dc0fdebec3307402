import type fc from 'fast-check';
import type { KernelName } from '../../src/kernels/kernels.js';
import type { Tolerance } from '../helpers/close.js';
import type { KernelCall } from './call.js';

/**
 * One entry per kernel (XNNPACK's unary-ops.h habit): how to draw calls, how close the Wasm
 * kernel must come to the TS twin, and over which input domain. The parity test, the
 * tolerance table in README and the kernel bench all read these entries.
 */
export interface KernelCase {
  kernel: KernelName;
  /** Random calls: sizes 1..70 (see test/helpers/arbitraries.ts) and values in `domain`. */
  calls: fc.Arbitrary<KernelCall>;
  /** Wasm vs TS twin, element-wise; may depend on the call (GEMM scales with k). */
  tolerance: Tolerance | ((call: KernelCall) => Tolerance);
  /** Human-readable input domain, printed in the README table. */
  domain: string;
  /** Fixed calls always run besides the random ones: special values, empty input, aliasing. */
  special?: KernelCall[];
}
