import type { HeapArray, Storage } from './storage.js';

/**
 * A region of the heap: `offset` in bytes, `length` in f32 elements. `view()` returns a typed
 * array over exactly this region and re-creates it after the heap grows, so a handle stays
 * valid for the life of its region while raw views may not.
 */
export class Handle {
  private cached: HeapArray | null = null;
  private cachedGeneration = -1;
  /** False once the arena has freed this region. */
  live = true;

  constructor(
    private readonly storage: Storage,
    readonly offset: number,
    readonly length: number,
  ) {}

  /** Byte offset of element `index`, for passing sub-blocks to kernels. */
  at(index: number): number {
    return this.offset + index * 4;
  }

  view(): HeapArray {
    if (!this.live) throw new Error('Handle.view: this region was freed; allocate a new one');
    if (this.cached === null || this.cachedGeneration !== this.storage.generation) {
      const start = this.offset >>> 2;
      this.cached = this.storage.data.subarray(start, start + this.length);
      this.cachedGeneration = this.storage.generation;
    }
    return this.cached;
  }
}
