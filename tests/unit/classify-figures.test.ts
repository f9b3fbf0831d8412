// The classification views' pure parts: the embedding figure exact at D = 2 and a labelled projection at D = 8,
// the hovered anchor's partners joined to it, and the mining text for each case.
import { describe, expect, it } from 'vitest';
import { makeClassData, DEFAULT_CLASS_DATA } from '../../src/core/classify/data';
import type { ClassFields } from '../../src/core/classify/evaluate';
import type { ClassMining } from '../../src/core/classify/mining';
import { embeddingFigure, miningText } from '../../src/app/classify/figures';

const data = makeClassData({ ...DEFAULT_CLASS_DATA, n: 200 });
const n = 200;
const fields = (d: number): ClassFields => ({
  gridSize: 2,
  radius: 2,
  probs: new Float32Array(8),
  score: new Float32Array(4),
  mu: Float32Array.from({ length: n * d }, (_, i) => Math.sin(i * 0.7) * (1 + (i % d))),
  sigma: new Float32Array(n * d).fill(0.5),
  trainScore: new Float32Array(n),
  classifier: Float32Array.from({ length: d * 2 }, (_, i) => (i % 2 ? 1 : -1) * (1 + i)),
});
// A 2-anchor batch: 5 with positive 7 and negative 9 (mined), 7 with 5 and 11 (random); weights per member and dim.
const mining: ClassMining = {
  step: 41,
  anchors: Int32Array.from([5, 7]),
  pos: Int32Array.from([7, 5]),
  neg: Int32Array.from([9, 11]),
  hard: Uint8Array.from([1, 0]),
  weights: Float32Array.from([0.5, 0.2, 0.3, 0.3, 0.25, 0.4, 0.3, 0.3, 0.25, 0.4, 0.4, 0.4]),
  members: 3,
  dims: 2,
};

describe('embedding figure', () => {
  it('D = 2: μ drawn exactly (the points are μ itself), axes μ1 and μ2', () => {
    const f = embeddingFigure('t', fields(2), data.train, 2, 2);
    const pts = f.data.filter((t) => String(t.name).startsWith('label'));
    const first = pts[0] as { x: number[]; y: number[]; customdata: number[] };
    const i = first.customdata[0];
    expect(first.x[0]).toBeCloseTo(fields(2).mu[2 * i], 6);
    expect(first.y[0]).toBeCloseTo(fields(2).mu[2 * i + 1], 6);
    expect(JSON.stringify(f.layout)).toContain('μ1');
    expect(String((f.layout.title as { text: string }).text)).not.toContain('projection');
  });

  it('D = 8: a projection, so labelled, its axes the principal components with their shares', () => {
    const f = embeddingFigure('t', fields(8), data.train, 8, 2);
    expect(String((f.layout.title as { text: string }).text)).toContain('projection of R^8');
    expect(JSON.stringify(f.layout)).toMatch(/PC1 of μ \(\d+ %\)/);
  });

  it('hovering an anchor joins it to its positive and negative; a non-anchor draws no partners', () => {
    const f = embeddingFigure('t', fields(2), data.train, 2, 2, mining, 5);
    const pos = f.data.find((t) => t.name === 'positive') as { x: number[] };
    const neg = f.data.find((t) => t.name === 'negative') as { x: number[] };
    expect(pos.x).toEqual([fields(2).mu[10], fields(2).mu[14]]);
    expect(neg.x).toEqual([fields(2).mu[10], fields(2).mu[18]]);
    expect(embeddingFigure('t', fields(2), data.train, 2, 2, mining, 6).data.some((t) => t.name === 'positive')).toBe(
      false,
    );
  });
});

describe('mining text', () => {
  it('names the partners, how they were drawn, and w, w⁺, w⁻ per dimension at D = 2', () => {
    expect(miningText(mining, 5, 'ALUM')).toBe(
      'Anchor 5 (step 41), mined partners (eq. 10): positive 7, negative 9; w = (0.50, 0.20), w⁺ = (0.25, 0.40), w⁻ = (0.25, 0.40).',
    );
    expect(miningText(mining, 7, 'ALUM')).toContain('random partners');
    expect(miningText(mining, 8, 'ALUM')).toContain('not in the latest minibatch');
    expect(miningText(mining, null, 'ALUM')).toContain('Hover a ringed point');
    expect(miningText(null, 5, 'cross-entropy')).toContain('no mining');
  });

  it('RUL-style: one partner and two weights; D > 2: the mean over dimensions', () => {
    const rul: ClassMining = {
      ...mining,
      neg: null,
      hard: null,
      members: 2,
      dims: 4,
      weights: Float32Array.from([0.5, 0.5, 0.5, 0.5, 0.1, 0.2, 0.3, 0.4, 0.5, 0.5, 0.5, 0.5, 0.9, 0.8, 0.7, 0.6]),
    };
    expect(miningText(rul, 5, 'RUL-style')).toBe(
      'Anchor 5 (step 41), a random partner: partner 7; w = 0.50 (mean over 4 dims), w′ = 0.50 (mean over 4 dims).',
    );
  });
});
