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
  /** Grows the heap to at least `minByteLength` f32 bytes, keeping its contents. */
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
    // Grow at least by half the current size so repeated small allocations stay amortised O(1).
    const target = Math.max(minByteLength, current + (current >>> 1));
    this.memory.grow(Math.ceil((target - current) / WASM_PAGE));
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
    const target = Math.max(minByteLength, current + (current >>> 1));
    const next = this.allocate(Math.ceil(target / 16) * 4);
    next.set(this.data);
    this.data = next;
    this.generation++;
  }
  private allocate(elements: number): HeapArray {
    return this.float64 ? new Float64Array(elements) : new Float32Array(elements);
  }
}
