import { Random } from '../random.js';
import { CallbackList } from '../train/callbacks.js';
import { EarlyStopping } from '../train/early-stopping.js';
import type { History } from '../train/fit.js';
import { ProgressBar, defaultSink, defaultVerbose } from '../train/progress.js';
import type { FitOptions, FitSettings } from './fit-options.js';

/** What every model's fit builds from its options before the epoch loop (train/fit.ts). */
export interface FitScaffold {
  earlyStopping: EarlyStopping | null;
  callbacks: CallbackList;
  progress: ProgressBar | null;
  /** The fit's generator: shuffling, and the seeds drawn from it. */
  random: Random;
}

/**
 * Early stopping over the logs this fit writes (`loss` and the compiled metrics, with `val_`
 * twins when there is validation data), the callbacks, a progress bar when verbose is 1 (by
 * default only on a terminal), and the generator seeded from `settings.seed`.
 */
export function fitScaffold(where: string, options: FitOptions, settings: FitSettings, trainCount: number, metricKeys: readonly string[], hasValidation: boolean): FitScaffold {
  const logNames = ['loss', ...metricKeys];
  const available = hasValidation ? [...logNames, ...logNames.map((n) => `val_${n}`)] : logNames;
  const earlyStopping = options.earlyStopping === undefined ? null : new EarlyStopping(where, options.earlyStopping, available);
  const callbacks = new CallbackList(where, options.callbacks);
  const verbose = settings.verbose ?? defaultVerbose();
  const progress = verbose === 1 ? new ProgressBar(defaultSink(), settings.epochs, Math.ceil(trainCount / settings.batchSize)) : null;
  return { earlyStopping, callbacks, progress, random: new Random(settings.seed) };
}

/** The last epoch's logs of a fit, or `previous` when it ran no epoch. */
export function lastLogsOf(history: History, previous: Record<string, number> | null): Record<string, number> | null {
  if (history.epoch.length === 0) return previous;
  return Object.fromEntries(Object.entries(history.history).map(([key, values]) => [key, values.at(-1)!]));
}
