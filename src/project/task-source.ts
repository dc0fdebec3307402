import type { ClassSource } from './classify-data.js';
import type { SeriesSource } from './forecast-data.js';
import type { TextSource } from './text-data.js';

/** The data of any task in the form candidates train on (plain values, posted to workers). */
export type TaskSource = SeriesSource | ClassSource | TextSource;
