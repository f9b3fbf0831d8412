// Real data sets (issue 26): the points each file gives, and each set's source and licence as the package's own
// datapackage.json states them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REAL_DATASET_IDS, REAL_DATASETS, realPoints, VEGA_DATASETS } from '../../src/core/realData';
import { loadRealPoints } from '../../src/core/realDataLoad';

const pkgDir = new URL('../../node_modules/vega-datasets/', import.meta.url);
const datapackage = JSON.parse(readFileSync(new URL('datapackage.json', pkgDir), 'utf8'));

describe('real data sets from vega-datasets', () => {
  it('come from the pinned version of the package', () => {
    expect(JSON.parse(readFileSync(new URL('package.json', pkgDir), 'utf8')).version).toBe(VEGA_DATASETS.version);
    expect(datapackage.licenses[0].name).toBe('BSD-3-Clause');
  });
  it('give the finite (x, y) pairs of their file: 392 cars, 11 points of series III, 342 penguins, 52 wheat prices', async () => {
    const sizes = Object.fromEntries(
      await Promise.all(REAL_DATASET_IDS.map(async (id) => [id, (await loadRealPoints(id)).x.length])),
    );
    expect(sizes).toEqual({ cars: 392, 'anscombe-3': 11, penguins: 342, wheat: 52 });
    const a = await loadRealPoints('anscombe-3');
    // Series III's outlier: (13, 12.74).
    expect(Array.from(a.x).indexOf(13)).toBeGreaterThanOrEqual(0);
    expect(a.y[Array.from(a.x).indexOf(13)]).toBeCloseTo(12.74, 5);
    expect((await loadRealPoints('penguins')).y[0]).toBeCloseTo(3.75, 6);
    expect(Array.from(a.isOutlier).every((v) => v === 0)).toBe(true);
  });
  it('drop records with a missing or non-numeric field, and read numeric strings (wheat’s years)', () => {
    const p = realPoints('wheat', [
      { year: '1565', wheat: 41 },
      { year: '1570' },
      { year: 'x', wheat: 3 },
      { year: '1575', wheat: null },
    ]);
    expect(Array.from(p.x)).toEqual([1565]);
  });
  it("state each file's source and licence as the package's metadata does (its own, else the package's)", () => {
    for (const id of REAL_DATASET_IDS) {
      const d = REAL_DATASETS[id];
      const r = datapackage.resources.find((x: { path: string }) => x.path === d.file);
      expect(r, d.file).toBeTruthy();
      expect(d.source).toBe(r.sources.map((s: { title: string }) => s.title).join('; '));
      const own = r.licenses?.[0];
      expect(d.licence).toBe(own ? (own.name ?? own.title) : VEGA_DATASETS.licence);
    }
  });
});
