import { checkOptionNames, describe, OptionError, StateError } from '../errors.js';
import type { Kernels } from '../kernels/kernels.js';
import type { Runtime } from '../kernels/runtime.js';
import type { Handle } from '../memory/handle.js';
import { scheduleFromJSON, type Schedule } from './schedules.js';

/** A model's parameters and gradients as two contiguous regions of `length` f32 each. */
export interface ParameterRegion {
  /** Byte offset of the first parameter value. */
  values: number;
  /** Byte offset of the first gradient. */
  grads: number;
  length: number;
}

export interface OptimizerState {
  iterations: number;
  epoch: number;
  moments: Float32Array[];
}

type Hyper = Record<string, number | boolean>;

/**
 * An optimizer updates a whole parameter region in one kernel call per step. Its moment buffers
 * are allocated in the arena once, when it is bound to a model, never during training.
 */
export abstract class Optimizer {
  /** Updates applied so far (Adam's t is iterations + 1 during a step). */
  iterations = 0;
  /** The epoch the schedule is evaluated at; set by fit. */
  epoch = 0;
  private moments: Handle[] = [];
  /** Byte offsets of the moment buffers, cached at bind so a step allocates nothing. */
  private momentOffsets: number[] = [];
  private boundLength = 0;
  private runtime: Runtime | null = null;

  protected constructor(
    readonly name: string,
    readonly learningRate: number,
    readonly schedule: Schedule | undefined,
    protected readonly hyper: Hyper,
  ) {}

  /** How many moment buffers (each as long as the parameters) this method keeps. */
  protected abstract readonly momentCount: number;
  protected abstract update(kernels: Kernels, region: ParameterRegion, moments: number[], rate: number): void;
  /** Initial value of the moment buffers (Adagrad's initial accumulator). */
  protected initialMoment(): number {
    return 0;
  }

  /** Number of state buffers (moments) this optimizer keeps, each as long as the parameter region. */
  get stateBufferCount(): number {
    return this.momentCount;
  }

  /** Allocates the moment buffers for a region of `length` parameters. Binding again to the same size keeps the state. */
  bind(runtime: Runtime, length: number): void {
    if (this.runtime === runtime && this.boundLength === length) return;
    this.dispose();
    this.runtime = runtime;
    this.moments = Array.from({ length: this.momentCount }, () => {
      const handle = runtime.arena.alloc(length);
      if (this.initialMoment() !== 0) handle.view().fill(this.initialMoment());
      return handle;
    });
    this.momentOffsets = this.moments.map((m) => m.offset);
    this.boundLength = length;
  }

  /** The learning rate of the current epoch (after the schedule). */
  currentRate(): number {
    return this.schedule ? this.schedule.rate(this.learningRate, this.epoch) : this.learningRate;
  }

  /** One update of every parameter from its gradient. */
  step(region: ParameterRegion): void {
    if (this.runtime === null) throw new StateError(`${this.name}.step: the optimizer is not bound to a model; compile the model first`);
    if (this.boundLength !== region.length) {
      throw new StateError(`${this.name}.step: bound to ${this.boundLength} parameters, but the region has ${region.length}`);
    }
    this.update(this.runtime.kernels, region, this.momentOffsets, this.currentRate());
    this.iterations++;
  }

  getState(): OptimizerState {
    return { iterations: this.iterations, epoch: this.epoch, moments: this.moments.map((m) => Float32Array.from(m.view())) };
  }

  setState(state: OptimizerState): void {
    if (state.moments.length !== this.moments.length || state.moments.some((m, i) => m.length !== this.moments[i]!.length)) {
      throw new StateError(`${this.name}.setState: expected ${this.moments.length} moment buffers of ${this.moments[0]?.length ?? 0} values`);
    }
    state.moments.forEach((m, i) => this.moments[i]!.view().set(m));
    this.iterations = state.iterations;
    this.epoch = state.epoch;
  }

  /** Releases the moment buffers. */
  dispose(): void {
    for (const m of this.moments) if (m.live) this.runtime!.arena.release(m);
    this.moments = [];
    this.momentOffsets = [];
    this.boundLength = 0;
    this.runtime = null;
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, learningRate: this.learningRate, ...this.hyper, ...(this.schedule ? { schedule: this.schedule.toJSON() } : {}) };
  }
}

interface Common {
  learningRate?: number;
  schedule?: Schedule;
  weightDecay?: number;
}

export interface SgdOptions extends Common {
  momentum?: number;
  nesterov?: boolean;
}

class Sgd extends Optimizer {
  protected readonly momentCount: number;
  constructor(options: SgdOptions) {
    const o = read('sgd', options, ['momentum', 'nesterov'], 0.01);
    const momentum = nonNegative('sgd', 'momentum', options.momentum ?? 0);
    const nesterov = flag('sgd', 'nesterov', options.nesterov ?? false);
    if (nesterov && momentum === 0) throw new OptionError('optimizers.sgd: nesterov needs momentum > 0, got momentum 0');
    super('sgd', o.learningRate, o.schedule, { momentum, nesterov, weightDecay: o.weightDecay });
    this.momentCount = momentum > 0 ? 1 : 0;
  }
  protected update(k: Kernels, r: ParameterRegion, m: number[], rate: number): void {
    const h = this.hyper;
    k.sgdUpdate(r.values, r.grads, m[0] ?? 0, r.length, rate, h.momentum as number, h.weightDecay as number, h.nesterov ? 1 : 0);
  }
}

