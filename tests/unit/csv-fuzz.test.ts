// parseCsv against arbitrary text: it never throws, and either returns usable float32 data or a message.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/app/csv';

const FLOAT32_MAX = 3.4028234663852886e38;
import { BOUNDS } from '../../src/core/messages';

/** The invariant every input must satisfy. */
function checkResult(text: string): void {
  let r: ReturnType<typeof parseCsv>;
  try {
    r = parseCsv(text);
  } catch (e) {
    throw new Error(`parseCsv threw on ${JSON.stringify(text.slice(0, 200))}: ${String(e)}`, { cause: e });
  }
  if (r.ok) {
    const { x, y, isOutlier } = r.points;
    expect(x).toBeInstanceOf(Float32Array);
    expect(y).toBeInstanceOf(Float32Array);
    expect(x.length).toBeGreaterThanOrEqual(2);
    expect(y.length).toBe(x.length);
    expect(isOutlier.length).toBe(x.length);
    for (let i = 0; i < x.length; i++) {
      if (!Number.isFinite(x[i]) || !Number.isFinite(y[i]))
        throw new Error(`non-finite value at ${i} from ${JSON.stringify(text.slice(0, 200))}`);
      // Issue 24: within BOUNDS.point, so the losses squaring them stay finite in float32.
      expect(Math.abs(x[i]) <= BOUNDS.point.max && Math.abs(y[i]) <= BOUNDS.point.max).toBe(true);
      expect(isOutlier[i] === 0 || isOutlier[i] === 1).toBe(true);
    }
  } else {
    expect(typeof r.message).toBe('string');
    // A clear message: one of the catalogue's sentences (the quoted cell may hold anything), not a stack trace.
    expect(r.message).toMatch(/^(Row \d+[: ]|The file |Every x )/);
    expect(r.message).not.toMatch(/^Row (0|NaN|undefined)\b/);
  }
}

// Numbers as a user (or a hostile file) might write them: huge, tiny, signed, exponent forms, hex, junk.
const numberText = fc.oneof(
  fc.double({ noNaN: false }).map(String),
  fc.double({ min: -1e40, max: 1e40 }).map((v) => v.toExponential()),
  fc.constantFrom(
    '1e39',
    '-1e39',
    '3.4028234663852886e38',
    '3.5e38',
    '1e-50',
    '-0',
    '0x10',
    'Infinity',
    '-Infinity',
    'NaN',
    '',
    ' ',
    '1e',
    '.',
    '+5',
    '١',
    '1,5',
  ),
  fc.integer({ min: -1000, max: 1000 }).map(String),
);
const cell = fc.oneof(
  numberText,
  fc.constantFrom('"1"', '"2,3"', '"', '""', 'x', 'true', 'false', '0', '1', 'maybe'),
  fc.string({ maxLength: 6 }),
);
const delimiter = fc.constantFrom(',', ';', '\t', '|', ' ');
const newline = fc.constantFrom('\n', '\r\n', '\r', '\n\n');
const structured = fc
  .tuple(
    fc.boolean(),
    fc.boolean(),
    delimiter,
    newline,
    fc.array(fc.array(cell, { minLength: 0, maxLength: 4 }), { minLength: 0, maxLength: 8 }),
  )
  .map(
    ([bom, header, d, nl, rows]) =>
      (bom ? '\uFEFF' : '') + (header ? `x${d}y${nl}` : '') + rows.map((r) => r.join(d)).join(nl),
  );
// Mostly well-formed files whose numbers span float64, so that valid files are common and huge values reach the float32 store.
const wideNumber = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: -9, max: 9 }));
const nearlyValid = fc
  .tuple(
    fc.boolean(),
    fc.array(fc.tuple(wideNumber, wideNumber, fc.constantFrom('', ',0', ',1')), { minLength: 2, maxLength: 6 }),
  )
  .map(([header, rows]) => (header ? 'x,y\n' : '') + rows.map(([a, b, o]) => `${a},${b}${o}`).join('\n'));
const bytes = fc.uint8Array({ maxLength: 64 }).map((b) => String.fromCharCode(...b));

describe('CSV fuzz', () => {
  it('never throws, and returns finite float32 columns of equal length or a message (10⁴ cases)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          structured,
          nearlyValid,
          bytes,
          fc.string({ maxLength: 80 }),
          fc.string({ unit: 'binary', maxLength: 40 }),
        ),
        checkResult,
      ),
      {
        numRuns: 10_000,
        seed: 20261124,
      },
    );
  });

  it('accepts ±1e9 (BOUNDS.point) and rejects beyond it, the largest float32 included (squared, it overflows)', () => {
    const ok = parseCsv(`0,${BOUNDS.point.max}\n1,${BOUNDS.point.min}\n`);
    expect(ok.ok).toBe(true);
    if (ok.ok) expect(Array.from(ok.points.y)).toEqual([BOUNDS.point.max, BOUNDS.point.min]);
    for (const v of [BOUNDS.point.max * 1.000001, FLOAT32_MAX, FLOAT32_MAX * (1 + 2 ** -24)]) {
      const r = parseCsv(`0,1\n1,${v}\n`);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/Row 2: y is too large .*the limit is ±1e\+9/);
    }
  });
});
