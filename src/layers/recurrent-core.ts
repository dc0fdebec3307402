import { StateError } from '../errors.js';
import type { Runtime } from '../kernels/runtime.js';
import type { BackwardBuffers, Cell, Direction, DirectionParameters, ForwardBuffers } from './cell.js';
import type { ParameterSet } from './parameters.js';
import { backwardDirection, finalState, forwardDirection, inputGradient, outputStates } from './recurrent-loop.js';
import { Workspace } from './workspace.js';

/** Sizes of a stacked, optionally bidirectional recurrent layer. */
export interface CoreShape {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bidirectional: boolean;
  readonly bias: boolean;
}

/** PyTorch's parameter names of layer `layer`, direction `direction` (1 = reverse). */
export function directionParameterNames(layer: number, direction: number): { weightIh: string; weightHh: string; biasIh: string; biasHh: string } {
  const suffix = `_l${layer}${direction === 1 ? '_reverse' : ''}`;
  return { weightIh: `weight_ih${suffix}`, weightHh: `weight_hh${suffix}`, biasIh: `bias_ih${suffix}`, biasHh: `bias_hh${suffix}` };
}

/**
 * The engine under SimpleRNN, LSTM and GRU, working on arena byte offsets, time-major, with no
 * Tensor copies: a Sequential model drives it directly. `forward` keeps every cache backward
 * needs until the next `forward`; x and mask must stay unchanged in the arena until `backward`.
 *
 * Shapes: x [T·B, inputSize]; h0, c0, hN, cN, dhN, dcN, dh0, dc0 [L·D, B, H] (PyTorch's
 * [numLayers·numDirections, B, H], layer-major); output and dOutput [T·B, D·H] (directions
 * concatenated on the last axis); mask [T, B] (1 = real step, 0 = padding). An offset of 0
 * means "absent" (zeros for inputs, not computed for outputs).
 */
export class RecurrentCore {
  readonly directions: number;
  private readonly params: DirectionParameters[][];
  private readonly forwardSpace: Workspace;
  private readonly backwardSpace: Workspace;
  private runs: Direction[][] = [];
  /** Input of each layer in the last forward (x, then the layer below's outputs). */
  private readonly layerInputs: number[];
  /** Bidirectional layers: the [T·B, 2H] buffer their two directions are concatenated into. */
  private concatenated: number[] = [];
  /** The last forward's shape and mask (backward runs through it). */
  private forwardRan = false;
  private T = 0;
  private B = 0;
  private mask = 0;
  /**
   * (T, B) the workspaces are laid out for, or −1: a training loop over one shape carves once and
   * then runs without building layouts, objects or closures per call.
   */
  private forwardLayout = { T: -1, B: -1 };
  private backwardLayout = { T: -1, B: -1 };
  /** The inter-layer gradient buffer of the backward layout. */
  private dLayer = 0;
  private out = 0;
  private states = { hN: 0, cN: 0 };
  private released = false;

  constructor(
    private readonly runtime: Runtime,
    readonly cell: Cell,
    readonly sizes: CoreShape,
    parameters: ParameterSet,
    prefix = '',
  ) {
    this.directions = sizes.bidirectional ? 2 : 1;
    this.forwardSpace = new Workspace(runtime.arena);
    this.backwardSpace = new Workspace(runtime.arena);
    this.layerInputs = new Array<number>(sizes.numLayers).fill(0);
    this.params = Array.from({ length: sizes.numLayers }, (_, layer) =>
      Array.from({ length: this.directions }, (_, direction) => {
        const names = directionParameterNames(layer, direction);
        const at = (name: string) => parameters.entry(prefix + name);
        const bias = (name: string, field: 'value' | 'grad') => (sizes.bias ? at(name)[field] : 0);
        return {
          wIh: at(names.weightIh).value, wHh: at(names.weightHh).value,
          bIh: bias(names.biasIh, 'value'), bHh: bias(names.biasHh, 'value'),
          dWIh: at(names.weightIh).grad, dWHh: at(names.weightHh).grad,
          dBIh: bias(names.biasIh, 'grad'), dBHh: bias(names.biasHh, 'grad'),
        };
      }),
    );
  }

