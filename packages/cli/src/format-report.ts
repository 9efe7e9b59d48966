import type { ModelSummary, RunReport } from '@whittle/kernel';

/** The report as a table: one row for the initial model and one per stage. */
export function formatReportTable(report: RunReport): string {
  const rows: string[][] = [['stage', 'params', 'MACs', 'accuracy', 'latency ms', 'time s']];
  const row = (label: string, m: ModelSummary | undefined, seconds?: number): string[] => [
    label,
    m === undefined ? '' : m.params.toLocaleString('en-US'),
    m === undefined ? '' : m.macs.toLocaleString('en-US'),
    m?.accuracy === undefined ? '' : `${(m.accuracy * 100).toFixed(2)}%`,
    m?.latencyMs === undefined ? '' : m.latencyMs.toFixed(2),
    seconds === undefined ? '' : seconds.toFixed(1),
  ];
  rows.push(row('initial', report.initial));
  for (const stage of report.stages) rows.push(row(`${stage.index}: ${stage.label}${stage.status === 'failed' ? ' (failed)' : ''}`, stage.model, stage.durationMs / 1000));
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const lines = rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return `${lines.join('\n')}\n\nbackend ${report.backend}, seed ${report.seed}, status ${report.status}${report.finalModel === undefined ? '' : `, final model in ${report.finalModel}/`}\n`;
}