export interface AdamOptions extends Common {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

class Adam extends Optimizer {
  protected readonly momentCount = 2;
  constructor(options: AdamOptions, decoupled: boolean) {
    const name = decoupled ? 'adamw' : 'adam';
    const o = read(name, options, ['beta1', 'beta2', 'epsilon'], 0.001, decoupled ? 0.01 : 0);
    super(name, o.learningRate, o.schedule, {
      beta1: unit(name, 'beta1', options.beta1 ?? 0.9),
      beta2: unit(name, 'beta2', options.beta2 ?? 0.999),
      epsilon: positive(name, 'epsilon', options.epsilon ?? 1e-7),
      weightDecay: o.weightDecay,
    });
  }
  protected update(k: Kernels, r: ParameterRegion, m: number[], rate: number): void {
    const h = this.hyper as Record<string, number>;
    k.adamUpdate(r.values, r.grads, m[0]!, m[1]!, r.length, rate, h.beta1!, h.beta2!, h.epsilon!, h.weightDecay!, this.name === 'adamw' ? 1 : 0, this.iterations + 1);
  }
}

export interface RmspropOptions extends Common {
  rho?: number;
  epsilon?: number;
}

class Rmsprop extends Optimizer {
  protected readonly momentCount = 1;
  constructor(options: RmspropOptions) {
    const o = read('rmsprop', options, ['rho', 'epsilon'], 0.001);
    super('rmsprop', o.learningRate, o.schedule, {
      rho: unit('rmsprop', 'rho', options.rho ?? 0.9),
      epsilon: positive('rmsprop', 'epsilon', options.epsilon ?? 1e-7),
      weightDecay: o.weightDecay,
    });
  }
  protected update(k: Kernels, r: ParameterRegion, m: number[], rate: number): void {
    const h = this.hyper as Record<string, number>;
    k.rmspropUpdate(r.values, r.grads, m[0]!, r.length, rate, h.rho!, h.epsilon!, h.weightDecay!);
  }
}

export interface AdagradOptions extends Common {
  epsilon?: number;
  initialAccumulatorValue?: number;
}

class Adagrad extends Optimizer {
  protected readonly momentCount = 1;
  constructor(options: AdagradOptions) {
    const o = read('adagrad', options, ['epsilon', 'initialAccumulatorValue'], 0.01);
    super('adagrad', o.learningRate, o.schedule, {
      epsilon: positive('adagrad', 'epsilon', options.epsilon ?? 1e-7),
      initialAccumulatorValue: nonNegative('adagrad', 'initialAccumulatorValue', options.initialAccumulatorValue ?? 0.1),
      weightDecay: o.weightDecay,
    });
  }
  protected override initialMoment(): number {
    return this.hyper.initialAccumulatorValue as number;
  }
  protected update(k: Kernels, r: ParameterRegion, m: number[], rate: number): void {
    const h = this.hyper as Record<string, number>;
    k.adagradUpdate(r.values, r.grads, m[0]!, r.length, rate, h.epsilon!, h.weightDecay!);
  }
}

/**
 * Optimizer factories, named and defaulted as in Keras (learning rates: sgd 0.01, adam/adamw/rmsprop
 * 0.001, adagrad 0.01; epsilon 1e-7; AdamW weight decay 0.01), with PyTorch's update formulas.
 */
export const optimizers = {
  sgd: (options: SgdOptions = {}): Optimizer => new Sgd(options),
  adam: (options: AdamOptions = {}): Optimizer => new Adam(options, false),
  adamw: (options: AdamOptions = {}): Optimizer => new Adam(options, true),
  rmsprop: (options: RmspropOptions = {}): Optimizer => new Rmsprop(options),
  adagrad: (options: AdagradOptions = {}): Optimizer => new Adagrad(options),
};

export type OptimizerName = keyof typeof optimizers;
export const OPTIMIZER_NAMES = Object.keys(optimizers) as OptimizerName[];

/** An optimizer from its name or its `toJSON()` form (used when loading a saved model). */
export function optimizerFromJSON(json: Record<string, unknown>): Optimizer {
  const { name, schedule, ...options } = json;
  // Own keys only: 'constructor' or '__proto__' must not reach Object's members.
  const factory = typeof name === 'string' && Object.hasOwn(optimizers, name) ? optimizers[name as OptimizerName] : undefined;
  if (factory === undefined) throw new OptionError(`optimizer: name must be one of ${OPTIMIZER_NAMES.join(', ')}, got ${describe(name)}`);
  const withSchedule = schedule === undefined ? options : { ...options, schedule: scheduleFromJSON(schedule as Record<string, unknown>) };
  return factory(withSchedule as never);
}

function read(name: string, options: Common, own: string[], defaultRate: number, defaultDecay = 0) {
  const where = `optimizers.${name}`;
  if (typeof options !== 'object' || options === null) throw new OptionError(`${where}: options must be an object, got ${describe(options)}`);
  checkOptionNames(where, options, ['learningRate', 'schedule', 'weightDecay', ...own]);
  return {
    learningRate: positive(name, 'learningRate', options.learningRate ?? defaultRate),
    schedule: options.schedule,
    weightDecay: nonNegative(name, 'weightDecay', options.weightDecay ?? defaultDecay),
  };
}

function positive(name: string, key: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) throw new OptionError(`optimizers.${name}: ${key} must be a finite number > 0, got ${describe(value)}`);
  return value;
}

function nonNegative(name: string, key: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) throw new OptionError(`optimizers.${name}: ${key} must be a finite number ≥ 0, got ${describe(value)}`);
  return value;
}

function unit(name: string, key: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) throw new OptionError(`optimizers.${name}: ${key} must be a number in [0, 1), got ${describe(value)}`);
  return value;
}

function flag(name: string, key: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new OptionError(`optimizers.${name}: ${key} must be true or false, got ${describe(value)}`);
  return value;
}
