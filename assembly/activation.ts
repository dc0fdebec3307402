// Pointwise activations and the row softmax. Forward kernels write y and may run in place (y = x);
// backward kernels accumulate into dx (+=) from the forward output y.
import { expS, expV, sigmoidS, sigmoidV, tanhS, tanhV } from "./approx";
import { scale } from "./rows";
import { at, expShiftedRow, rowMax, sumF32Lanes } from "./simd";

export function tanhForward(
  y: usize, // [n] f32, written = tanh(x); may alias x
  x: usize, // [n] f32
  n: i32,
): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(y, i), tanhV(v128.load(at(x, i))));
  for (; i < n; i++) store<f32>(at(y, i), tanhS(load<f32>(at(x, i))));
}

export function tanhBackward(
  dx: usize, // [n] f32, += dy · (1 − y²)
  dy: usize, // [n] f32
  y: usize, // [n] f32, tanh(x) from forward
  n: i32,
): void {
  // 1 − y² as (1 − y)(1 + y): 1 − y is exact for y ≥ 0.5, so no cancellation as |y| → 1.
  const one = f32x4.splat(1.0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const yv = v128.load(at(y, i));
    const dyv = v128.load(at(dy, i));
    const d = f32x4.mul(dyv, f32x4.mul(f32x4.sub(one, yv), f32x4.add(one, yv)));
    v128.store(at(dx, i), f32x4.add(v128.load(at(dx, i)), d));
  }
  for (; i < n; i++) {
    const yi = load<f32>(at(y, i));
    store<f32>(at(dx, i), load<f32>(at(dx, i)) + load<f32>(at(dy, i)) * ((1.0 - yi) * (1.0 + yi)));
  }
}

export function sigmoidForward(
  y: usize, // [n] f32, written = 1 / (1 + e^(−x)); may alias x
  x: usize, // [n] f32
  n: i32,
): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(y, i), sigmoidV(v128.load(at(x, i))));
  for (; i < n; i++) store<f32>(at(y, i), sigmoidS(load<f32>(at(x, i))));
}

export function sigmoidBackward(
  dx: usize, // [n] f32, += dy · y · (1 − y)
  dy: usize, // [n] f32
  y: usize, // [n] f32, σ(x) from forward
  n: i32,
): void {
  const one = f32x4.splat(1.0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const yv = v128.load(at(y, i));
    const d = f32x4.mul(v128.load(at(dy, i)), f32x4.mul(yv, f32x4.sub(one, yv)));
    v128.store(at(dx, i), f32x4.add(v128.load(at(dx, i)), d));
  }
  for (; i < n; i++) {
    const yi = load<f32>(at(y, i));
    store<f32>(at(dx, i), load<f32>(at(dx, i)) + load<f32>(at(dy, i)) * (yi * (1.0 - yi)));
  }
}

export function reluForward(
  y: usize, // [n] f32, written = max(x, 0) (NaN stays NaN); may alias x
  x: usize, // [n] f32
  n: i32,
): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(y, i), f32x4.max(v128.load(at(x, i)), zero));
  for (; i < n; i++) store<f32>(at(y, i), max<f32>(load<f32>(at(x, i)), 0));
}

export function reluBackward(
  dx: usize, // [n] f32, += dy where y > 0
  dy: usize, // [n] f32
  y: usize, // [n] f32, relu(x) from forward
  n: i32,
): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const dxv = v128.load(at(dx, i));
    const active = f32x4.gt(v128.load(at(y, i)), zero);
    v128.store(at(dx, i), v128.bitselect(f32x4.add(dxv, v128.load(at(dy, i))), dxv, active));
  }
  for (; i < n; i++) {
    if (load<f32>(at(y, i)) > 0) store<f32>(at(dx, i), load<f32>(at(dx, i)) + load<f32>(at(dy, i)));
  }
}

export function expForward(
  y: usize, // [n] f32, written = e^x; may alias x
  x: usize, // [n] f32
  n: i32,
): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(y, i), expV(v128.load(at(x, i))));
  for (; i < n; i++) store<f32>(at(y, i), expS(load<f32>(at(x, i))));
}

export function expBackward(
  dx: usize, // [n] f32, += dy · y
  dy: usize, // [n] f32
  y: usize, // [n] f32, e^x from forward
  n: i32,
): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    v128.store(at(dx, i), f32x4.add(v128.load(at(dx, i)), f32x4.mul(v128.load(at(dy, i)), v128.load(at(y, i)))));
  }
  for (; i < n; i++) store<f32>(at(dx, i), load<f32>(at(dx, i)) + load<f32>(at(dy, i)) * load<f32>(at(y, i)));
}

export function softmaxForward(
  y: usize, // [rows, cols] f32, written = softmax of each row of x; may alias x
  x: usize, // [rows, cols] f32
  rows: i32,
  cols: i32,
): void {
  for (let r = 0; r < rows; r++) {
    const xr = at(x, r * cols);
    const yr = at(y, r * cols);
    // Subtracting the row max keeps every e^(x − max) in (0, 1]: no overflow, sum ≥ 1.
    const sum = expShiftedRow(yr, xr, cols, rowMax(xr, cols));
    scale(yr, cols, <f32>(1.0 / sum));
  }
}

export function softmaxBackward(
  dx: usize, // [rows, cols] f32, += y ⊙ (dy − Σ_row dy ⊙ y)
  dy: usize, // [rows, cols] f32
  y: usize, // [rows, cols] f32, softmax from forward
  rows: i32,
  cols: i32,
): void {
  for (let r = 0; r < rows; r++) {
    const dxr = at(dx, r * cols);
    const dyr = at(dy, r * cols);
    const yr = at(y, r * cols);
    let acc = f32x4.splat(0);
    let i = 0;
    for (; i + 4 <= cols; i += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(at(dyr, i)), v128.load(at(yr, i))));
    let dot = sumF32Lanes(acc);
    for (; i < cols; i++) dot += <f64>(load<f32>(at(dyr, i)) * load<f32>(at(yr, i)));
    const s = f32x4.splat(<f32>dot);
    i = 0;
    for (; i + 4 <= cols; i += 4) {
      const d = f32x4.mul(v128.load(at(yr, i)), f32x4.sub(v128.load(at(dyr, i)), s));
      v128.store(at(dxr, i), f32x4.add(v128.load(at(dxr, i)), d));
    }
    for (; i < cols; i++) {
      store<f32>(at(dxr, i), load<f32>(at(dxr, i)) + load<f32>(at(yr, i)) * (load<f32>(at(dyr, i)) - <f32>dot));
    }
  }
}
