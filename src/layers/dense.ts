import { StateError } from '../errors.js';
import type { Runtime } from '../kernels/runtime.js';
import { activationBackward, activationForward, type ActivationName } from './activations.js';
import type { ParameterSet, ParameterSpec } from './parameters.js';
import { Workspace } from './workspace.js';

/** Sizes and options of a Dense layer. */
export interface DenseShape {
  readonly inputSize: number;
  readonly units: number;
  readonly activation: ActivationName;
  readonly bias: boolean;
}

/** PyTorch's nn.Linear table: `weight` [units, inputSize], `bias` [units]. */
export function denseParameterSpecs(shape: DenseShape): ParameterSpec[] {
  const specs: ParameterSpec[] = [{ name: 'weight', shape: [shape.units, shape.inputSize] }];
  if (shape.bias) specs.push({ name: 'bias', shape: [shape.units] });
  return specs;
}

/**
 * y = act(x·Wᵀ + b) over `rows` rows at once (every step of a sequence, or one row per sequence),
 * on arena byte offsets. `forward` keeps x's offset and y for `backward`; x must stay unchanged in
 * the arena until then. Buffers are carved once per row count and reused.
 */
export class DenseCore {
  private readonly weight: number;
  private readonly bias: number;
  private readonly dWeight: number;
  private readonly dBias: number;
  private readonly forwardSpace: Workspace;
  private readonly backwardSpace: Workspace;
  private rows = -1;
  private out = 0;
  private dPre = 0;
  private x = 0;
  private activated = false;
  private ran = false;

  constructor(
    private readonly runtime: Runtime,
    readonly shape: DenseShape,
    parameters: ParameterSet,
    prefix = '',
  ) {
    const weight = parameters.entry(`${prefix}weight`);
    this.weight = weight.value;
    this.dWeight = weight.grad;
    const bias = shape.bias ? parameters.entry(`${prefix}bias`) : null;
    this.bias = bias?.value ?? 0;
    this.dBias = bias?.grad ?? 0;
    this.forwardSpace = new Workspace(runtime.arena);
    this.backwardSpace = new Workspace(runtime.arena);
  }

  /** y [rows, units] of the last forward. */
  get output(): number {
    return this.out;
  }

  /**
   * x: [rows, inputSize] → output [rows, units]. With `applyActivation` false the output stays
   * pre-activation (logits), for a loss that fuses the activation.
   */
  forward(x: number, rows: number, applyActivation = true): void {
    const k = this.runtime.kernels;
    const { inputSize: I, units: U, activation } = this.shape;
    this.layout(rows);
    k.gemmNT(this.out, x, this.weight, rows, U, I, I, I, U, 1, 0);
    if (this.bias !== 0) k.addRowVector(this.out, this.bias, rows, U);
    this.activated = applyActivation && activation !== 'linear';
    if (this.activated) activationForward(k, activation, this.out, this.out, rows, U);
    this.x = x;
    this.ran = true;
  }

  /**
   * dOutput: [rows, units] = ∂L/∂output of the last forward. Weight and bias gradients ACCUMULATE;
   * dx [rows, inputSize] is WRITTEN (0 = not wanted).
   */
  backward(dOutput: number, dx: number): void {
    if (!this.ran) throw new StateError('DenseCore.backward: call forward first');
    const k = this.runtime.kernels;
    const { inputSize: I, units: U, activation } = this.shape;
    const rows = this.rows;
    let dPre = dOutput;
    if (this.activated) {
      dPre = this.dPre;
      k.fill(dPre, 0, rows * U);
      activationBackward(k, activation, dPre, dOutput, this.out, rows, U);
    }
    k.gemmTN(this.dWeight, dPre, this.x, U, I, rows, U, I, I, 1, 1);
    if (this.dBias !== 0) k.sumRows(this.dBias, dPre, rows, U);
    if (dx !== 0) k.gemmNN(dx, dPre, this.weight, rows, I, U, U, I, I, 1, 0);
  }

  release(): void {
    this.forwardSpace.release();
    this.backwardSpace.release();
    this.rows = -1;
    this.ran = false;
  }

  private layout(rows: number): void {
    if (rows === this.rows) return;
    const n = rows * this.shape.units;
    this.out = this.forwardSpace.carve({ out: n }).out;
    this.dPre = this.shape.activation === 'linear' ? 0 : this.backwardSpace.carve({ dPre: n }).dPre;
    this.rows = rows;
  }
}
