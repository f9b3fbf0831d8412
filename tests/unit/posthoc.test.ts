// Post-hoc methods in the snapshot (issue 26): the calibration share is held back from training, every model gets
// its conformal fit and band from the share's μ̂, σ̂ as read, the recalibrated block sits beside the model's own,
// and a run without post-hoc settings is exactly as before. WASM backend, a few steps.
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../src/platform/node';
import { Engine } from '../../src/core/engine';
import { DEFAULT_TRAIN, modelSpec, withIds, type TrainSettings } from '../../src/core/config';
import { defaultDataSpec, makeHeldOut, makePoints } from '../../src/core/datasets';
import {
  calibrationSplit,
  DEFAULT_POSTHOC,
  flattenPosthoc,
  posthocBlock,
  worstBinGap,
  type PosthocSettings,
} from '../../src/core/posthoc';
import { splitConformal } from '../../src/core/conformal';

const SPEC = { ...defaultDataSpec('hetero-sine'), n: 300 };
const POINTS = makePoints(SPEC);
const BASE: TrainSettings = {
  ...DEFAULT_TRAIN,
  batchSize: 64,
  warmupMeanSteps: 5,
  warmupNllSteps: 5,
  architecture: { ...DEFAULT_TRAIN.architecture, hidden: [16] },
};
const MODELS = withIds([
  modelSpec('nll'),
  modelSpec('robust-nll', { T: 16 }),
  modelSpec('mse'),
  modelSpec('nll', { ensemble: 3 }),
]);

beforeAll(async () => {
  expect(await useNodeBackend('wasm')).toBe('wasm');
});

describe('the calibration split', () => {
  it('holds back round(share·n) points on its own stream, the same ones every time; clean drops their outliers', () => {
    const s = calibrationSplit(POINTS, DEFAULT_POSTHOC);
    expect(s.calibration!.x.length).toBe(60);
    expect(s.x.length).toBe(240);
    expect(calibrationSplit(POINTS, DEFAULT_POSTHOC).calibration!.x).toEqual(s.calibration!.x);
    const clean = calibrationSplit(POINTS, { ...DEFAULT_POSTHOC, calibration: 'clean' });
    const dirty = s.calibration!.isOutlier.reduce((a, o) => a + o, 0);
    expect(dirty).toBeGreaterThan(0);
    expect(clean.calibration!.x.length).toBe(60 - dirty);
    expect(clean.calibration!.isOutlier.every((o) => o === 0)).toBe(true);
    // The training points do not depend on the switch.
    expect(clean.x).toEqual(s.x);
    expect(calibrationSplit(POINTS, undefined)).toBe(POINTS);
  });
});

