/**
 * The hand-off between the main thread and one worker: a small SharedArrayBuffer per worker,
 * separate from the Wasm memory so that growing the heap never moves it.
 *
 *   control: Int32Array [REQUEST, DONE, FAILED]
 *     REQUEST  sequence number of the last posted job (main writes, then Atomics.notify), STOP to quit
 *     DONE     sequence number of the last finished job (worker writes, then Atomics.notify)
 *     FAILED   1 once a job threw in the worker
 *   args: Float64Array [op, then the kernel's arguments] (byte offsets and sizes are exact in f64)
 *
 * `worker-source.ts` interpolates these constants into the worker's source text.
 */
export const REQUEST = 0;
export const DONE = 1;
export const FAILED = 2;
export const CONTROL_INTS = 4;
export const STOP = -1;

/** The kernels a worker can run, by index: the four GEMM entry points of the Kernels interface. */
export const OPS = ['gemmNN', 'gemmNT', 'gemmTN', 'gemmPacked'] as const;
export type GemmOp = (typeof OPS)[number];
/** op + the 11 arguments of gemmNN/NT/TN (gemmPacked takes 10; the extra one is ignored). */
export const ARG_SLOTS = 12;

/** What the main thread posts once to start a worker. */
export interface WorkerStart {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  args: SharedArrayBuffer;
  /** Byte offset of this worker's own GEMM scratch in the shared memory. */
  scratch: number;
}
