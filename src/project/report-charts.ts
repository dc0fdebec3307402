// The SVG charts of the report: selection error per candidate, the chosen candidate's loss curves,
// and for forecasts the test split against the forecast and the residuals.
import type { ProjectReport } from './report.js';
import { lineChartSvg } from './svg-chart.js';

export interface Chart {
  /** File name in the output folder. */
  file: string;
  title: string;
  svg: string;
}

export function reportCharts(report: Omit<ProjectReport, 'files' | 'totalMs'>): Chart[] {
  const charts: Chart[] = [];
  const number = report.selection.map((entry) => entry.index + 1);
  charts.push(chart('selection.svg', 'Selection: loss of every candidate (lower is better)', [
    { name: 'validation loss (chooses)', x: number, y: report.selection.map((e) => e.validationLoss), color: '#d62728' },
    { name: 'training loss', x: number, y: report.selection.map((e) => e.trainingLoss), color: '#1f77b4', dashed: true },
  ], 'candidate', 'loss'));
  const { loss, validationLoss } = report.best.history;
  const epochs = loss.map((_, i) => i + 1);
  charts.push(chart('loss.svg', `Candidate ${report.best.index + 1} (chosen): loss per epoch`, [
    { name: 'training loss', x: epochs, y: loss, color: '#1f77b4' },
    { name: `validation loss (best at epoch ${report.best.bestEpoch})`, x: epochs, y: validationLoss, color: '#d62728' },
  ], 'epoch', 'loss'));
  const trace = report.trace;
  if (trace !== null) {
    charts.push(chart('forecast.svg', 'Test split: forecast against actual (one step ahead)', [
      { name: 'actual', x: trace.position, y: trace.actual, color: '#222' },
      { name: 'forecast', x: trace.position, y: trace.forecast, color: '#d62728' },
      { name: 'naive (last value)', x: trace.position, y: trace.naive, color: '#1f77b4', dashed: true },
    ], 'position in the series', 'value'));
    charts.push(chart('residuals.svg', 'Test split: residuals (actual − forecast)', [
      { name: 'residual', x: trace.position, y: trace.actual.map((a, i) => a - trace.forecast[i]!), color: '#9467bd' },
      { name: 'zero', x: [trace.position[0]!, trace.position.at(-1)!], y: [0, 0], color: '#888', dashed: true },
    ], 'position in the series', 'actual − forecast'));
  }
  return charts;
}

function chart(file: string, title: string, series: Parameters<typeof lineChartSvg>[0], xLabel: string, yLabel: string): Chart {
  return { file, title, svg: lineChartSvg(series, { title, xLabel, yLabel }) };
}
