import { OptionError, checkOptionNames, describe, oneOf } from '../errors.js';
import { fusedActivation, lossName, type LossName } from '../train/losses.js';
import { readMetrics, type AccuracyKind, type MetricEntry } from '../train/metrics-running.js';
import { OPTIMIZER_NAMES, Optimizer, optimizerFromJSON, optimizers, type OptimizerName } from '../train/optimizers.js';
import type { StackPlan } from './stack.js';

/** `model.compile` options (tfjs-layers' ModelCompileArgs, plus clipping). */
export interface CompileOptions {
  /**
   * A name ('adam', 'sgd', 'adamw', 'rmsprop', 'adagrad': Keras defaults), `optimizers.adam({
   * learningRate })`, or a config `{ name: 'adam', learningRate: 0.01, … }` (what
   * `optimizer.toJSON()` and a saved model's compile block hold).
   */
  optimizer: OptimizerName | Optimizer | OptimizerConfig;
  loss: LossName | 'mse';
  /** 'accuracy', 'mae' (meanAbsoluteError), 'mse', 'rmse'; logged under the name given. */
  metrics?: string[];
  /** Scale all gradients together when their global L2 norm exceeds this. */
  clipNorm?: number;
  /** Clip every gradient element to [−clipValue, clipValue] (after clipNorm). */
  clipValue?: number;
}

/** An optimizer by name and options, as `optimizer.toJSON()` writes it. */
export interface OptimizerConfig {
  name: OptimizerName;
  [option: string]: unknown;
}

/** compile's options, checked against the model. */
export interface Compiled {
  readonly optimizer: Optimizer;
  /** The optimizer was made here from a name or config (and is disposed with the model). */
  readonly ownsOptimizer: boolean;
  readonly loss: LossName;
  /** The final Dense stays pre-activation in fit/evaluate; the loss applies this activation. */
  readonly fused: 'softmax' | 'sigmoid' | null;
  readonly metrics: readonly MetricEntry[];
  readonly accuracyKind: AccuracyKind;
  /** 0 = off. */
  readonly clipNorm: number;
  readonly clipValue: number;
}

const OPTION_NAMES = ['optimizer', 'loss', 'metrics', 'clipNorm', 'clipValue'] as const;

export function readCompileOptions(where: string, options: CompileOptions, plan: StackPlan): Compiled {
  if (typeof options !== 'object' || options === null) throw new OptionError(`${where}: expected options such as { optimizer: 'adam', loss: 'meanSquaredError' }, got ${describe(options)}`);
  checkOptionNames(where, options, OPTION_NAMES);
  if (options.optimizer === undefined) throw new OptionError(`${where}: optimizer is required (e.g. 'adam' or optimizers.adam({ learningRate: 0.01 }))`);
  if (options.loss === undefined) throw new OptionError(`${where}: loss is required (e.g. 'meanSquaredError' or 'sparseCategoricalCrossentropy')`);
  const loss = lossName(where, options.loss);
  const fused = checkOutputForLoss(where, loss, plan);
  const metrics = readMetrics(where, options.metrics);
  if (loss === 'sparseCategoricalCrossentropy') {
    const elementwise = metrics.find((m) => m.kind !== 'accuracy');
    if (elementwise !== undefined) {
      throw new OptionError(`${where}: metric '${elementwise.key}' compares predictions with targets of the same shape, but sparseCategoricalCrossentropy targets are class ids; use 'accuracy', or categoricalCrossentropy with one-hot targets`);
    }
  }
  const units = plan.output.features;
  const accuracyKind: AccuracyKind = loss === 'sparseCategoricalCrossentropy' ? 'sparse'
    : loss === 'binaryCrossentropy' || (loss === 'meanSquaredError' && units === 1) ? 'binary' : 'categorical';
  const given = options.optimizer;
  const optimizer = given instanceof Optimizer ? given
    : typeof given === 'object' && given !== null ? optimizerFromConfig(where, given)
      : optimizers[oneOf(where, 'optimizer', given, OPTIMIZER_NAMES)]();
  return {
    optimizer, ownsOptimizer: !(given instanceof Optimizer), loss, fused, metrics, accuracyKind,
    clipNorm: clip(where, 'clipNorm', options.clipNorm), clipValue: clip(where, 'clipValue', options.clipValue),
  };
}

/** An optimizer from `{ name, …options }`; errors name compile. */
function optimizerFromConfig(where: string, config: object): Optimizer {
  try {
    return optimizerFromJSON(config as Record<string, unknown>);
  } catch (error) {
    if (error instanceof OptionError) throw new OptionError(`${where}: ${error.message}`, { cause: error });
    throw error;
  }
}

/** Cross-entropies need a final Dense with their activation (fused) or 'linear' (logits). */
function checkOutputForLoss(where: string, loss: LossName, plan: StackPlan): 'softmax' | 'sigmoid' | null {
  const activation = fusedActivation(loss);
  if (activation === null) return null;
  const last = plan.layers[plan.layers.length - 1]!;
  const label = `layer ${last.index} (${last.name})`;
  const wanted = `a dense layer with activation '${activation}' (or 'linear' for logits)`;
  if (last.spec.className !== 'Dense') throw new OptionError(`${where}: loss '${loss}' needs the last layer to be ${wanted}, but ${label} is a ${last.spec.className}`);
  const has = last.spec.config.activation;
  if (has !== activation && has !== 'linear') throw new OptionError(`${where}: loss '${loss}' needs the last layer to be ${wanted}, but ${label} has activation '${has}'`);
  if (activation === 'softmax' && last.spec.config.units < 2) {
    throw new OptionError(`${where}: loss '${loss}' needs at least 2 classes, but ${label} has units: 1; for two classes with one output use binaryCrossentropy and activation 'sigmoid'`);
  }
  return activation;
}

function clip(where: string, name: string, value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) throw new OptionError(`${where}: ${name} must be a finite number > 0, got ${describe(value)}`);
  return value;
}
