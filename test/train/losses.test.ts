import { describe, expect, it } from 'vitest';
import { OptionError } from '../../src/errors.js';
import { createJsRuntime, type Runtime } from '../../src/kernels/runtime.js';
import { Random } from '../../src/random.js';
import { Loss, LOSS_NAMES, fusedActivation, lossName, sparseTargets, type LossName } from '../../src/train/losses.js';
import { expectClose } from '../helpers/close.js';
import { checkGradients } from '../helpers/gradcheck.js';
import { BACKENDS, createRuntime } from '../helpers/runtimes.js';

/*
 * The four losses against float64 references written here from their definitions (Keras'
 * formulas, means over real rows / elements), with padded rows; their fused gradients by
 * central differences in float64 on the TS runtime.
 */

interface Case {
  rows: number;
  cols: number;
  logits: Float64Array;
  /** [rows, cols], or [rows] class ids for the sparse loss (−1 on padded rows). */
  targets: Float64Array;
  /** [rows] 1 = real row, or null. */
  mask: Float64Array | null;
}

function makeCase(name: LossName, rows: number, cols: number, seed: number, padded: number[] = [], scale = 3): Case {
  const random = new Random(seed);
  const logits = Float64Array.from({ length: rows * cols }, () => scale * random.normal());
  const mask = padded.length === 0 ? null : Float64Array.from({ length: rows }, (_, r) => (padded.includes(r) ? 0 : 1));
  const real = (r: number) => mask === null || mask[r] === 1;
  let targets: Float64Array;
  if (sparseTargets(name)) targets = Float64Array.from({ length: rows }, (_, r) => (real(r) ? random.int(cols) : -1));
  else {
    targets = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      if (!real(r)) continue;
      if (name === 'categoricalCrossentropy') {
        // Soft distributions: the loss must not assume one-hot rows.
        const w = Array.from({ length: cols }, () => random.next());
        const sum = w.reduce((a, b) => a + b, 0);
        w.forEach((v, c) => (targets[r * cols + c] = v / sum));
      } else for (let c = 0; c < cols; c++) targets[r * cols + c] = name === 'binaryCrossentropy' ? random.next() : random.normal();
    }
  }
  return { rows, cols, logits, targets, mask };
}

/** The mean loss in float64 from the definitions. */
function reference(name: LossName, c: Case): number {
  const { rows, cols, logits: z, targets: t, mask } = c;
  let total = 0;
  let realRows = 0;
  for (let r = 0; r < rows; r++) {
    if (mask !== null && mask[r] === 0) continue;
    realRows++;
    const row = Array.from(z.subarray(r * cols, (r + 1) * cols));
    const max = Math.max(...row);
    const lse = max + Math.log(row.reduce((a, v) => a + Math.exp(v - max), 0));
    if (name === 'sparseCategoricalCrossentropy') total += lse - row[t[r]!]!;
    for (let j = 0; j < cols; j++) {
      const zi = row[j]!;
      const ti = t[r * cols + j]!;
      if (name === 'categoricalCrossentropy') total += -ti * (zi - lse);
      if (name === 'meanSquaredError') total += (zi - ti) ** 2;
      if (name === 'binaryCrossentropy') {
        const p = 1 / (1 + Math.exp(-zi));
        total += -(ti * Math.log(p) + (1 - ti) * Math.log(1 - p));
      }
    }
  }
  return name === 'sparseCategoricalCrossentropy' || name === 'categoricalCrossentropy' ? total / realRows : total / (realRows * cols);
}

/** Places a case in the arena: offsets of logits, targets and mask. */
function place(runtime: Runtime, c: Case): { logits: number; targets: number; mask: number; realRows: number } {
  const arena = runtime.arena;
  const logits = arena.alloc(c.logits.length);
  const targets = arena.alloc(c.targets.length);
  const mask = c.mask === null ? null : arena.alloc(c.rows);
  const heap = arena.storage.data;
  heap.set(c.logits, logits.offset >>> 2);
  heap.set(c.targets, targets.offset >>> 2);
  if (mask !== null) heap.set(c.mask!, mask.offset >>> 2);
  const realRows = c.mask === null ? c.rows : c.mask.reduce((a, b) => a + b, 0);
  return { logits: logits.offset, targets: targets.offset, mask: mask?.offset ?? 0, realRows };
}

const SHAPES: [number, number, number[]][] = [[1, 1, []], [5, 3, []], [7, 9, [1, 4, 6]], [4, 2, [0]]];

