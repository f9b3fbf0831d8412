// The baselines' losses by hand, and the stacked classification engine: test time has no compensation,
// stacked models do not see each other, the ablation switches change only their own models, and CE learns.
import { describe, expect, it } from 'vitest';
import {
  baselineLoss,
  generalizedCrossEntropy,
  invTemperature,
  klToStandardNormal,
  smoothedCrossEntropy,
  type BaselineInputs,
} from '../../src/core/classify/baselines';
import { DEFAULT_CLASS_DATA, makeClassData } from '../../src/core/classify/data';
import { ClassifyEngine } from '../../src/core/classify/engine';
import { crossEntropy } from '../../src/core/classify/model';
import { ablationModels, classModel, DEFAULT_CLASS_TRAIN, type ClassModelSpec } from '../../src/core/classify/spec';
import { tf } from '../../src/core/tf';

const read = (t: tf.Tensor) => Array.from(t.dataSync());
const logits = tf.tensor2d([
  [2, 0, -1],
  [0.5, 0.5, 0],
]);
const labels = tf.tensor1d([0, 2], 'int32');
const logp = [
  [2, 0, -1].map((z) => z - Math.log(Math.exp(2) + 1 + Math.exp(-1))),
  [0.5, 0.5, 0].map((z) => z - Math.log(2 * Math.exp(0.5) + 1)),
];

describe('baseline losses by hand', () => {
  it('cross-entropy, label smoothing, GCE and the KL term', () => {
    expect(read(crossEntropy(logits, labels))).toEqual([
      expect.closeTo(-logp[0][0], 5),
      expect.closeTo(-logp[1][2], 5),
    ]);
    const ls = read(smoothedCrossEntropy(logits, labels, 0.1));
    expect(ls[0]).toBeCloseTo(-0.9 * logp[0][0] - (0.1 * logp[0].reduce((a, b) => a + b)) / 3, 5);
    const gce = read(generalizedCrossEntropy(logits, labels, 0.7));
    expect(gce[1]).toBeCloseTo((1 - Math.exp(logp[1][2]) ** 0.7) / 0.7, 5);
    // KL(N((1, 0), diag(e, 1)) ‖ N(0, I)) = ½ (1 + e − 1 − 1) + ½ (0 + 1 − 0 − 1).
    expect(read(klToStandardNormal(tf.tensor2d([[1, 0]]), tf.tensor2d([[1, 0]])))[0]).toBeCloseTo(
      0.5 * (Math.E - 1),
      5,
    );
  });

  const inputs = (patch: Partial<BaselineInputs> = {}): BaselineInputs => ({
    mu: tf.tensor2d([
      [1, 0],
      [0, 1],
      [-1, -1],
    ]),
    logVar: tf.zeros([3, 2]),
    w: tf.tensor2d([
      [1, -1],
      [0.5, 0.5],
    ]),
    labels: Int32Array.from([0, 1, 1]),
    noise: tf.zeros([3, 2]),
    partner: Int32Array.from([1, 2, 0]),
    tau: Math.log(2),
    ...patch,
  });

  it('Robust-CE at T = ∞ is the mean CE; at finite T it weights low-loss samples up', () => {
    const ce = read(baselineLoss(classModel('ce'), inputs()).loss)[0];
    expect(invTemperature(Infinity)).toBe(0);
    expect(read(baselineLoss(classModel('robust-ce', { T: Infinity }), inputs()).loss)[0]).toBeCloseTo(ce, 6);
    expect(read(baselineLoss(classModel('robust-ce', { T: 0.5 }), inputs()).loss)[0]).toBeLessThan(ce);
  });

  it('DUL-style with ε = 0 is CE + KL weight × mean KL; SuperLoss(CE) is finite', () => {
    const ce = read(baselineLoss(classModel('ce'), inputs()).loss)[0];
    const kl = read(tf.mean(klToStandardNormal(inputs().mu, inputs().logVar)))[0];
    expect(read(baselineLoss(classModel('dul', { klWeight: 0.01 }), inputs()).loss)[0]).toBeCloseTo(ce + 0.01 * kl, 5);
    const sl = read(baselineLoss(classModel('superloss-ce'), inputs()).loss)[0];
    expect(Number.isFinite(sl)).toBe(true);
  });

  it('the classifier gradient of CE is (p − y) μᵀ / B by tf.grad', () => {
    const inp = inputs();
    const g = read(tf.grad((w: tf.Tensor) => baselineLoss(classModel('ce'), { ...inp, w }).loss)(inp.w));
    const mu = read(inp.mu);
    const z = read(tf.matMul(inp.mu, inp.w));
    const want = [0, 0, 0, 0];
    for (let i = 0; i < 3; i++) {
      const e = [Math.exp(z[2 * i]), Math.exp(z[2 * i + 1])];
      const p = e.map((v) => v / (e[0] + e[1]));
      for (let d = 0; d < 2; d++)
        for (let c = 0; c < 2; c++) want[d * 2 + c] += (mu[2 * i + d] * (p[c] - (inp.labels[i] === c ? 1 : 0))) / 3;
    }
    g.forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
  });
});

