import type { ProjectSettings, StrategyName, Task } from './settings.js';
import type { ForecastTrace, TestMetrics } from './test-metrics.js';
import type { CandidateResult } from './train-candidate.js';

/** One row of the selection table: a candidate's result without its curves and model. */
export type SelectionEntry = Omit<CandidateResult, 'history' | 'model'>;

/** What runProject returns and report.json holds. */
export interface ProjectReport {
  task: Task;
  /** The project file (or 'runProject'). */
  project: string;
  data: { file: string; summary: string };
  strategy: StrategyName;
  /** Every candidate trained, in index order. */
  selection: SelectionEntry[];
  /** The candidate with the lowest validation loss, with its per-epoch losses. */
  best: SelectionEntry & { history: CandidateResult['history'] };
  /** The chosen model on the test split (used once, after the choice). */
  test: TestMetrics;
  /** Forecast: naive (and seasonal); classify: majority; text: unigram. */
  baselines: Record<string, TestMetrics>;
  /** Forecast: the test split's actual values and forecasts, one step ahead (for the charts). */
  trace: ForecastTrace | null;
  /** The output folder (absolute). */
  output: string;
  /** The saved model, relative to the output folder. */
  model: string;
  /** The readable report and its charts, relative to the output folder. */
  files: { report: string; charts: string[] };
  /** forecast with difference: true: the saved model forecasts changes, not values. */
  difference: boolean;
  version: string;
  backend: string;
  workers: number;
  totalMs: number;
}

export function selectionEntry(result: CandidateResult): SelectionEntry {
  const { index, params, seed, trainingLoss, validationLoss, epochs, bestEpoch, ms } = result;
  return { index, params, seed, trainingLoss, validationLoss, epochs, bestEpoch, ms };
}

/** The parts of a report that come from the settings alone. */
export function reportHeader(settings: ProjectSettings): Pick<ProjectReport, 'task' | 'project' | 'strategy' | 'workers' | 'difference' | 'output'> {
  return {
    task: settings.task, project: settings.source, strategy: settings.select.strategy, workers: settings.workers,
    difference: settings.task === 'forecast' && settings.data.difference, output: settings.output,
  };
}
