// Kernel scratch: GEMM packing panels live between the module's static data and the arena, so
// kernels never allocate and the binary carries no zero-filled data segment for them.
// Not re-exported from index.ts: it is internal to the module.

/** Bytes of scratch reserved above the static data (the TS side allocates above it). */
export const SCRATCH_BYTES: usize = 2 << 20;

// Threads (assembly/threads.ts, shared-memory build only): every instance on the shared memory
// needs its own scratch. A Wasm global is per instance, so each worker sets its own base once;
// 0 means the default region above the static data. In the single-thread build nothing writes
// it and the optimizer folds it away.
let scratchOverride: usize = 0;

/** Moves this instance's scratch to `base` (64-byte aligned, SCRATCH_BYTES long, owned by the caller). */
export function setScratchBase(base: usize): void {
  scratchOverride = base;
}

/** First byte of the scratch region, 64-byte aligned (a cache line). */
@inline
export function scratchBase(): usize {
  return scratchOverride != 0 ? scratchOverride : (__heap_base + 63) & ~(<usize>63);
}
