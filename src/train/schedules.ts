import { checkOptionNames, OptionError, positiveInteger, describe } from '../errors.js';

/**
 * A learning-rate schedule: the rate to use in a given epoch (0-based), from the optimizer's base
 * rate. Schedules are evaluated once per epoch, as PyTorch's epoch-stepped LR schedulers are.
 */
export interface Schedule {
  readonly kind: 'step' | 'exponential' | 'cosine';
  rate(baseRate: number, epoch: number): number;
  toJSON(): Record<string, unknown>;
}

/** Multiplies the rate by `gamma` every `stepSize` epochs (PyTorch StepLR). */
export function stepDecay(options: { stepSize: number; gamma?: number }): Schedule {
  checkOptionNames('schedules.step', options, ['stepSize', 'gamma']);
  const stepSize = positiveInteger('schedules.step', 'stepSize', options.stepSize);
  const gamma = factor('schedules.step', 'gamma', options.gamma ?? 0.1);
  return {
    kind: 'step',
    rate: (base, epoch) => base * gamma ** Math.floor(epoch / stepSize),
    toJSON: () => ({ kind: 'step', stepSize, gamma }),
  };
}

/** Multiplies the rate by `gamma` every epoch (PyTorch ExponentialLR). */
export function exponentialDecay(options: { gamma: number }): Schedule {
  checkOptionNames('schedules.exponential', options, ['gamma']);
  const gamma = factor('schedules.exponential', 'gamma', options.gamma);
  return { kind: 'exponential', rate: (base, epoch) => base * gamma ** epoch, toJSON: () => ({ kind: 'exponential', gamma }) };
}

/** Cosine annealing from the base rate to `minRate` over `epochs` epochs, then flat (PyTorch CosineAnnealingLR without restarts). */
export function cosineDecay(options: { epochs: number; minRate?: number }): Schedule {
  checkOptionNames('schedules.cosine', options, ['epochs', 'minRate']);
  const epochs = positiveInteger('schedules.cosine', 'epochs', options.epochs);
  const minRate = options.minRate ?? 0;
  if (typeof minRate !== 'number' || !(minRate >= 0)) throw new OptionError(`schedules.cosine: minRate must be a number ≥ 0, got ${describe(minRate)}`);
  return {
    kind: 'cosine',
    rate: (base, epoch) => minRate + ((base - minRate) * (1 + Math.cos((Math.PI * Math.min(epoch, epochs)) / epochs))) / 2,
    toJSON: () => ({ kind: 'cosine', epochs, minRate }),
  };
}

export function scheduleFromJSON(json: Record<string, unknown>): Schedule {
  const { kind, ...rest } = json;
  if (kind === 'step') return stepDecay(rest as never);
  if (kind === 'exponential') return exponentialDecay(rest as never);
  if (kind === 'cosine') return cosineDecay(rest as never);
  throw new OptionError(`schedule: kind must be 'step', 'exponential' or 'cosine', got ${describe(kind)}`);
}

export const schedules = { step: stepDecay, exponential: exponentialDecay, cosine: cosineDecay };

function factor(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0 && value <= 1)) throw new OptionError(`${where}: ${name} must be a number in (0, 1], got ${describe(value)}`);
  return value;
}
