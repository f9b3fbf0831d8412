// Experiment reports as markdown: our tables, then the claims beside the papers'.
import type { Claim } from '../src/core/exportFile';
import { fmt, type ExperimentReport, type Table } from '../src/core/experiments';

export function markdownTable({ caption, header, rows }: Table): string {
  const line = (cells: (string | number)[]) => `| ${cells.map((c) => (typeof c === 'number' ? fmt(c) : c)).join(' | ')} |`;
  const body = [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
  return caption ? `${caption}\n\n${body}` : body;
}

export function claimsTable(claims: Claim[]): string {
  return markdownTable({ caption: '', header: ['claim', 'paper', 'ours', 'agrees'], rows: claims.map((c) => [c.claim, c.paper, c.ours, c.agrees ? 'yes' : '**no**']) });
}

/** The whole report: title, settings, how long it took, every table and the claims. */
export function markdownReport(r: ExperimentReport, opts: { seconds: number; quick: boolean; seed: number }): string {
  const quick = opts.quick ? '**Quick version** (short runs for the test suite; not the paper settings).\n\n' : '';
  const tables = [...r.tables.map(markdownTable), claimsTable(r.claims)].join('\n\n');
  return `# ${r.title}\n\n${quick}Settings: ${r.settings}; seed ${opts.seed}. Took ${opts.seconds.toFixed(0)} s.\n\n${tables}\n`;
}
