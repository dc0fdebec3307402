// Checks a project's keys and types and fills in the defaults (no file is read here).
import { DATA_DEFAULTS, DEFAULT_SPLIT, DEFAULT_WINDOW, INCREMENTAL_UNITS, MODEL_DEFAULTS, OUTPUT_FOLDER, SELECT_DEFAULTS, TRAIN_DEFAULTS } from './defaults.js';
import { checkChoice, checkInteger, Section } from './key-checks.js';
import {
  SELECT_KEYS, type Cell, type DataSettings, type ProjectSettings, type SelectKey, type SelectSettings, type SplitFractions, type Task,
} from './settings.js';

export interface ReadContext {
  /** Names the project in errors: the file's path, or 'runProject'. */
  source: string;
  /** Makes a path from the project absolute (relative to the project file's folder). */
  resolvePath(path: string): string;
  /** The project's name, for the default output folder runs/<name>. */
  name: string;
  /** workers when not given: the number of cores. */
  defaultWorkers: number;
}

const TASKS: readonly Task[] = ['forecast', 'classify', 'text'];
const CELLS: readonly Cell[] = ['lstm', 'gru', 'rnn'];
const TOP_KEYS = ['task', 'data', 'model', 'train', 'select', 'workers', 'output'];
const DATA_KEYS = ['file', 'split', 'column', 'window', 'horizon', 'season', 'scale', 'difference', 'missing', 'label', 'steps', 'level', 'minCount'];
/** data keys that only one task reads; giving them to another task is a mistake worth naming. */
const TASK_DATA_KEYS: Record<Task, readonly string[]> = {
  forecast: ['column', 'window', 'horizon', 'season', 'scale', 'difference', 'missing'],
  classify: ['label', 'steps', 'scale', 'missing'],
  text: ['window', 'level', 'minCount'],
};
const MODEL_KEYS = ['cell', 'units', 'layers', 'dropout'];
const TRAIN_KEYS = ['epochs', 'batchSize', 'optimizer', 'learningRate', 'clipNorm', 'earlyStopping', 'seed'];
const SELECT_SECTION_KEYS = ['strategy', ...SELECT_KEYS, 'budget', 'patience'];
const OPTIMIZERS = ['adam', 'adamw', 'sgd', 'rmsprop', 'adagrad'] as const;
const isFraction = (v: number) => v >= 0 && v < 1;
const isRate = (v: number) => v > 0 && v < 10;

/** The project's settings; throws ProjectError for the first bad key. */
export function readProjectSettings(raw: unknown, context: ReadContext): ProjectSettings {
  const top = Section.open(context.source, '', raw, TOP_KEYS);
  if (raw === undefined) throw top.fail('', 'an object with at least { "data": { "file": … } }', raw);
  const task = top.choice('task', 'forecast', TASKS);
  const data = readData(top.child('data', DATA_KEYS), task, context);
  const modelSection = top.child('model', MODEL_KEYS);
  const model = {
    cell: modelSection.choice('cell', MODEL_DEFAULTS.cell, CELLS),
    units: modelSection.integer('units', MODEL_DEFAULTS.units, 1),
    layers: modelSection.integer('layers', MODEL_DEFAULTS.layers, 1),
    dropout: modelSection.number('dropout', MODEL_DEFAULTS.dropout, isFraction, 'a number in [0, 1)'),
  };
  const trainSection = top.child('train', TRAIN_KEYS);
  const stopping = trainSection.child('earlyStopping', ['patience']);
  const train = {
    epochs: trainSection.integer('epochs', TRAIN_DEFAULTS.epochs, 1),
    batchSize: trainSection.integer('batchSize', TRAIN_DEFAULTS.batchSize, 1),
    optimizer: trainSection.choice('optimizer', TRAIN_DEFAULTS.optimizer, OPTIMIZERS),
    learningRate: trainSection.number('learningRate', TRAIN_DEFAULTS.learningRate, isRate, 'a number in (0, 10)'),
    clipNorm: trainSection.number('clipNorm', TRAIN_DEFAULTS.clipNorm, (v) => v >= 0, 'a number ≥ 0 (0 = no clipping)'),
    patience: stopping.integer('patience', TRAIN_DEFAULTS.patience, 0),
    seed: trainSection.integer('seed', TRAIN_DEFAULTS.seed, 0, 0xffffffff),
  };
  const select = readSelect(top.child('select', SELECT_SECTION_KEYS), task);
  const output = top.string('output');
  return {
    task, data, model, train, select,
    workers: top.integer('workers', context.defaultWorkers, 1, 64),
    output: context.resolvePath(output ?? `${OUTPUT_FOLDER}/${context.name}`),
    source: context.source,
  };
}

