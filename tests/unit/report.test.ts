// Markdown of experiment reports (scripts/report.ts): numbers rounded as docs/ quotes them, claims last.
import { describe, expect, it } from 'vitest';
import { claimsTable, markdownTable } from '../../scripts/report';

describe('experiment report markdown', () => {
  it('writes a captioned table with numbers rounded to 3 decimals or in exponent form', () => {
    expect(
      markdownTable({
        caption: 'RMSE',
        header: ['step', 'NLL'],
        rows: [
          [100, 0.123456],
          [1000, 1.5e-5],
        ],
      }),
    ).toBe('RMSE\n\n| step | NLL |\n| --- | --- |\n| 100 | 0.123 |\n| 1000 | 1.50e-5 |');
    expect(markdownTable({ caption: '', header: ['a'], rows: [[Infinity]] })).toBe('| a |\n| --- |\n| Infinity |');
  });
  it('marks a claim that does not hold in bold', () => {
    expect(claimsTable([{ claim: 'c', paper: 'p', ours: 'o', agrees: false }])).toContain('| c | p | o | **no** |');
  });
});
