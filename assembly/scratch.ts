// Kernel scratch: GEMM packing panels live between the module's static data and the arena, so
// kernels never allocate and the binary carries no zero-filled data segment for them.
// Not re-exported from index.ts: it is internal to the module.

/** Bytes of scratch reserved above the static data (the TS side allocates above it). */
export const SCRATCH_BYTES: usize = 2 << 20;

/** First byte of the scratch region, 64-byte aligned (a cache line). */
@inline
export function scratchBase(): usize {
  return (__heap_base + 63) & ~(<usize>63);
}
