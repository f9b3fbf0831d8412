import { useNodeBackend } from '../src/platform/node';
import { makeClassData, DEFAULT_CLASS_DATA } from '../src/core/classify/data';
import { ClassifyEngine } from '../src/core/classify/engine';
import { classModel, DEFAULT_CLASS_TRAIN, type ClassMethod } from '../src/core/classify/spec';
import { tf } from '../src/core/tf';
await useNodeBackend(process.argv[2] as any);
const data = makeClassData({ ...DEFAULT_CLASS_DATA, dataset: 'moons', flipRate: 0.3 });
for (const ms of [['ce'], ['alum']] as ClassMethod[][]) {
  const e = new ClassifyEngine(data, ms.map((m) => classModel(m)), DEFAULT_CLASS_TRAIN);
  e.run(2);
  const before = tf.memory().numTensors;
  const info = await tf.profile(() => { e.run(1); });
  const agg: Record<string, [number, number]> = {};
  for (const k of info.kernels) { const a = agg[k.name] ?? [0, 0]; a[0]++; a[1] += Number(k.kernelTimeMs) || 0; agg[k.name] = a; }
  console.log(ms[0], info.kernels.length, 'kernels', Object.entries(agg).sort((a, b) => b[1][0] - a[1][0]).slice(0, 12).map(([n, [c, t]]) => `${n}:${c}/${t.toFixed(2)}`).join(' '));
  console.log('leak per step', tf.memory().numTensors - before);
  const t0 = performance.now(); e.run(50); await e.frame(false); console.log('ms/step', ((performance.now()-t0)/50).toFixed(1));
  const b2 = tf.memory().numTensors; await e.frame(true); console.log('leak per frame', tf.memory().numTensors - b2);
  e.dispose();
}