const DATA = makeClassData({ ...DEFAULT_CLASS_DATA, n: 200, testN: 200, flipRate: 0.2 });
const TRAIN = { ...DEFAULT_CLASS_TRAIN, hidden: [16, 16], batchSize: 32 };

async function trained(specs: ClassModelSpec[], steps: number) {
  const e = new ClassifyEngine(DATA, specs, TRAIN);
  e.run(steps);
  const params = await e.exportParams();
  const snap = await e.frame(false);
  e.dispose();
  return { params, snap };
}

const same = (a: Float32Array[], b: Float32Array[]) =>
  a.every((p, i) => p.every((v, j) => Math.abs(v - b[i][j]) < 1e-5));

describe('the classification engine', () => {
  it('a model trains the same alone or beside others (the stack shares data, batches and draws only)', async () => {
    const alone = await trained([classModel('alum')], 20);
    const stacked = await trained([classModel('ce'), classModel('alum'), classModel('dul')], 20);
    expect(same(alone.params[0], stacked.params[1])).toBe(true);
    expect(alone.snap.models[0].metrics.testAccuracy).toBeCloseTo(stacked.snap.models[1].metrics.testAccuracy, 6);
  });

  it('compensation is the identity at test time and changes training; Table 6 switches change only their models', async () => {
    const e = new ClassifyEngine(
      DATA,
      [classModel('alum', { compensation: 'faithful' }, 'a'), classModel('alum', { compensation: 'off' }, 'b')],
      TRAIN,
    );
    const s0 = await e.frame(true);
    // Same weights, different compensation: identical test-time outputs.
    expect(Array.from(s0.models[0].fields!.probs)).toEqual(Array.from(s0.models[1].fields!.probs));
    e.run(10);
    const [pa, pb] = await e.exportParams();
    expect(same(pa, pb)).toBe(false);
    e.dispose();
    // The ablation stack: ALUM-4 and ALUM-5 differ only by the triplet term; with λ = 0 they coincide.
    const rows = ablationModels().map((m) => (m.id === 'alum5' ? { ...m, lambda: 0 } : m));
    const { params } = await trained(rows, 10);
    expect(same(params[4], params[5])).toBe(true);
    expect(same(params[3], params[4])).toBe(false);
  });

  it('cross-entropy learns the moons from noisy labels; every metric is in range', async () => {
    const { snap } = await trained([classModel('ce'), classModel('alum')], 300);
    for (const m of snap.models) {
      expect(m.diverged).toBeNull();
      expect(m.metrics.rejection).toHaveLength(4);
      expect(m.metrics.flippedAuroc).toBeGreaterThanOrEqual(0);
    }
    expect(snap.models[0].metrics.testAccuracy).toBeGreaterThan(0.85);
    expect(snap.models[0].metrics.trainNoisyAccuracy).toBeLessThan(0.9);
  });

  it('refuses bad specs and data with a clear message', () => {
    expect(() => new ClassifyEngine(DATA, [classModel('alum', { compensation: 'grouped', groups: 5 })], TRAIN)).toThrow(
      /divisible by 5/,
    );
    expect(() => new ClassifyEngine(DATA, [classModel('robust-ce', { T: 0 })], TRAIN)).toThrow(/T must be/);
    const e = new ClassifyEngine(DATA, [classModel('ce')], TRAIN);
    expect(() => e.setData(makeClassData({ ...DEFAULT_CLASS_DATA, dataset: 'blobs', classes: 3 }))).toThrow(
      /3 classes, the models 2/,
    );
    e.dispose();
  });
});

