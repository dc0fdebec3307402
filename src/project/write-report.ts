// Writes the output folder: report.json, report.md and the charts (each file atomically).
import { nodeFileSystem, writeFileAtomic } from '../io/atomic-write.js';
import type { ProjectReport } from './report.js';
import type { Chart } from './report-charts.js';
import { reportMarkdown } from './report-markdown.js';

export const REPORT_JSON = 'report.json';
export const REPORT_MD = 'report.md';

export async function writeReport(folder: string, report: ProjectReport, charts: readonly Chart[]): Promise<void> {
  const fs = await nodeFileSystem('runProject');
  const { join } = await import('node:path');
  await fs.mkdir(folder, { recursive: true });
  for (const chart of charts) await writeFileAtomic(fs, join(folder, chart.file), chart.svg);
  await writeFileAtomic(fs, join(folder, REPORT_MD), reportMarkdown(report, charts));
  await writeFileAtomic(fs, join(folder, REPORT_JSON), `${JSON.stringify(report, null, 2)}\n`);
}
