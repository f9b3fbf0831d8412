// The user's own data from CSV (x, y and optionally an outlier column), with a message that names the row.
import Papa from 'papaparse';
import type { Points } from '../core/datasets';
import { BOUNDS, inBound, LIMITS, pointTooLarge } from '../core/messages';

export const CSV_MAX_BYTES = 2_000_000;
/** One bound for the user's own points (src/core/messages.ts). */
export const CSV_MAX_ROWS = LIMITS.maxPoints;

/** Why a file is too large to read at all (checked on its size, before its text is read), or null. */
export function importTooLarge(name: string, bytes: number): string | null {
  const csv = name.toLowerCase().endsWith('.csv');
  const limit = csv ? CSV_MAX_BYTES : LIMITS.maxFileBytes;
  if (bytes <= limit) return null;
  const mb = (b: number) => `${(b / 1e6).toFixed(b < 1e7 ? 1 : 0)} MB`;
  return `The file is ${mb(bytes)}; the limit for ${csv ? 'a CSV file' : 'a run file'} is ${mb(limit)}.`;
}

export type CsvResult = { ok: true; points: Points } | { ok: false; message: string };

// A header names its columns: neither of the first two cells is a number.
const isHeader = (cells: string[]) => cells.slice(0, 2).every((c) => c.trim() !== '' && Number.isNaN(Number(c)));

/** Parses x,y[,outlier] rows; a header row is allowed. Any bad row rejects the whole file. */
export function parseCsv(text: string): CsvResult {
  if (text.length > CSV_MAX_BYTES)
    return {
      ok: false,
      message: `The file is ${(text.length / 1e6).toFixed(1)} MB; the limit is ${CSV_MAX_BYTES / 1e6} MB.`,
    };
  if (text.trim() === '') return { ok: false, message: 'The file is empty.' };
  // Blank lines are skipped but still counted, so that a message names the row as the file numbers its lines.
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: false });
  let numbered = parsed.data
    .map((cells, i) => ({ cells, line: i + 1 }))
    .filter((r) => !(r.cells.length === 1 && r.cells[0].trim() === ''));
  if (numbered.length && isHeader(numbered[0].cells)) numbered = numbered.slice(1);
  const rows = numbered.map((r) => r.cells);
  if (rows.length < 2) return { ok: false, message: 'The file needs at least two data rows of x,y.' };
  if (rows.length > CSV_MAX_ROWS)
    return { ok: false, message: `The file has ${rows.length} rows; the limit is ${CSV_MAX_ROWS}.` };
  const x = new Float32Array(rows.length);
  const y = new Float32Array(rows.length);
  const isOutlier = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const line = numbered[i].line;
    if (row.length < 2 || row.length > 3)
      return { ok: false, message: `Row ${line} has ${row.length} column(s); expected x,y or x,y,outlier.` };
    const [xs, ys, os] = row.map((c) => c.trim());
    const xv = Number(xs);
    const yv = Number(ys);
    if (xs === '' || !Number.isFinite(xv))
      return { ok: false, message: `Row ${line}: x is not a finite number ("${xs}").` };
    if (ys === '' || !Number.isFinite(yv))
      return { ok: false, message: `Row ${line}: y is not a finite number ("${ys}").` };
    // The data are stored as float32 and squared by the losses: a bound keeps both finite (messages.ts BOUNDS.point).
    if (!inBound(xv, BOUNDS.point)) return { ok: false, message: `${pointTooLarge(`Row ${line}: x`, xs)}.` };
    if (!inBound(yv, BOUNDS.point)) return { ok: false, message: `${pointTooLarge(`Row ${line}: y`, ys)}.` };
    if (os !== undefined && !['0', '1', 'true', 'false', ''].includes(os.toLowerCase()))
      return { ok: false, message: `Row ${line}: the outlier column must be 0 or 1 ("${os}").` };
    x[i] = xv;
    y[i] = yv;
    isOutlier[i] = os === '1' || os?.toLowerCase() === 'true' ? 1 : 0;
  }
  if (Math.max(...x) === Math.min(...x))
    return { ok: false, message: 'Every x is the same; the fit needs a range of inputs.' };
  return { ok: true, points: { x, y, isOutlier } };
}
