// Experiment reports as markdown: our tables, then the claims beside the papers'.
import type { Claim } from '../src/core/exportFile';
import { fmt, type ExperimentReport, type Table } from '../src/core/experiments';
import type { ClaimRate } from '../src/core/experiments/seeds';

export function markdownTable({ caption, header, rows }: Table): string {
  const line = (cells: (string | number)[]) =>
    `| ${cells.map((c) => (typeof c === 'number' ? fmt(c) : c)).join(' | ')} |`;
  const body = [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
  return caption ? `${caption}\n\n${body}` : body;
}

export function claimsTable(claims: Claim[]): string {
  return markdownTable({
    caption: '',
    header: ['claim', 'paper', 'ours', 'agrees'],
    rows: claims.map((c) => [c.claim, c.paper, c.ours, c.agrees ? 'yes' : '**no**']),
  });
}

/** The whole report: title, settings, how long it took, every table and the claims. */
export function markdownReport(r: ExperimentReport, opts: { seconds: number; quick: boolean; seed: number }): string {
  const quick = opts.quick ? '**Quick version** (short runs for the test suite; not the paper settings).\n\n' : '';
  const tables = [...r.tables.map(markdownTable), claimsTable(r.claims)].join('\n\n');
  return `# ${r.title}\n\n${quick}Settings: ${r.settings}; seed ${opts.seed}. Took ${opts.seconds.toFixed(0)} s.\n\n${tables}\n`;
}

/** A reproduction over seeds (scripts/reproduce.ts's record): claims as rates, then the last seed's tables. */
export function markdownSeedsReport(r: {
  title: string;
  settings: string;
  quick: boolean;
  ownSeeds: string | null;
  meta: { wallSeconds?: number; load: { start: number[]; end?: number[] }; machine: { nproc: number } };
  seeds: number[];
  claims: ClaimRate[];
  runs: { seed: number; tables: Table[] }[];
}): string {
  const quick = r.quick ? '**Quick version** (fewer runs; not the paper settings in full).\n\n' : '';
  const load = `load ${r.meta.load.start[0]}${r.meta.load.end ? `–${r.meta.load.end[0]}` : ''} on ${r.meta.machine.nproc} cores`;
  const rates = markdownTable({
    caption: '',
    header: ['claim', 'paper', 'verdict', 'per seed (ours)'],
    rows: r.claims.map((c) => [
      c.claim,
      c.paper,
      c.verdictText,
      c.perSeed.map((s) => `${s.seed}: ${s.agrees ? '✓' : '✗'} ${s.ours}`).join('; '),
    ]),
  });
  const last = r.runs[r.runs.length - 1];
  const tables = last.tables.map(markdownTable).join('\n\n');
  const seeds = r.ownSeeds ? `run once (${r.ownSeeds})` : `seeds ${r.seeds[0]}–${r.seeds[r.seeds.length - 1]}`;
  return `# ${r.title}\n\n${quick}Settings: ${r.settings}; ${seeds}. Took ${r.meta.wallSeconds?.toFixed(0)} s (${load}).\n\n${rates}\n\nSeed ${last.seed}'s figures:\n\n${tables}\n`;
}
