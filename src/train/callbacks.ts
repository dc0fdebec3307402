import { OptionError, checkOptionNames, describe } from '../errors.js';

/** Loss and metrics by name (Keras naming: loss, accuracy, val_loss, val_accuracy, …). */
export type Logs = Record<string, number>;

/**
 * What onBatchEnd receives: this batch's mean loss, the gradient norm before clipping, and its
 * size. With truncated BPTT a batch makes one update per window: loss is the mean of the windows'
 * losses and gradNorm the largest of their norms.
 */
export interface BatchLogs {
  loss: number;
  gradNorm: number;
  size: number;
}

/**
 * Training callbacks (tfjs-layers' CustomCallbackArgs). Each may return a Promise, which fit
 * awaits; batch callbacks cost nothing when absent.
 */
export interface Callbacks {
  onTrainBegin?(logs: Logs): void | Promise<void>;
  onTrainEnd?(logs: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  onBatchBegin?(batch: number, logs: { size: number }): void | Promise<void>;
  onBatchEnd?(batch: number, logs: BatchLogs): void | Promise<void>;
}

const HOOKS = ['onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd'] as const;
type Hook = (typeof HOOKS)[number];

/** The callbacks of one fit call, checked up front (a misspelled hook is an OptionError). */
export class CallbackList {
  private readonly list: Callbacks[];
  readonly hasBatchBegin: boolean;
  readonly hasBatchEnd: boolean;

  constructor(where: string, value: Callbacks | readonly Callbacks[] | undefined) {
    const list = value === undefined ? [] : Array.isArray(value) ? value : [value as Callbacks];
    list.forEach((callbacks, i) => {
      const name = Array.isArray(value) ? `callbacks[${i}]` : 'callbacks';
      if (typeof callbacks !== 'object' || callbacks === null) throw new OptionError(`${where}: ${name} must be an object of hooks such as { onEpochEnd(epoch, logs) {} }, got ${describe(callbacks)}`);
      checkOptionNames(`${where}: ${name}`, callbacks, HOOKS);
      for (const hook of HOOKS) {
        const fn = (callbacks as Record<string, unknown>)[hook];
        if (fn !== undefined && typeof fn !== 'function') throw new OptionError(`${where}: ${name}.${hook} must be a function, got ${describe(fn)}`);
      }
    });
    this.list = [...list];
    this.hasBatchBegin = this.list.some((c) => c.onBatchBegin !== undefined);
    this.hasBatchEnd = this.list.some((c) => c.onBatchEnd !== undefined);
  }

  trainBegin(logs: Logs): Promise<void> | undefined {
    return this.call('onTrainBegin', (c) => c.onTrainBegin?.(logs));
  }

  trainEnd(logs: Logs): Promise<void> | undefined {
    return this.call('onTrainEnd', (c) => c.onTrainEnd?.(logs));
  }

  epochBegin(epoch: number, logs: Logs): Promise<void> | undefined {
    return this.call('onEpochBegin', (c) => c.onEpochBegin?.(epoch, logs));
  }

  epochEnd(epoch: number, logs: Logs): Promise<void> | undefined {
    return this.call('onEpochEnd', (c) => c.onEpochEnd?.(epoch, logs));
  }

  batchBegin(batch: number, size: number): Promise<void> | undefined {
    return this.call('onBatchBegin', (c) => c.onBatchBegin?.(batch, { size }));
  }

  batchEnd(batch: number, logs: BatchLogs): Promise<void> | undefined {
    return this.call('onBatchEnd', (c) => c.onBatchEnd?.(batch, logs));
  }

  /** Runs one hook of every callback in order; a Promise only when some hook returned one. */
  private call(hook: Hook, run: (callbacks: Callbacks) => void | Promise<void> | undefined): Promise<void> | undefined {
    let pending: Promise<void> | undefined;
    for (const callbacks of this.list) {
      if (callbacks[hook] === undefined) continue;
      if (pending !== undefined) {
        pending = pending.then(() => run(callbacks));
        continue;
      }
      const result = run(callbacks);
      if (result !== undefined && typeof (result as Promise<void>).then === 'function') pending = Promise.resolve(result);
    }
    return pending;
  }
}