describe.each(BACKENDS)('loss values on %s', (backend) => {
  const runtime = createRuntime(backend);
  for (const name of LOSS_NAMES) {
    it.each(SHAPES.filter(([, cols]) => fusedActivation(name) !== 'softmax' || cols > 1))(`${name} rows %i cols %i padded %j`, (rows, cols, padded) => {
      const c = makeCase(name, rows, cols, rows * 31 + cols, padded);
      const at = place(runtime, c);
      const loss = new Loss(runtime, name);
      const value = loss.forward(at.logits, at.targets, rows, cols, at.mask, at.realRows);
      // f32 inputs and SIMD exp/log: a few ulps of the mean.
      expectClose([value], [reference(name, c)], { abs: 1e-6, rel: 2e-6 }, name);
      loss.release();
    });
  }

  it('stays finite for logits of ±80 (fused, no log of 0)', () => {
    for (const name of ['sparseCategoricalCrossentropy', 'categoricalCrossentropy', 'binaryCrossentropy'] as const) {
      const c = makeCase(name, 6, 4, 5, [], 80);
      const at = place(runtime, c);
      const loss = new Loss(runtime, name);
      const value = loss.forward(at.logits, at.targets, 6, 4, 0, 6);
      expect(Number.isFinite(value)).toBe(true);
      expectClose([value], [reference(name, c)], { abs: 1e-4, rel: 1e-5 }, name);
      loss.backward();
      loss.release();
    }
  });

  it('padded rows give exactly zero loss and gradient, whatever their outputs', () => {
    for (const name of LOSS_NAMES) {
      const c = makeCase(name, 6, 3, 9, [2, 5]);
      const at = place(runtime, c);
      const loss = new Loss(runtime, name);
      const full = loss.forward(at.logits, at.targets, 6, 3, at.mask, 4);
      const grad = Array.from(view(runtime, loss.backward(), 18));
      for (const r of [2, 5]) expect(grad.slice(r * 3, r * 3 + 3)).toEqual([0, 0, 0]);
      // Changing the padded rows' outputs changes nothing.
      const heap = runtime.arena.storage.data;
      for (const r of [2, 5]) for (let j = 0; j < 3; j++) heap[(at.logits >>> 2) + r * 3 + j] = 1e3 * (j + 1);
      expect(loss.forward(at.logits, at.targets, 6, 3, at.mask, 4)).toBe(full);
      expect(Array.from(view(runtime, loss.backward(), 18))).toEqual(grad);
      loss.release();
    }
  });

  it('predictions are softmax / sigmoid of the logits, or the outputs for meanSquaredError', () => {
    for (const name of LOSS_NAMES) {
      const c = makeCase(name, 3, 4, 2);
      const at = place(runtime, c);
      const loss = new Loss(runtime, name);
      loss.forward(at.logits, at.targets, 3, 4, 0, 3);
      const got = Array.from(view(runtime, loss.predictions(), 12));
      const expected = Array.from({ length: 12 }, (_, i) => {
        const z = c.logits[i]!;
        if (name === 'meanSquaredError') return Math.fround(z);
        if (name === 'binaryCrossentropy') return 1 / (1 + Math.exp(-z));
        const row = Array.from(c.logits.subarray(Math.floor(i / 4) * 4, Math.floor(i / 4) * 4 + 4));
        return Math.exp(z) / row.reduce((a, v) => a + Math.exp(v), 0);
      });
      expectClose(got, expected, { abs: 1e-6, rel: 1e-5 }, name);
      loss.release();
    }
  });
});

describe('fused loss gradients by central differences in float64', () => {
  for (const name of LOSS_NAMES) {
    it(`${name}`, () => {
      const runtime = createJsRuntime({ float64: true });
      const c = makeCase(name, 5, 4, 17, [3]);
      const at = place(runtime, c);
      const loss = new Loss(runtime, name);
      loss.forward(at.logits, at.targets, 5, 4, at.mask, at.realRows);
      const analytic = Float64Array.from(view(runtime, loss.backward(), 20));
      const values = view(runtime, at.logits, 20);
      const [report] = checkGradients(() => loss.forward(at.logits, at.targets, 5, 4, at.mask, at.realRows), [{ name: 'logits', values, analytic }]);
      expect(report!.maxRelError, JSON.stringify(report!.worst)).toBeLessThan(1e-7);
    });
  }
});

describe('loss names', () => {
  it('accepts tfjs names, Keras snake_case and mse', () => {
    expect(lossName('compile', 'mse')).toBe('meanSquaredError');
    expect(lossName('compile', 'sparse_categorical_crossentropy')).toBe('sparseCategoricalCrossentropy');
    expect(lossName('compile', 'binaryCrossentropy')).toBe('binaryCrossentropy');
  });

  it('suggests the nearest name', () => {
    expect(() => lossName('compile', 'meanSquaredErrors')).toThrow(OptionError);
    expect(() => lossName('compile', 'meanSquaredErrors')).toThrow(/did you mean 'meanSquaredError'/);
    expect(() => lossName('compile', 42)).toThrow(/loss must be one of/);
  });
});

function view(runtime: Runtime, offset: number, n: number) {
  return runtime.arena.storage.data.subarray(offset >>> 2, (offset >>> 2) + n);
}
