// Every key's default but data.file. docs/PROJECT.md lists the same values.
import type { ModelSettings, SelectSettings, SplitFractions, TrainSettings } from './settings.js';

export const DEFAULT_SPLIT: SplitFractions = { train: 0.7, validation: 0.15, test: 0.15 };

export const DATA_DEFAULTS = {
  horizon: 1,
  scale: 'standard',
  difference: false,
  missing: 'error',
  label: 'label',
  level: 'char',
  minCount: 1,
} as const;

/** data.window: a year of monthly data for a series, a short sentence for text. */
export const DEFAULT_WINDOW = { forecast: 12, text: 32 } as const;

export const MODEL_DEFAULTS: ModelSettings = { cell: 'lstm', units: 16, layers: 1, dropout: 0 };

export const TRAIN_DEFAULTS: TrainSettings = {
  epochs: 200, batchSize: 32, optimizer: 'adam', learningRate: 0.005, clipNorm: 1, patience: 20, seed: 1,
};

export const SELECT_DEFAULTS: Omit<SelectSettings, 'space'> = { strategy: 'grid', budget: 10, patience: 2 };

/** incremental without select.units: sizes doubling from 4. */
export const INCREMENTAL_UNITS: readonly number[] = [4, 8, 16, 32, 64, 128];

/** output when none is given: runs/<project file name> beside the project file. */
export const OUTPUT_FOLDER = 'runs';