describe('post-hoc figures in the snapshot', () => {
  it('fit q̂ on the calibration share as read, judge both bands on the held-out set and recalibrate every set', async () => {
    const posthoc: PosthocSettings = { ...DEFAULT_POSTHOC, recalibration: 'isotonic' };
    const train = { ...BASE, posthoc };
    const points = calibrationSplit(POINTS, posthoc);
    const engine = new Engine(
      points,
      SPEC,
      [...MODELS.slice(0, 3), ...Array.from({ length: 3 }, (_, k) => ({ ...MODELS[3], id: k ? `m4~${k + 1}` : 'm4' }))],
      train,
    );
    try {
      engine.run(30);
      const { snapshot } = await engine.frame(false);
      expect(snapshot.posthoc).toEqual({
        settings: posthoc,
        n: 60,
        outliers: points.calibration!.isOutlier.reduce((a, o) => a + o, 0),
      });
      const nll = snapshot.models.find((m) => m.id === 'm1')!;
      const ph = nll.posthoc!;
      expect(ph.conformal.n).toBe(60);
      expect(ph.conformal.k).toBe(55);
      expect(ph.conformal.z).toBeCloseTo(1.6449, 4);
      expect(Number.isFinite(ph.conformal.q)).toBe(true);
      expect(ph.gridHalfWidth.length).toBe(snapshot.grid.length);
      expect(ph.coverage.n).toBe(makeHeldOut(SPEC).x.length);
      expect(ph.alongX.conformal.counts.reduce((a, c) => a + c, 0)).toBe(400);
      // A mean-only model has no σ̂ to conform; an ensemble conforms its mixture.
      expect(snapshot.models.find((m) => m.id === 'm3')!.posthoc).toBeNull();
      expect(snapshot.models.find((m) => m.id === 'm4')!.posthoc!.conformal.n).toBe(60);
      const rec = nll.uncertainty!.recalibrated!;
      expect(rec.kind).toBe('isotonic');
      expect(rec.heldOut!.n).toBe(400);
      expect(rec.inliers!.n + rec.outliers!.n).toBe(240);
      expect(snapshot.models.find((m) => m.id === 'm4')!.uncertainty!.recalibrated!.heldOut).not.toBeNull();
      const flat = flattenPosthoc(ph);
      expect(flat['posthoc.q']).toBe(ph.conformal.q);
      expect(flat['posthoc.xGapConformal']).toBe(worstBinGap(ph.alongX.conformal, 0.9));
    } finally {
      engine.dispose();
    }
  });
  it('takes a new level, score or recalibration live (same split), and refuses what would move the split', async () => {
    const train = { ...BASE, posthoc: DEFAULT_POSTHOC };
    const engine = new Engine(calibrationSplit(POINTS, DEFAULT_POSTHOC), SPEC, MODELS.slice(0, 1), train);
    try {
      engine.run(20);
      const before = (await engine.frame(false)).snapshot.models[0].posthoc!;
      expect(engine.setPosthoc({ ...DEFAULT_POSTHOC, level: 0.5, recalibration: 'isotonic' })).toBe(true);
      const { snapshot } = await engine.frame(false);
      const after = snapshot.models[0].posthoc!;
      expect(after.conformal.level).toBe(0.5);
      expect(after.conformal.q).toBeLessThan(before.conformal.q);
      expect(snapshot.models[0].uncertainty!.recalibrated!.kind).toBe('isotonic');
      expect(engine.setPosthoc({ ...DEFAULT_POSTHOC, share: 0.3 })).toBe(false);
      expect(engine.setPosthoc({ ...DEFAULT_POSTHOC, calibration: 'clean' })).toBe(false);
    } finally {
      engine.dispose();
    }
  });
  it('leaves a run without post-hoc settings as it was: no block, every point trained', async () => {
    const engine = new Engine(POINTS, SPEC, MODELS.slice(0, 1), BASE);
    try {
      engine.run(2);
      const { snapshot } = await engine.frame(false);
      expect(snapshot.posthoc).toBeUndefined();
      expect(snapshot.models[0].posthoc).toBeUndefined();
      expect(snapshot.models[0].uncertainty!.recalibrated).toBeUndefined();
      expect(snapshot.models[0].weight.length).toBe(300);
    } finally {
      engine.dispose();
    }
  });
});

describe('posthocBlock', () => {
  it('says the band is infinite when the share is too small for the level, and compares q̂ with z by hand', () => {
    const cal = { mu: [0, 0, 0, 0, 0], sigma: [1, 1, 1, 1, 1], y: [0.5, -1, 2, -3, 0.1] };
    const held = { x: [0, 1], mu: [0, 0], sigma: [1, 1], y: [0.2, 5] };
    const b = posthocBlock({ ...DEFAULT_POSTHOC, level: 0.9 }, { kind: 'gaussian' }, cal, held, [1, 2], [0, 1])!;
    // n = 5 < 9: ⌈6 × 0.9⌉ = 6 > 5.
    expect(b.conformal.q).toBe(Infinity);
    expect(b.coverage.conformal).toBe(1);
    expect(Array.from(b.gridHalfWidth)).toEqual([Infinity, Infinity]);
    const b2 = posthocBlock({ ...DEFAULT_POSTHOC, level: 0.5 }, { kind: 'gaussian' }, cal, held, [1, 2], [0, 1])!;
    // ⌈6 × 0.5⌉ = 3: scores 0.1, 0.5, 1, 2, 3 → q̂ = 1; z(0.5) = 0.674.
    expect(b2.conformal.q).toBe(splitConformal('normalised', 0.5, cal).q);
    expect(b2.conformal.q).toBe(1);
    expect(b2.learned).toBeCloseTo(0.6745, 4);
    expect(b2.coverage).toEqual({ learned: 0.5, conformal: 0.5, n: 2 });
    expect(posthocBlock(DEFAULT_POSTHOC, { kind: 'none' }, cal, held, [1], [0, 1])).toBeNull();
  });
});

describe('the worst bin along x', () => {
  it('is the largest |share − level| over bins with enough points, exact where the decimals are (a bin at 100 % is 0.1 off 90 %)', () => {
    const c = { edges: [0, 1, 2, 3], share: [1, 0.85, 0.2], counts: [10, 20, 4] };
    // 1 − 0.9 is 0.09999999999999998 in float64: the gap is 0.1, as a claim's bound "≥ 0.1" means it.
    expect(worstBinGap(c, 0.9)).toBe(0.1);
    // The third bin (4 points, under the minimum of 5) is left out: its 0.7 does not count.
    expect(worstBinGap(c, 0.9, 5)).toBe(0.1);
    expect(worstBinGap(c, 0.9, 4)).toBeCloseTo(0.7, 12);
  });
});