function readData(section: Section, task: Task, context: ReadContext): DataSettings {
  const file = section.string('file');
  if (file === undefined) throw section.fail('file', task === 'text' ? 'the path of a text file' : 'the path of a CSV file (relative to the project file)', undefined);
  for (const key of Object.keys(section.values)) {
    const tasks = TASKS.filter((t) => TASK_DATA_KEYS[t].includes(key));
    if (tasks.length > 0 && !tasks.includes(task)) throw section.fail(key, `left out: it applies to task ${tasks.map((t) => `"${t}"`).join(' and ')}, and this project's task is "${task}"`, section.values[key]);
  }
  const season = section.has('season') ? section.integer('season', 0, 2) : null;
  const steps = section.has('steps') ? section.integer('steps', 0, 1) : null;
  return {
    file: context.resolvePath(file),
    split: readSplit(section.child('split', ['train', 'validation', 'test'])),
    column: section.string('column') ?? null,
    window: section.integer('window', task === 'text' ? DEFAULT_WINDOW.text : DEFAULT_WINDOW.forecast, 1),
    horizon: section.integer('horizon', DATA_DEFAULTS.horizon, 1),
    season,
    scale: section.choice('scale', DATA_DEFAULTS.scale, ['standard', 'minmax', 'none'] as const),
    difference: section.boolean('difference', DATA_DEFAULTS.difference),
    missing: section.choice('missing', DATA_DEFAULTS.missing, ['error', 'interpolate', 'drop'] as const),
    label: section.string('label') ?? DATA_DEFAULTS.label,
    steps,
    level: section.choice('level', DATA_DEFAULTS.level, ['char', 'word'] as const),
    minCount: section.integer('minCount', DATA_DEFAULTS.minCount, 1),
  };
}

/** Selection needs a validation part and the report a test part: both must be > 0. */
function readSplit(section: Section): SplitFractions {
  const positive = (v: number) => v > 0 && v < 1;
  const split = {
    train: section.number('train', DEFAULT_SPLIT.train, positive, 'a fraction in (0, 1)'),
    validation: section.number('validation', DEFAULT_SPLIT.validation, positive, 'a fraction in (0, 1): candidates are chosen by their validation error'),
    test: section.number('test', DEFAULT_SPLIT.test, positive, 'a fraction in (0, 1): the chosen model is tested on it'),
  };
  const sum = split.train + split.validation + split.test;
  if (Math.abs(sum - 1) > 1e-9) throw section.fail('', `fractions adding up to 1 (train + validation + test)`, `${split.train} + ${split.validation} + ${split.test} = ${+sum.toFixed(6)}`);
  return split;
}

function readSelect(section: Section, task: Task): SelectSettings {
  const strategy = section.choice('strategy', SELECT_DEFAULTS.strategy, ['grid', 'random', 'incremental'] as const);
  const space: SelectSettings['space'] = {};
  for (const key of SELECT_KEYS) {
    if (!section.has(key)) continue;
    if (key === 'window' && task === 'classify') throw section.fail(key, 'left out: a classify project reads whole rows (data.steps), it has no window', section.values[key]);
    space[key] = readValues(section, key);
  }
  if (strategy === 'incremental') {
    const other = Object.keys(space).find((key) => key !== 'units');
    if (other !== undefined) throw section.fail(other, 'left out: the incremental strategy grows select.units only (use "grid" or "random" to vary other keys)', section.values[other]);
    space.units ??= INCREMENTAL_UNITS;
    const units = space.units as number[];
    if (units.some((u, i) => i > 0 && u <= units[i - 1]!)) throw section.fail('units', 'increasing sizes for the incremental strategy', units);
  }
  if (strategy !== 'random' && section.has('budget')) throw section.fail('budget', 'left out: it applies to strategy "random"', section.values.budget);
  if (strategy !== 'incremental' && section.has('patience')) throw section.fail('patience', 'left out: it applies to strategy "incremental"', section.values.patience);
  return {
    strategy, space,
    budget: section.integer('budget', SELECT_DEFAULTS.budget, 1),
    patience: section.integer('patience', SELECT_DEFAULTS.patience, 1),
  };
}

/** A non-empty list of distinct values of the key's type. */
function readValues(section: Section, key: SelectKey): (number | string)[] {
  const list = section.values[key];
  const kind = key === 'cell' ? 'cell names' : key === 'dropout' ? 'fractions in [0, 1)' : key === 'learningRate' ? 'numbers in (0, 10)' : 'integers ≥ 1';
  if (!Array.isArray(list) || list.length === 0) throw section.fail(key, `a non-empty array of ${kind}`, list);
  const values = list.map((value, i) => {
    const at = `${key}[${i}]`;
    if (key === 'cell') return checkChoice(section, at, value, CELLS);
    if (key === 'dropout' || key === 'learningRate') {
      const ok = typeof value === 'number' && (key === 'dropout' ? isFraction(value) : isRate(value));
      if (!ok) throw section.fail(at, key === 'dropout' ? 'a number in [0, 1)' : 'a number in (0, 10)', value);
      return value as number;
    }
    return checkInteger(section, at, value, 1);
  });
  const repeated = values.find((v, i) => values.indexOf(v) !== i);
  if (repeated !== undefined) throw section.fail(key, 'a list without repeats', list);
  return values;
}
