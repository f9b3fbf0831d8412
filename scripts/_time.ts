import { useNodeBackend } from '../src/platform/node';
import { makeClassData, DEFAULT_CLASS_DATA } from '../src/core/classify/data';
import { ClassifyEngine } from '../src/core/classify/engine';
import { classModel, DEFAULT_CLASS_TRAIN, type ClassMethod } from '../src/core/classify/spec';
import { tf } from '../src/core/tf';
await useNodeBackend(process.argv[2] as any);
const data = makeClassData({ ...DEFAULT_CLASS_DATA, dataset: 'moons', flipRate: 0.3 });
for (const ms of [['ce'], ['alum'], ['ce','dul','rul','alum']] as ClassMethod[][]) {
  const e = new ClassifyEngine(data, ms.map((m) => classModel(m)), DEFAULT_CLASS_TRAIN);
  e.run(5);
  const t = performance.now();
  e.run(100);
  await e.frame(false);
  console.log(ms.join(','), ((performance.now() - t) / 100).toFixed(2), 'ms/step', tf.memory().numTensors);
  e.dispose();
}
console.log(tf.memory().numTensors);
