// report.md: the readable report, with the selection table, test metrics beside the baselines,
// and the charts (SVG files beside it).
import type { ProjectReport } from './report.js';
import type { Chart } from './report-charts.js';
import type { TestMetrics } from './test-metrics.js';

export function reportMarkdown(report: ProjectReport, charts: readonly Chart[]): string {
  const keys = Object.keys(report.selection[0]!.params) as (keyof ProjectReport['best']['params'])[];
  const lines = [
    `# Project report: ${report.project}`,
    '',
    `Task **${report.task}** · ${report.data.summary}.`,
    '',
    `wasm-rnn ${report.version} on the ${report.backend} backend · ${report.selection.length} candidates (${report.strategy}) on ${report.workers} worker${report.workers === 1 ? '' : 's'} · ${(report.totalMs / 1000).toFixed(1)} s in all.`,
    '',
    '## Selection',
    '',
    'Each candidate trained with early stopping on the validation split; the lowest validation loss is chosen (**bold**). The test split played no part in the choice.',
    '',
    `| # | ${keys.join(' | ')} | training loss | validation loss | epochs | best epoch | seconds |`,
    `|---|${keys.map(() => '---').join('|')}|---|---|---|---|---|`,
    ...report.selection.map((entry) => {
      const mark = (text: string) => (entry.index === report.best.index ? `**${text}**` : text);
      const cells = [String(entry.index + 1), ...keys.map((key) => String(entry.params[key])), entry.trainingLoss.toPrecision(4), entry.validationLoss.toPrecision(4), String(entry.epochs), String(entry.bestEpoch), (entry.ms / 1000).toFixed(1)];
      return `| ${cells.map(mark).join(' | ')} |`;
    }),
    '',
    '## Test',
    '',
    ...metricsTable(report),
    '',
    ...confusion(report.test),
    `The chosen model is saved as [${report.model}](${report.model}) (load it with \`loadModel\`, or \`wasm-rnn predict --model ${report.model}\`).` +
      (report.difference ? ' It was trained on differences (data.difference: true): its forecasts are changes from the last value.' : ''),
    '',
    ...charts.flatMap((c) => [`## ${c.title}`, '', `![${c.title}](${c.file})`, '']),
  ];
  return lines.join('\n');
}

function metricsTable(report: ProjectReport): string[] {
  const rows: [string, TestMetrics][] = [['chosen model', report.test], ...Object.entries(report.baselines).map(([name, metrics]): [string, TestMetrics] => [`baseline: ${name}`, metrics])];
  const names = Object.keys(report.test).filter((key) => key !== 'confusion');
  return [
    `| | ${names.join(' | ')} |`,
    `|---|${names.map(() => '---').join('|')}|`,
    ...rows.map(([label, metrics]) => `| ${label} | ${names.map((name) => format((metrics as unknown as Record<string, number | null>)[name])).join(' | ')} |`),
  ];
}

function confusion(test: TestMetrics): string[] {
  if (!('confusion' in test) || test.confusion === undefined) return [];
  const classes = test.confusion.length;
  return [
    'Confusion matrix (rows: true class, columns: predicted class):',
    '',
    `| | ${Array.from({ length: classes }, (_, c) => c).join(' | ')} |`,
    `|---|${Array.from({ length: classes }, () => '---').join('|')}|`,
    ...test.confusion.map((row, c) => `| **${c}** | ${row.join(' | ')} |`),
    '',
  ];
}

function format(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : value.toPrecision(4);
}
