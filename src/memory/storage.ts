import { MemoryError } from '../errors.js';
import { MAX_HEAP_BYTES } from './limits.js';

/**
 * The bytes behind an arena: Wasm linear memory or, for the pure-TS backend, an ArrayBuffer.
 * `data` is a view over the whole heap and is REPLACED when the heap grows (a grown
 * WebAssembly.Memory detaches its old buffer), so never keep it across an allocation.
 * Offsets are byte offsets of f32 elements even in the float64 storage that gradient checks
 * use: element index = offset >>> 2 in both.
 */
export type HeapArray = Float32Array | Float64Array;

export interface Storage {
  /** View over the whole heap; re-read it after any allocation. */
  readonly data: HeapArray;
  /** Size of the heap in f32 bytes (element count × 4). */
  readonly byteLength: number;
  /** Bumped on every growth so handles know when to re-create their views. */
  readonly generation: number;
  /**
   * Grows the heap to at least `minByteLength` f32 bytes (≤ MAX_HEAP_BYTES), keeping its contents.
   * When the engine refuses the memory it throws MemoryError and the heap stays as it was.
   */
  grow(minByteLength: number): void;
}

const WASM_PAGE = 65536;

/** Wasm linear memory owned by the TS side and imported by the kernel module. */
export class WasmStorage implements Storage {
  data: Float32Array;
  generation = 0;
  constructor(readonly memory: WebAssembly.Memory) {
    this.data = new Float32Array(memory.buffer);
  }
  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }
  grow(minByteLength: number): void {
    const current = this.memory.buffer.byteLength;
    if (minByteLength <= current) return;
    const pages = Math.ceil((grownSize(current, minByteLength) - current) / WASM_PAGE);
    try {
      this.memory.grow(pages);
    } catch (cause) {
      throw refused(current, current + pages * WASM_PAGE, cause);
    }
    this.data = new Float32Array(this.memory.buffer);
    this.generation++;
  }
}

/** A plain ArrayBuffer heap for the pure-TS backend, in float32 or (for gradient checks) float64. */
export class ArrayStorage implements Storage {
  data: HeapArray;
  generation = 0;
  constructor(initialByteLength: number, readonly float64 = false) {
    this.data = this.allocate(initialByteLength >>> 2);
  }
  get byteLength(): number {
    return this.data.length * 4;
  }
  grow(minByteLength: number): void {
    const current = this.byteLength;
    if (minByteLength <= current) return;
    const elements = Math.ceil(grownSize(current, minByteLength) / 16) * 4;
    let next: HeapArray;
    try {
      next = this.allocate(elements);
    } catch (cause) {
      throw refused(current, elements * 4, cause);
    }
    next.set(this.data);
    this.data = next;
    this.generation++;
  }
  private allocate(elements: number): HeapArray {
    return this.float64 ? new Float64Array(elements) : new Float32Array(elements);
  }
}

/**
 * The size to grow to: at least half again the current size, so repeated small allocations stay
 * amortised O(1), but never past MAX_HEAP_BYTES (the arena refuses requests beyond it).
 */
function grownSize(current: number, minByteLength: number): number {
  return Math.max(minByteLength, Math.min(current + (current >>> 1), MAX_HEAP_BYTES));
}

/** The engine's RangeError (or TypeError) from Memory.grow / new Float32Array, as a MemoryError. */
function refused(from: number, to: number, cause: unknown): MemoryError {
  return new MemoryError(
    `the JavaScript engine refused to grow the heap from ${from} to ${to} bytes (${(cause as Error).message}); nothing was allocated. ` +
      'Dispose models you no longer need, or use smaller sizes or batches',
    { cause },
  );
}
