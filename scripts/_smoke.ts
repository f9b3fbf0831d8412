import { useNodeBackend } from '/work/wt/alum/src/platform/node';
import { makeClassData, DEFAULT_CLASS_DATA } from '/work/wt/alum/src/core/classify/data';
import { ClassifyEngine } from '/work/wt/alum/src/core/classify/engine';
import { classModel, DEFAULT_CLASS_TRAIN, CLASS_METHODS } from '/work/wt/alum/src/core/classify/spec';
const be = process.argv[2] ?? 'cpu';
await useNodeBackend(be as any);
const data = makeClassData({ ...DEFAULT_CLASS_DATA, dataset: 'moons', flipRate: 0.3 });
const specs = CLASS_METHODS.map((m) => classModel(m));
const e = new ClassifyEngine(data, specs, DEFAULT_CLASS_TRAIN);
let t = performance.now();
for (let i = 0; i < 10; i++) { e.run(100); }
const s = await e.frame(true);
console.log('ms/step', (performance.now() - t) / 1000);
for (const m of s.models) console.log(m.id, m.metrics.testAccuracy.toFixed(3), m.metrics.trainNoisyAccuracy.toFixed(3), m.metrics.flippedAuroc.toFixed(3), m.metrics.rejection.map((v) => v.toFixed(3)).join(' '), m.diverged);
import { tf } from '/work/wt/alum/src/core/tf';
console.log(tf.memory().numTensors);
