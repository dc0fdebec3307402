import { MemoryError } from '../errors.js';
import { Handle } from './handle.js';
import { MAX_HEAP_BYTES } from './limits.js';
import type { Storage } from './storage.js';

/** Regions start on 16-byte boundaries so SIMD loads of a region's head are aligned. */
const ALIGN = 16;

interface FreeBlock {
  offset: number;
  size: number;
}

export interface ArenaStats {
  /** Bytes handed out to live regions (after alignment). */
  usedBytes: number;
  /** Bytes the heap spans from the arena base (used + free). */
  capacityBytes: number;
  liveRegions: number;
}

/**
 * The allocator over one heap: first-fit over an address-ordered free list with coalescing.
 * Layers allocate their parameters, gradients, optimizer moments and caches here when shapes
 * are set, never inside a step, so the free list is walked rarely.
 */
export class Arena {
  private readonly free: FreeBlock[] = [];
  private used = 0;
  private live = 0;

  constructor(
    readonly storage: Storage,
    /** First byte the arena may use (the Wasm module's static data lies below it). */
    readonly base: number,
  ) {
    const start = alignUp(base);
    if (storage.byteLength > start) this.free.push({ offset: start, size: storage.byteLength - start });
  }

  /**
   * Allocates `length` f32 elements, zero-filled. A request the heap cannot hold (past
   * MAX_HEAP_BYTES, or refused by the engine) throws MemoryError and leaves the arena as it was.
   */
  alloc(length: number): Handle {
    if (!Number.isInteger(length) || length < 0) {
      throw new RangeError(`Arena.alloc: length must be a non-negative integer, got ${String(length)}`);
    }
    const size = Math.max(ALIGN, alignUp(length * 4));
    let index = this.free.findIndex((block) => block.size >= size);
    if (index < 0) index = this.growFor(size);
    const block = this.free[index]!;
    const offset = block.offset;
    if (block.size === size) this.free.splice(index, 1);
    else {
      block.offset += size;
      block.size -= size;
    }
    this.used += size;
    this.live++;
    const handle = new Handle(this.storage, offset, length);
    handle.view().fill(0);
    return handle;
  }

  /** Returns a region to the arena; its handle becomes unusable. Freeing twice is an error. */
  release(handle: Handle): void {
    if (!handle.live) throw new Error('Arena.release: region was already released');
    handle.live = false;
    const size = Math.max(ALIGN, alignUp(handle.length * 4));
    this.used -= size;
    this.live--;
    this.insertFree(handle.offset, size);
  }

  stats(): ArenaStats {
    return { usedBytes: this.used, capacityBytes: this.storage.byteLength - alignUp(this.base), liveRegions: this.live };
  }

  private insertFree(offset: number, size: number): void {
    let i = 0;
    while (i < this.free.length && this.free[i]!.offset < offset) i++;
    this.free.splice(i, 0, { offset, size });
    // Coalesce with the next block, then with the previous one.
    const next = this.free[i + 1];
    if (next && offset + size === next.offset) {
      this.free[i]!.size += next.size;
      this.free.splice(i + 1, 1);
    }
    const prev = this.free[i - 1];
    if (prev && prev.offset + prev.size === offset) {
      prev.size += this.free[i]!.size;
      this.free.splice(i, 1);
    }
  }

  /** Grows the heap so a block of `size` bytes fits at its end; returns that block's index. */
  private growFor(size: number): number {
    const oldEnd = this.storage.byteLength;
    const last = this.free[this.free.length - 1];
    const tailFree = last && last.offset + last.size === oldEnd ? last.size : 0;
    const needed = oldEnd + size - tailFree;
    if (needed > MAX_HEAP_BYTES) {
      throw new MemoryError(
        `Arena.alloc: a region of ${size} bytes does not fit: the heap would grow from ${oldEnd} to ${needed} bytes, past its limit of ${MAX_HEAP_BYTES} bytes (4 GiB); ` +
          `${this.used} bytes are in use by ${this.live} live regions. Dispose models you no longer need, or use smaller sizes or batches`,
      );
    }
    this.storage.grow(needed);
    const added = this.storage.byteLength - oldEnd;
    if (tailFree > 0) last!.size += added;
    else this.free.push({ offset: Math.max(oldEnd, alignUp(this.base)), size: this.storage.byteLength - Math.max(oldEnd, alignUp(this.base)) });
    return this.free.length - 1;
  }
}

function alignUp(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}
