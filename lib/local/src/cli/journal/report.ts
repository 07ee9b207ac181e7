/** The parity report for people: figures per entity type side by side, then each difference. */
import type { ParityReport } from '../../ops/journal/parity.ts';

const pair = (a: number, b: number) => (a === b ? `${a}` : `${a} ≠ ${b}`);

export function describeReport(report: ParityReport): string {
  const lines = [`Parity of ${report.source} (source) and ${report.target} (copy):`];
  for (const [type, { source, target }] of Object.entries(report.types).sort()) {
    const sums = [...new Set([...Object.keys(source.sums), ...Object.keys(target.sums)])]
      .sort()
      .map((key) => `${key} ${pair(source.sums[key] ?? 0, target.sums[key] ?? 0)}`);
    lines.push(
      `  ${type}: streams ${pair(source.streams, target.streams)}, events ${pair(source.events, target.events)}${sums.length > 0 ? `, ${sums.join(', ')}` : ''}`,
    );
  }
  for (const [label, count] of Object.entries(report.otherItems).sort()) {
    lines.push(`  ${label}: items ${pair(count.source, count.target)}`);
  }
  const { sample, streamsCompared } = report.payloads;
  lines.push(
    `  payloads: ${streamsCompared} stream(s) compared item by item${sample < 1 ? ` (a sample of ${sample})` : ' (all)'}`,
  );
  if (report.clean) {
    lines.push('Clean: the copy holds what the journal holds.');
    return lines.join('\n');
  }
  lines.push(`${report.differenceCount} difference(s):`);
  for (const d of report.differences) lines.push(`  ${d.kind.padEnd(8)} ${d.where}  ${d.detail}`);
  if (report.differenceCount > report.differences.length)
    lines.push(
      `  … and ${report.differenceCount - report.differences.length} more (--json lists the first 1,000)`,
    );
  return lines.join('\n');
}