describe('the WASM backend (what npm run reproduce uses)', () => {
  it('gives ALUM the same loss as the CPU backend (its float32 one-hot once wrote integer bits)', async () => {
    const { alumLoss, planPartners } = await import('../../src/core/classify/alum');
    const { useNodeBackend } = await import('../../src/platform/node');
    const labels = Int32Array.from([0, 1, 0, 1]);
    const plan = { ...planPartners(labels, 0, 1, 0), hard: new Uint8Array(4).fill(1) };
    const opts = {
      positives: true,
      negatives: true,
      literal: false,
      lambda: 0.5,
      margin: 1,
      triplet: true,
      mixBy: 'std',
      weightedCe: false,
      tripletMean: false,
    } as const;
    const value = () =>
      alumLoss(
        tf.tensor2d([
          [0.3, -0.2],
          [0.5, 0.1],
          [-0.4, 0.6],
          [-0.7, -0.1],
        ]),
        tf.tensor2d([
          [0.1, -0.3],
          [0.4, 0.2],
          [-0.5, 0],
          [0.3, 0.3],
        ]),
        tf.tensor2d([
          [1.2, -0.4],
          [0.2, 0.8],
        ]),
        labels,
        plan,
        opts,
      ).loss.dataSync()[0];
    const cpu = value();
    await useNodeBackend('wasm');
    try {
      expect(value()).toBeCloseTo(cpu, 4);
    } finally {
      await useNodeBackend('cpu');
    }
  });
});

describe('the latest mining (the hover view)', () => {
  it("ALUM and RUL-style keep the last step's partners and weights, in training indices; CE has none; nothing grows", async () => {
    const { classBatch } = await import('../../src/core/classify/engine');
    const { miningOf } = await import('../../src/core/classify/mining');
    const data = makeClassData({ ...DEFAULT_CLASS_DATA, n: 200, flipRate: 0.2 });
    const train = { ...DEFAULT_CLASS_TRAIN, hidden: [8], batchSize: 16 };
    const engine = new ClassifyEngine(
      data,
      [classModel('ce'), classModel('rul'), classModel('alum', { hardFraction: 0.5 })],
      train,
    );
    try {
      engine.run(3);
      const before = tf.memory().numTensors;
      const snap = await engine.frame(true, 4);
      expect(snap.models[0].mining).toBeNull();
      const anchors = Array.from(classBatch(train.seed, 2, 16, 200));
      for (const [k, members] of [
        [1, 2],
        [2, 3],
      ] as const) {
        const m = snap.models[k].mining!;
        expect(m.step).toBe(2);
        expect(Array.from(m.anchors)).toEqual(anchors);
        expect(m.members).toBe(members);
        expect(m.dims).toBe(2);
        for (let j = 0; j < 16; j++) {
          const e = miningOf(m, anchors[j])!;
          e.weights[0].forEach((_, d) => expect(e.weights.reduce((s, w) => s + w[d], 0)).toBeCloseTo(1, 5));
          expect(anchors).toContain(e.pos);
          if (k === 2) {
            // The positive shares the anchor's noisy label and the negative does not (both exist in a 16-batch here).
            expect(data.train.label[e.pos]).toBe(data.train.label[anchors[j]]);
            expect(data.train.label[e.neg!]).not.toBe(data.train.label[anchors[j]]);
            expect(typeof e.mined).toBe('boolean');
          } else expect(e.neg).toBeNull();
        }
      }
      expect(miningOf(snap.models[2].mining!, anchors.includes(0) ? -1 : 0)).toBeNull();
      engine.run(5);
      await engine.frame(true, 4);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      engine.dispose();
    }
  });
});
