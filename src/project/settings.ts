// The resolved shape of a project: every key present, defaults filled in, paths absolute.

export type Task = 'forecast' | 'classify' | 'text';
export type Cell = 'lstm' | 'gru' | 'rnn';
export type ScaleName = 'standard' | 'minmax' | 'none';
export type MissingName = 'error' | 'interpolate' | 'drop';
export type StrategyName = 'grid' | 'random' | 'incremental';
export type OptimizerChoice = 'adam' | 'adamw' | 'sgd' | 'rmsprop' | 'adagrad';

/** What a candidate may vary (`select`), with the value each candidate trains with. */
export interface CandidateParams {
  units: number;
  layers: number;
  /** Forecast and text only: steps per input sequence. */
  window?: number;
  cell: Cell;
  dropout: number;
  learningRate: number;
}
export type SelectKey = keyof CandidateParams;
export const SELECT_KEYS: readonly SelectKey[] = ['units', 'layers', 'window', 'cell', 'dropout', 'learningRate'];

export interface SplitFractions {
  train: number;
  validation: number;
  test: number;
}

export interface DataSettings {
  /** Absolute path. */
  file: string;
  split: SplitFractions;
  /** forecast: the column to forecast; default the file's last column (resolved when the file is read). */
  column: string | null;
  window: number;
  horizon: number;
  /** forecast: steps per season for the seasonal baseline; null = no seasonal baseline. */
  season: number | null;
  scale: ScaleName;
  difference: boolean;
  missing: MissingName;
  /** classify: the class column. */
  label: string;
  /** classify: time steps per row; the other columns are read as [steps, columns / steps]. null = one value per step. */
  steps: number | null;
  /** text: characters or words. */
  level: 'char' | 'word';
  /** text: tokens seen fewer times in the training lines become <unk>. */
  minCount: number;
}

export interface ModelSettings {
  cell: Cell;
  units: number;
  layers: number;
  dropout: number;
}

export interface TrainSettings {
  epochs: number;
  batchSize: number;
  optimizer: OptimizerChoice;
  learningRate: number;
  /** 0 = no clipping. */
  clipNorm: number;
  patience: number;
  seed: number;
}

export interface SelectSettings {
  strategy: StrategyName;
  /** The values each key takes; keys left out keep the model/data/train value. */
  space: Partial<Record<SelectKey, readonly (number | string)[]>>;
  /** random: how many candidates. */
  budget: number;
  /** incremental: sizes without a better validation error before stopping. */
  patience: number;
}

export interface ProjectSettings {
  task: Task;
  data: DataSettings;
  model: ModelSettings;
  train: TrainSettings;
  select: SelectSettings;
  workers: number;
  /** Absolute path of the output folder. */
  output: string;
  /** Where the project came from (the file, or 'runProject' for a config object): the start of every error. */
  source: string;
}
