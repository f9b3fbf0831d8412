import { useNodeBackend } from '../src/platform/node';
import { makeClassData, DEFAULT_CLASS_DATA } from '../src/core/classify/data';
import { ClassifyEngine } from '../src/core/classify/engine';
import { classModel, DEFAULT_CLASS_TRAIN } from '../src/core/classify/spec';
await useNodeBackend('wasm');
for (const dataset of ['moons', 'spirals'] as const) for (const rate of [0, 0.3]) {
  const data = makeClassData({ ...DEFAULT_CLASS_DATA, dataset, flipRate: rate, n: 500, noise: dataset === 'spirals' ? 0.05 : 0.1 });
  const e = new ClassifyEngine(data, ['ce', 'dul', 'rul', 'alum'].map((m) => classModel(m as any)), { ...DEFAULT_CLASS_TRAIN, batchSize: 64 });
  const t = performance.now();
  for (const s of [250, 250, 500, 500]) {
    e.run(s);
    const f = await e.frame(false);
    console.log(dataset, rate, f.step, f.models.map((m) => `${m.id}:${m.metrics.testAccuracy.toFixed(3)}/${m.metrics.rejection[3].toFixed(3)}/${m.metrics.flippedAuroc.toFixed(2)}`).join(' '), ((performance.now() - t) / f.step).toFixed(1), 'ms/step');
  }
  e.dispose();
}