  /** Top layer's outputs [T·B, D·H] of the last forward. */
  get output(): number {
    return this.out;
  }

  /** Final hidden states [L·D, B, H] of the last forward. */
  get hN(): number {
    return this.states.hN;
  }

  /** Final cell states [L·D, B, H] of the last forward (LSTM; 0 otherwise). */
  get cN(): number {
    return this.states.cN;
  }

  forward(x: number, T: number, B: number, h0: number, c0: number, mask: number): void {
    if (this.released) throw new StateError('RecurrentCore.forward: the core was released');
    const k = this.runtime.kernels;
    const { hiddenSize: H, numLayers: L } = this.sizes;
    const D = this.directions;
    const cellState = this.cell.cellState;
    this.forwardRan = true;
    this.T = T;
    this.B = B;
    this.mask = mask;
    if (T !== this.forwardLayout.T || B !== this.forwardLayout.B) this.layout(T, B);
    let input = x;
    for (let layer = 0; layer < L; layer++) {
      this.layerInputs[layer] = input;
      const runs = this.runs[layer]!;
      for (let direction = 0; direction < D; direction++) {
        const d = runs[direction]!;
        const index = layer * D + direction;
        forwardDirection(k, this.cell, d, input, mask, stateBlock(h0, index, B, H), stateBlock(c0, index, B, H));
        k.copy(stateBlock(this.states.hN, index, B, H), finalState(d, d.fwd.h), B * H);
        if (cellState) k.copy(stateBlock(this.states.cN, index, B, H), finalState(d, d.fwd.c), B * H);
      }
      if (D === 1) input = outputStates(runs[0]!);
      else {
        input = this.concatenated[layer]!;
        for (let direction = 0; direction < D; direction++) {
          k.copyRows(input + direction * H * 4, outputStates(runs[direction]!), T * B, H, D * H, H);
        }
      }
    }
    this.out = input;
  }

  /**
   * Backward through the last forward. Parameter gradients ACCUMULATE into the ParameterSet's
   * gradient region; dx [T·B, inputSize], dh0 and dc0 are WRITTEN (0 = not wanted).
   */
  backward(dOutput: number, dhN: number, dcN: number, dx: number, dh0: number, dc0: number): void {
    if (this.released) throw new StateError('RecurrentCore.backward: the core was released');
    if (!this.forwardRan) throw new StateError('RecurrentCore.backward: call forward first');
    const k = this.runtime.kernels;
    const { T, B, mask } = this;
    const { hiddenSize: H, numLayers: L } = this.sizes;
    const D = this.directions;
    const rows = T * B;
    if (T !== this.backwardLayout.T || B !== this.backwardLayout.B) this.layoutBackward(T, B);
    const dLayer = this.dLayer;
    let dUpper = dOutput;
    for (let layer = L - 1; layer >= 0; layer--) {
      const runs = this.runs[layer]!;
      // Split ∂L/∂output into each direction's own buffer before dLayer is overwritten below.
      for (let direction = 0; direction < D; direction++) {
        const d = runs[direction]!;
        if (dUpper === 0) k.fill(d.bwd.dOut, 0, rows * H);
        else if (D === 1) k.copy(d.bwd.dOut, dUpper, rows * H);
        else k.copyRows(d.bwd.dOut, dUpper + direction * H * 4, rows, H, H, D * H);
      }
      for (let direction = 0; direction < D; direction++) {
        const index = layer * D + direction;
        backwardDirection(
          k, this.cell, runs[direction]!, this.layerInputs[layer]!, mask,
          stateBlock(dhN, index, B, H), stateBlock(dcN, index, B, H), stateBlock(dh0, index, B, H), stateBlock(dc0, index, B, H),
        );
      }
      const target = layer === 0 ? dx : dLayer;
      if (target !== 0) {
        for (let direction = 0; direction < D; direction++) inputGradient(k, runs[direction]!, target, direction === 0 ? 0 : 1);
      }
      dUpper = dLayer;
    }
  }

