import type { HeapArray } from '../../memory/storage.js';

// Twins of assembly/loss.ts. Forward returns the sum over rows (elements); backward accumulates
// scale · ∂loss/∂logits.

/** probs: [cols] (element index P) = softmax of logits at index Z; returns log Σ e^z (max-shifted). */
function softmaxRowLogSumExp(heap: HeapArray, P: number, Z: number, cols: number): number {
  let max = -Infinity;
  for (let j = 0; j < cols; j++) max = Math.max(max, heap[Z + j]!);
  let sum = 0;
  for (let j = 0; j < cols; j++) sum += Math.exp(heap[Z + j]! - max);
  for (let j = 0; j < cols; j++) heap[P + j] = Math.exp(heap[Z + j]! - max) / sum;
  return max + Math.log(sum);
}

/** probs: [rows, cols] = softmax(logits); targets: [rows] class ids, id < 0 (or NaN) ignored. Returns Σ −log p[target]. */
export function softmaxCrossEntropyForward(heap: HeapArray, probs: number, logits: number, targets: number, rows: number, cols: number): number {
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const Z = (logits >>> 2) + r * cols;
    const target = heap[(targets >>> 2) + r]!;
    const lse = softmaxRowLogSumExp(heap, (probs >>> 2) + r * cols, Z, cols);
    // −log p_t = lse − z_t: finite however small p_t is.
    if (target >= 0) total += lse - heap[Z + target]!;
  }
  return total;
}

/** dLogits: [rows, cols] += scale · (probs − onehot(target)); ignored rows add nothing. */
export function softmaxCrossEntropyBackward(heap: HeapArray, dLogits: number, probs: number, targets: number, rows: number, cols: number, scale: number): void {
  for (let r = 0; r < rows; r++) {
    const target = heap[(targets >>> 2) + r]!;
    if (!(target >= 0)) continue;
    const D = (dLogits >>> 2) + r * cols;
    const P = (probs >>> 2) + r * cols;
    for (let j = 0; j < cols; j++) heap[D + j] += scale * (heap[P + j]! - (j === target ? 1 : 0));
  }
}

/** probs = softmax(logits); targets: [rows, cols] distributions. Returns Σ −t·log p. */
export function softmaxCrossEntropyDenseForward(heap: HeapArray, probs: number, logits: number, targets: number, rows: number, cols: number): number {
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const Z = (logits >>> 2) + r * cols;
    const T = (targets >>> 2) + r * cols;
    const lse = softmaxRowLogSumExp(heap, (probs >>> 2) + r * cols, Z, cols);
    for (let j = 0; j < cols; j++) total += heap[T + j]! * (lse - heap[Z + j]!);
  }
  return total;
}

/** dLogits: [rows, cols] += scale · (probs · Σ_row t − t). */
export function softmaxCrossEntropyDenseBackward(heap: HeapArray, dLogits: number, probs: number, targets: number, rows: number, cols: number, scale: number): void {
  for (let r = 0; r < rows; r++) {
    const D = (dLogits >>> 2) + r * cols;
    const P = (probs >>> 2) + r * cols;
    const T = (targets >>> 2) + r * cols;
    let tSum = 0;
    for (let j = 0; j < cols; j++) tSum += heap[T + j]!;
    for (let j = 0; j < cols; j++) heap[D + j] += scale * (heap[P + j]! * tSum - heap[T + j]!);
  }
}

/** Returns Σ (pred − target)² over n elements. */
export function mseForward(heap: HeapArray, pred: number, target: number, n: number): number {
  const P = pred >>> 2;
  const T = target >>> 2;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const d = heap[P + i]! - heap[T + i]!;
    total += d * d;
  }
  return total;
}

/** dPred: [n] += scale · 2 · (pred − target). */
export function mseBackward(heap: HeapArray, dPred: number, pred: number, target: number, n: number, scale: number): void {
  const D = dPred >>> 2;
  const P = pred >>> 2;
  const T = target >>> 2;
  for (let i = 0; i < n; i++) heap[D + i] += scale * 2 * (heap[P + i]! - heap[T + i]!);
}

/** Returns Σ max(z, 0) − z·t + log(1 + e^(−|z|)) over logits z and targets t ∈ [0, 1]. */
export function bceWithLogitsForward(heap: HeapArray, logits: number, targets: number, n: number): number {
  const Z = logits >>> 2;
  const T = targets >>> 2;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const z = heap[Z + i]!;
    total += Math.max(z, 0) - z * heap[T + i]! + Math.log1p(Math.exp(-Math.abs(z)));
  }
  return total;
}

/** dLogits: [n] += scale · (σ(z) − t). */
export function bceWithLogitsBackward(heap: HeapArray, dLogits: number, logits: number, targets: number, n: number, scale: number): void {
  const D = dLogits >>> 2;
  const Z = logits >>> 2;
  const T = targets >>> 2;
  for (let i = 0; i < n; i++) heap[D + i] += scale * (1 / (1 + Math.exp(-heap[Z + i]!)) - heap[T + i]!);
}
