// The classify task's samples: each CSV row is one sequence [steps, features] with a class label;
// rows are split at random (seeded), features scaled with statistics of the training rows.
import { splitData } from '../data/split.js';
import type { CsvTable } from '../data/csv-table.js';
import { fitScaler } from './scaling.js';
import type { ScaleName, SplitFractions } from './settings.js';

export interface ClassPart {
  /** [N · steps · features] scaled. */
  x: Float32Array;
  /** Class ids. */
  y: Int32Array;
}

/** What a classify candidate needs (plain values: it is posted to worker threads). */
export interface ClassSource {
  task: 'classify';
  /** One sequence: [steps, features]. */
  shape: [number, number];
  classes: number;
  train: ClassPart;
  validation: ClassPart;
  test: ClassPart;
}

export interface ClassLayout {
  label: string;
  steps: number;
  split: SplitFractions;
  scale: ScaleName;
  seed: number;
}

/** Rows of `table` as sequences; the label column must hold class ids 0, 1, 2, … (checked before). */
export function classSource(table: CsvTable, layout: ClassLayout): ClassSource {
  const featureNames = table.names.filter((name) => name !== layout.label);
  const features = featureNames.length / layout.steps;
  const rows = table.toTensor(featureNames);
  const labels = table.column(layout.label);
  const parts = splitData(rows, Array.from(labels), { ...layout.split, shuffle: true, seed: layout.seed });
  const scaler = fitScaler(layout.scale, parts.train.x.data);
  const part = (p: (typeof parts)['train']): ClassPart => ({
    x: scaler === null ? p.x.data : scaler.transform(p.x.data),
    y: Int32Array.from(p.y.data),
  });
  return {
    task: 'classify', shape: [layout.steps, features], classes: Math.max(...labels) + 1,
    train: part(parts.train), validation: part(parts.validation), test: part(parts.test),
  };
}

/** Index of the most frequent class among the training labels (ties: the smallest id). */
export function majorityClass(labels: Int32Array, classes: number): number {
  const counts = new Array<number>(classes).fill(0);
  for (const label of labels) counts[label]!++;
  return counts.indexOf(Math.max(...counts));
}