  /** Releases the workspaces (the parameters belong to their ParameterSet); later use throws. */
  release(): void {
    this.released = true;
    this.forwardSpace.release();
    this.backwardSpace.release();
    this.forwardRan = false;
  }

  /** Carves the forward workspace for (T, B) and builds each direction's view of it. */
  private layout(T: number, B: number): void {
    const { inputSize, hiddenSize: H, numLayers: L, bias } = this.sizes;
    const D = this.directions;
    const G = this.cell.gates;
    const rows = T * B;
    const slots = (T + 1) * B * H;
    const buffers: ForwardBuffers = {
      xProj: rows * G * H, h: slots, c: this.cell.cellState ? slots : 0, ...this.cell.forwardSizes(rows, B, H, bias),
    };
    const sizes: Record<string, number> = { hN: L * D * B * H, cN: this.cell.cellState ? L * D * B * H : 0 };
    for (let layer = 0; layer < L; layer++) {
      sizes[`concat${layer}`] = D === 2 ? rows * D * H : 0;
      for (let direction = 0; direction < D; direction++) Object.assign(sizes, prefixed(directionKey(layer, direction), buffers));
    }
    const o = this.forwardSpace.carve(sizes);
    this.states = { hN: o.hN!, cN: o.cN! };
    this.concatenated = Array.from({ length: L }, (_, layer) => o[`concat${layer}`]!);
    this.runs = Array.from({ length: L }, (_, layer) =>
      Array.from({ length: D }, (_, direction): Direction => ({
        T, B, I: layer === 0 ? inputSize : D * H, H, GH: G * H, reverse: direction === 1, bias,
        p: this.params[layer]![direction]!,
        fwd: unprefixed(directionKey(layer, direction), o, buffers),
        bwd: NO_BACKWARD_BUFFERS,
      })),
    );
    this.forwardLayout = { T, B };
    // The directions are new objects: their backward buffers must be assigned again.
    this.backwardLayout = { T: -1, B: -1 };
  }

  /** Carves the backward workspace for (T, B) and gives each direction its backward buffers. */
  private layoutBackward(T: number, B: number): void {
    const { hiddenSize: H, numLayers: L } = this.sizes;
    const D = this.directions;
    const rows = T * B;
    const buffers: BackwardBuffers = {
      dXProj: rows * this.cell.gates * H, dOut: rows * H, dh: B * H, ...this.cell.backwardSizes(rows, B, H),
    };
    const sizes: Record<string, number> = { dLayer: L > 1 ? rows * D * H : 0 };
    for (let layer = 0; layer < L; layer++) {
      for (let direction = 0; direction < D; direction++) Object.assign(sizes, prefixed(directionKey(layer, direction), buffers));
    }
    const o = this.backwardSpace.carve(sizes);
    this.runs.forEach((runs, layer) => runs.forEach((d, direction) => (d.bwd = unprefixed(directionKey(layer, direction), o, buffers))));
    this.dLayer = o.dLayer!;
    this.backwardLayout = { T, B };
  }
}

function directionKey(layer: number, direction: number): string {
  return `l${layer}d${direction}.`;
}

/** `{ a: 1 }` → `{ 'prefix.a': 1 }`: one direction's buffers inside the workspace's flat table. */
function prefixed(prefix: string, sizes: object): Record<string, number> {
  return Object.fromEntries(Object.entries(sizes).map(([name, size]) => [prefix + name, size as number]));
}

/** The offsets of one direction's buffers, under the names of `template`. */
function unprefixed<T extends object>(prefix: string, offsets: Record<string, number>, template: T): T {
  return Object.fromEntries(Object.keys(template).map((name) => [name, offsets[prefix + name]!])) as T;
}

/** Offset of state `index` ([B, H]) in a [L·D, B, H] buffer, or 0 when the buffer is absent. */
function stateBlock(base: number, index: number, B: number, H: number): number {
  return base === 0 ? 0 : base + index * B * H * 4;
}

const NO_BACKWARD_BUFFERS: BackwardBuffers = { dXProj: 0, dOut: 0, dh: 0, dHProj: 0, dc: 0, dRh: 0, wHhPacked: 0 };
