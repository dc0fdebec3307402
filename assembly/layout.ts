import { SCRATCH_BYTES, scratchBase } from "./scratch";

// Where the module's own memory (static data + kernel scratch) ends. The TS arena starts at or
// above this address, so kernel scratch and user buffers never overlap.
export function heapBase(): usize {
  return scratchBase() + SCRATCH_BYTES;
}
