// runProject: one project, every step: read and check, select by validation error on worker
// threads, test the chosen model once, save it and write the report. Node only (files, threads).
import { backend } from '../kernels/backend.js';
import { candidateList, type Candidate } from './candidates.js';
import { libraryVersion } from './library-version.js';
import { loadData } from './load-data.js';
import { ProgressTracker, type ProgressListener } from './progress.js';
import { readProjectSettings } from './read-settings.js';
import { reportHeader, selectionEntry, type ProjectReport } from './report.js';
import { reportCharts } from './report-charts.js';
import { bestCandidate, trainCandidates } from './select-model.js';
import { testBest } from './test-metrics.js';
import type { CandidateResult } from './train-candidate.js';
import { REPORT_MD, writeReport } from './write-report.js';
import { WorkerPool } from './worker-pool.js';

export interface RunProjectOptions {
  /** Called after every epoch of every candidate, and when testing starts and the run is done. */
  onProgress?: ProgressListener;
  /** Folder that relative paths in the project (data.file, output) start from. Default: the working directory. */
  baseDir?: string;
  /** Names the project in errors and in the report; `wasm-rnn run` passes the file's path. Default 'runProject'. */
  source?: string;
}

const MODEL_FILE = 'model.json';

/**
 * Runs a project (the object a project file holds; see docs/PROJECT.md) and resolves to its report,
 * which is also written to `output` with the chosen model. Bad settings and data throw ProjectError
 * before any training starts.
 */
export async function runProject(config: unknown, options: RunProjectOptions = {}): Promise<ProjectReport> {
  const started = performance.now();
  const { resolve, basename, extname, join } = await import('node:path');
  const { availableParallelism } = await import('node:os');
  const source = options.source ?? 'runProject';
  const baseDir = resolve(options.baseDir ?? '.');
  const settings = readProjectSettings(config, {
    source, resolvePath: (path) => resolve(baseDir, path), defaultWorkers: availableParallelism(),
    name: options.source === undefined ? 'project' : basename(source, extname(source)),
  });
  const candidates = candidateList(settings);
  const windows = [...new Set(candidates.map((c) => c.params.window ?? 0))];
  const data = await loadData(settings, windows);

  const tracker = new ProgressTracker(candidates.length, options.onProgress);
  const pool = await WorkerPool.start(Math.min(settings.workers, candidates.length), backend(), (report) => tracker.epoch(report));
  let results: CandidateResult[];
  try {
    const run = async (candidate: Candidate) => {
      const result = await pool.run({ candidate, source: data.source, train: settings.train });
      tracker.candidateDone(candidate.index);
      return result;
    };
    results = await trainCandidates(settings, candidates, run);
  } finally {
    await pool.close();
  }

  tracker.phase('testing');
  const best = bestCandidate(results);
  const tested = testBest(data.source, best, settings.data.season);
  try {
    if (tested.scaler !== null) tested.model.scaler = tested.scaler;
    if (data.tokenizer !== null) tested.model.tokenizer = data.tokenizer;
    const { mkdir } = await import('node:fs/promises');
    await mkdir(settings.output, { recursive: true });
    await tested.model.save(join(settings.output, MODEL_FILE));
  } finally {
    tested.model.dispose();
  }
  const body = {
    ...reportHeader(settings),
    data: { file: settings.data.file, summary: data.summary },
    selection: results.map(selectionEntry),
    best: { ...selectionEntry(best), history: best.history },
    test: tested.test, baselines: tested.baselines, trace: tested.trace,
    model: MODEL_FILE, version: await libraryVersion(), backend: backend(),
  };
  const charts = reportCharts(body);
  const report: ProjectReport = { ...body, files: { report: REPORT_MD, charts: charts.map((c) => c.file) }, totalMs: Math.round(performance.now() - started) };
  await writeReport(settings.output, report, charts);
  tracker.phase('done');
  return report;
}
