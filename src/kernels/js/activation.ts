import type { HeapArray } from '../../memory/storage.js';

// Twins of assembly/activation.ts, with Math.* in double. Forward may run in place (y = x);
// backward accumulates (+=).

/** y: [n] = tanh(x: [n]). */
export function tanhForward(heap: HeapArray, y: number, x: number, n: number): void {
  const Y = y >>> 2;
  const X = x >>> 2;
  for (let i = 0; i < n; i++) heap[Y + i] = Math.tanh(heap[X + i]!);
}

/** dx: [n] += dy · (1 − y²), y = tanh(x) from forward. */
export function tanhBackward(heap: HeapArray, dx: number, dy: number, y: number, n: number): void {
  const DX = dx >>> 2;
  const DY = dy >>> 2;
  const Y = y >>> 2;
  for (let i = 0; i < n; i++) {
    const yi = heap[Y + i]!;
    heap[DX + i] += heap[DY + i]! * (1 - yi * yi);
  }
}

/** y: [n] = 1 / (1 + e^(−x)). */
export function sigmoidForward(heap: HeapArray, y: number, x: number, n: number): void {
  const Y = y >>> 2;
  const X = x >>> 2;
  for (let i = 0; i < n; i++) heap[Y + i] = 1 / (1 + Math.exp(-heap[X + i]!));
}

/** dx: [n] += dy · y · (1 − y), y = σ(x) from forward. */
export function sigmoidBackward(heap: HeapArray, dx: number, dy: number, y: number, n: number): void {
  const DX = dx >>> 2;
  const DY = dy >>> 2;
  const Y = y >>> 2;
  for (let i = 0; i < n; i++) {
    const yi = heap[Y + i]!;
    heap[DX + i] += heap[DY + i]! * yi * (1 - yi);
  }
}

/** y: [n] = max(x, 0); NaN stays NaN. */
export function reluForward(heap: HeapArray, y: number, x: number, n: number): void {
  const Y = y >>> 2;
  const X = x >>> 2;
  for (let i = 0; i < n; i++) heap[Y + i] = Math.max(heap[X + i]!, 0);
}

/** dx: [n] += dy where y > 0. */
export function reluBackward(heap: HeapArray, dx: number, dy: number, y: number, n: number): void {
  const DX = dx >>> 2;
  const DY = dy >>> 2;
  const Y = y >>> 2;
  for (let i = 0; i < n; i++) {
    if (heap[Y + i]! > 0) heap[DX + i] += heap[DY + i]!;
  }
}

/** y: [n] = e^x. */
export function expForward(heap: HeapArray, y: number, x: number, n: number): void {
  const Y = y >>> 2;
  const X = x >>> 2;
  for (let i = 0; i < n; i++) heap[Y + i] = Math.exp(heap[X + i]!);
}

/** dx: [n] += dy · y, y = e^x from forward. */
export function expBackward(heap: HeapArray, dx: number, dy: number, y: number, n: number): void {
  const DX = dx >>> 2;
  const DY = dy >>> 2;
  const Y = y >>> 2;
  for (let i = 0; i < n; i++) heap[DX + i] += heap[DY + i]! * heap[Y + i]!;
}

/** y: [rows, cols] = softmax of each row of x (max-subtracted); y may alias x. */
export function softmaxForward(heap: HeapArray, y: number, x: number, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const X = (x >>> 2) + r * cols;
    const Y = (y >>> 2) + r * cols;
    let max = -Infinity;
    for (let j = 0; j < cols; j++) max = Math.max(max, heap[X + j]!);
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += Math.exp(heap[X + j]! - max);
    for (let j = 0; j < cols; j++) heap[Y + j] = Math.exp(heap[X + j]! - max) / sum;
  }
}

/** dx: [rows, cols] += y ⊙ (dy − Σ_row dy ⊙ y). */
export function softmaxBackward(heap: HeapArray, dx: number, dy: number, y: number, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const DX = (dx >>> 2) + r * cols;
    const DY = (dy >>> 2) + r * cols;
    const Y = (y >>> 2) + r * cols;
    let dot = 0;
    for (let j = 0; j < cols; j++) dot += heap[DY + j]! * heap[Y + j]!;
    for (let j = 0; j < cols; j++) heap[DX + j] += heap[Y + j]! * (heap[DY + j]! - dot);
  }
}
