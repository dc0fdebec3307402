// The candidates a selection strategy trains, in a fixed order, each with its own seed.
import { Random } from '../random.js';
import { SELECT_KEYS, type CandidateParams, type ProjectSettings, type SelectKey } from './settings.js';

export interface Candidate {
  /** Position in the strategy's list: fixes the order of the report and the seed. */
  index: number;
  params: CandidateParams;
  /** Seed of the weights (and, + 1, of the shuffling); derived from train.seed and index only. */
  seed: number;
}

/**
 * The candidates in order: every combination of the select lists for `grid` (the last key varies
 * fastest), `budget` of them drawn without repeats (seeded by train.seed) for `random`, and the
 * growing sizes for `incremental` (which stops early; see selectModel).
 */
export function candidateList(settings: ProjectSettings): Candidate[] {
  const combinations = grid(settings);
  const chosen = settings.select.strategy === 'random' ? sample(combinations, settings.select.budget, settings.train.seed) : combinations;
  return chosen.map((params, index) => ({ index, params, seed: candidateSeed(settings.train.seed, index) }));
}

/** The values every candidate starts from: model, data.window and train.learningRate. */
export function baseParams(settings: ProjectSettings): CandidateParams {
  const { cell, units, layers, dropout } = settings.model;
  const window = settings.task === 'classify' ? {} : { window: settings.data.window };
  return { units, layers, ...window, cell, dropout, learningRate: settings.train.learningRate };
}

function grid(settings: ProjectSettings): CandidateParams[] {
  let combinations: CandidateParams[] = [baseParams(settings)];
  for (const key of SELECT_KEYS) {
    const values = settings.select.space[key];
    if (values === undefined) continue;
    combinations = combinations.flatMap((params) => values.map((value) => withValue(params, key, value)));
  }
  return combinations;
}

function withValue(params: CandidateParams, key: SelectKey, value: number | string): CandidateParams {
  return { ...params, [key]: value };
}

/** `budget` combinations in a seeded random order (all of them, shuffled, when there are fewer). */
function sample(combinations: CandidateParams[], budget: number, seed: number): CandidateParams[] {
  const order = combinations.map((_, i) => i);
  new Random(seed).shuffle(order);
  return order.slice(0, budget).map((i) => combinations[i]!);
}

/** A 32-bit seed per candidate: murmur3's fmix32 of (seed, index), so neighbours are unrelated. */
export function candidateSeed(seed: number, index: number): number {
  let h = (seed + Math.imul(index + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 1; // 31 bits: seed + 1 (the shuffling) stays a valid seed
}
