// Entry of the shared-memory build (asconfig targets `release-shared`, `release-relaxed-shared`):
// the same kernels as index.ts plus what a worker needs to run them on one shared memory with its
// own scratch (src/kernels/threads/). The single-thread build's ABI is unchanged.
export * from "./index";
export { setScratchBase } from "./scratch";
import { SCRATCH_BYTES } from "./scratch";

/** Bytes of one instance's scratch region: the size of each worker's region. */
export function scratchBytes(): usize {
  return SCRATCH_BYTES;
}
