import { ProjectError, runProject, type ProjectProgress, type ProjectReport } from '../index.js';
import { OptionReader, parseOptions, usage } from './args.js';
import { BACKEND_HELP, startBackend } from './backend.js';
import type { CliIO, Command } from './command.js';

const HELP = `Usage: wasm-rnn run <project.json> [options]

Runs a project file: reads and checks the data, trains every candidate of the selection
(in parallel worker threads) with early stopping on the validation split, keeps the one
with the lowest validation error, tests it once on the test split beside the baselines,
and writes report.json, report.md (with SVG charts) and model.json to the output folder.
Every key of the file and its default: docs/PROJECT.md.

  --quiet                  no progress line (it is shown only on a terminal anyway)
${BACKEND_HELP}

Example:
  wasm-rnn run examples/project/sunspots.json`;

const OPTIONS = { quiet: { type: 'boolean' }, backend: { type: 'string' } } as const;

export const run: Command = {
  name: 'run',
  summary: 'run a project file: select, train, test, report and save the best model',
  help: HELP,
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const hasFile = argv[0] !== undefined && !argv[0].startsWith('-');
    const file = hasFile ? argv[0] : undefined;
    const rest = hasFile ? argv.slice(1) : argv;
    const values = parseOptions('run', rest, OPTIONS);
    if (values.help === true) {
      io.out(HELP);
      return 0;
    }
    if (file === undefined) throw usage('run', 'wasm-rnn run: the project file is required, e.g. wasm-rnn run examples/project/sunspots.json');
    const options = new OptionReader('run', values);
    const config = await readProjectFile(file);
    await startBackend(options);
    const progress = options.flag('quiet') || process.stderr.isTTY !== true ? undefined : progressLine();
    const { dirname } = await import('node:path');
    let report: ProjectReport;
    try {
      report = await runProject(config, { baseDir: dirname(file), source: file, onProgress: progress });
    } catch (error) {
      if (error instanceof ProjectError) throw usage('run', error.message);
      throw error;
    } finally {
      if (progress !== undefined) process.stderr.write('\r\x1b[K');
    }
    for (const line of summary(report)) io.out(line);
    return 0;
  },
};

async function readProjectFile(file: string): Promise<unknown> {
  const { readFile } = await import('node:fs/promises');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw usage('run', `wasm-rnn run: cannot read the project file '${file}': ${(cause as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw usage('run', `wasm-rnn run: ${file} is not valid JSON: ${(cause as Error).message}`);
  }
}

/** One line redrawn in place on stderr: candidate i of n, epoch, losses, ETA. */
function progressLine(): (progress: ProjectProgress) => void {
  let lastDraw = 0;
  return (p) => {
    const now = performance.now();
    if (p.phase === 'training' && now - lastDraw < 100) return;
    lastDraw = now;
    const text = p.phase === 'testing' ? 'testing the chosen model…'
      : p.phase === 'done' ? ''
        : `candidate ${p.candidate}/${p.candidates} · epoch ${p.epoch}/${p.epochs} · loss ${p.loss.toFixed(4)} · val_loss ${p.validationLoss.toFixed(4)} · ${p.finished} done · ETA ${eta(p.etaMs)}`;
    process.stderr.write(`\r\x1b[K${text.slice(0, (process.stderr.columns ?? 120) - 1)}`);
  };
}

function eta(ms: number | null): string {
  if (ms === null) return '…';
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

function summary(report: ProjectReport): string[] {
  const params = Object.entries(report.best.params).map(([key, value]) => `${key} ${value}`).join(', ');
  const metrics = (m: object) => Object.entries(m).filter(([key]) => key !== 'confusion').map(([key, value]) => `${key} ${typeof value === 'number' ? value.toPrecision(4) : '–'}`).join(', ');
  return [
    `data: ${report.data.summary}`,
    `selection: ${plural(report.selection.length, 'candidate')} (${report.strategy}) on ${plural(report.workers, 'worker')} in ${(report.totalMs / 1000).toFixed(1)} s (${report.backend})`,
    `best: candidate ${report.best.index + 1} (${params}): validation loss ${report.best.validationLoss.toPrecision(4)} after ${report.best.epochs} epochs`,
    `test: ${metrics(report.test)}`,
    ...Object.entries(report.baselines).map(([name, m]) => `baseline ${name}: ${metrics(m)}`),
    `wrote ${report.files.report}, report.json, ${report.model} and ${report.files.charts.length} charts to ${report.output}`,
  ];
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
