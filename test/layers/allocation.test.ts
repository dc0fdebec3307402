import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRuntime, BACKENDS } from '../helpers/runtimes.js';
import type { Runtime } from '../../src/kernels/runtime.js';
import type { Cell } from '../../src/layers/cell.js';
import { gruCell } from '../../src/layers/gru.js';
import { lstmCell } from '../../src/layers/lstm.js';
import { ParameterSet } from '../../src/layers/parameters.js';
import { recurrentParameterSpecs } from '../../src/layers/recurrent.js';
import { RecurrentCore, type CoreShape } from '../../src/layers/recurrent-core.js';
import { rnnCell } from '../../src/layers/simple-rnn.js';
import { Workspace } from '../../src/layers/workspace.js';
import { Random } from '../../src/random.js';

/*
 * Steady state of the recurrent engine: forward/backward with a repeated (T, B) lay out their
 * workspaces once, and reusing the layout changes no result. (Heap sizes are measured by
 * bench/memory.bench.ts; a carve count is the deterministic part of that promise.)
 */

const CASES: { name: string; cell: () => Cell; shape: CoreShape }[] = [
  { name: 'LSTM, 2 layers, bidirectional', cell: () => lstmCell('sigmoid'), shape: { inputSize: 3, hiddenSize: 5, numLayers: 2, bidirectional: true, bias: true } },
  { name: 'GRU reset-before, 2 layers', cell: () => gruCell('sigmoid', false), shape: { inputSize: 4, hiddenSize: 3, numLayers: 2, bidirectional: false, bias: true } },
  { name: 'SimpleRNN, bidirectional, no bias', cell: () => rnnCell('tanh'), shape: { inputSize: 2, hiddenSize: 4, numLayers: 1, bidirectional: true, bias: false } },
];

/** One core over its own parameters (the same seeded values for every core of a case), with x and dOutput in the arena. */
class Harness {
  readonly core: RecurrentCore;
  private readonly parameters: ParameterSet;

  constructor(
    private readonly runtime: Runtime,
    cell: Cell,
    private readonly shape: CoreShape,
  ) {
    this.parameters = new ParameterSet(runtime, recurrentParameterSpecs(cell.gates, shape));
    const values = new Random(3);
    for (const name of this.parameters.names()) {
      const view = this.parameters.value(name);
      for (let i = 0; i < view.length; i++) view[i] = values.uniform(-0.5, 0.5);
    }
    this.core = new RecurrentCore(runtime, cell, shape, this.parameters);
  }

  /** zeroGrad, forward and backward on fresh seeded data of shape (T, B); returns every result. */
  step(T: number, B: number, dataSeed: number): Float32Array[] {
    const { inputSize, hiddenSize: H, numLayers: L, bidirectional } = this.shape;
    const D = bidirectional ? 2 : 1;
    const arena = this.runtime.arena;
    const x = this.upload(T * B * inputSize, dataSeed);
    const dOutput = this.upload(T * B * D * H, dataSeed + 1);
    const dhN = this.upload(L * D * B * H, dataSeed + 2);
    const dx = arena.alloc(T * B * inputSize);
    const dh0 = arena.alloc(L * D * B * H);
    this.parameters.zeroGrad();
    this.core.forward(x.offset, T, B, 0, 0, 0);
    this.core.backward(dOutput.offset, dhN.offset, 0, dx.offset, dh0.offset, 0);
    const read = (offset: number, n: number) => Float32Array.from(arena.storage.data.subarray(offset >>> 2, (offset >>> 2) + n));
    const results = [
      read(this.core.output, T * B * D * H), read(this.core.hN, L * D * B * H), read(dx.offset, T * B * inputSize), read(dh0.offset, L * D * B * H),
      ...this.parameters.names().map((name) => Float32Array.from(this.parameters.grad(name))),
    ];
    for (const handle of [x, dOutput, dhN, dx, dh0]) arena.release(handle);
    return results;
  }

  /** A forward alone (as evaluate or predict between training steps). */
  forwardOnly(T: number, B: number, dataSeed: number): void {
    const x = this.upload(T * B * this.shape.inputSize, dataSeed);
    this.core.forward(x.offset, T, B, 0, 0, 0);
    this.runtime.arena.release(x);
  }

  private upload(n: number, seed: number) {
    const handle = this.runtime.arena.alloc(n);
    const random = new Random(seed);
    const data = this.runtime.arena.storage.data;
    for (let i = 0; i < n; i++) data[(handle.offset >>> 2) + i] = random.uniform(-1, 1);
    return handle;
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each(BACKENDS)('RecurrentCore steady state (%s)', (backend) => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s: one carve per workspace over 50 steps of one shape; results unchanged', (_name, c) => {
    const carve = vi.spyOn(Workspace.prototype, 'carve');
    const steady = new Harness(createRuntime(backend), c.cell(), c.shape);
    const [T, B] = [6, 3];
    let last: Float32Array[] = [];
    for (let i = 0; i < 50; i++) last = steady.step(T, B, 100 + i);
    // The forward and the backward workspace, each laid out once.
    expect(carve).toHaveBeenCalledTimes(2);
    carve.mockClear();

    const fresh = new Harness(createRuntime(backend), c.cell(), c.shape);
    expect(fresh.step(T, B, 149)).toEqual(last);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s: a new (T, B) lays out again, and going back gives the fresh results', (_name, c) => {
    const carve = vi.spyOn(Workspace.prototype, 'carve');
    const core = new Harness(createRuntime(backend), c.cell(), c.shape);
    core.step(6, 3, 1);
    core.step(6, 3, 2);
    expect(carve).toHaveBeenCalledTimes(2);
    const longer = core.step(9, 3, 3);
    expect(carve).toHaveBeenCalledTimes(4);
    const wider = core.step(9, 4, 4);
    expect(carve).toHaveBeenCalledTimes(6);
    const back = core.step(6, 3, 5);
    expect(carve).toHaveBeenCalledTimes(8);

    expect(longer).toEqual(new Harness(createRuntime(backend), c.cell(), c.shape).step(9, 3, 3));
    expect(wider).toEqual(new Harness(createRuntime(backend), c.cell(), c.shape).step(9, 4, 4));
    expect(back).toEqual(new Harness(createRuntime(backend), c.cell(), c.shape).step(6, 3, 5));
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s: a forward alone of another shape in between (evaluation) leaves training right', (_name, c) => {
    const core = new Harness(createRuntime(backend), c.cell(), c.shape);
    core.step(6, 3, 1);
    core.forwardOnly(4, 2, 2);
    expect(core.step(6, 3, 3)).toEqual(new Harness(createRuntime(backend), c.cell(), c.shape).step(6, 3, 3));
  });
});
