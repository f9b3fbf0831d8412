import { useNodeBackend } from '../src/platform/node';
import { makeClassData, DEFAULT_CLASS_DATA } from '../src/core/classify/data';
import { ClassifyEngine } from '../src/core/classify/engine';
import { classModel, DEFAULT_CLASS_TRAIN } from '../src/core/classify/spec';
await useNodeBackend(process.argv[2] as any);
const data = makeClassData({ ...DEFAULT_CLASS_DATA, dataset: 'moons', flipRate: 0, n: 500 });
const e = new ClassifyEngine(data, [classModel('alum'), classModel('alum', { compensation: 'off' }, 'nocomp'), classModel('alum', { triplet: false }, 'notrip'), classModel('alum', { hardFraction: 0 }, 'nohard')], DEFAULT_CLASS_TRAIN);
for (let i = 0; i < 12; i++) {
  e.run(i < 6 ? 5 : 40);
  const f = await e.frame(true);
  const p = await e.exportParams();
  console.log(f.step, f.models.map((m) => `${m.id}:${m.metrics.testAccuracy.toFixed(3)} ${m.diverged ? 'DIV' : ''} nan=${p[f.models.indexOf(m)].some((a) => a.some((v) => !Number.isFinite(v)))} mu0=${m.fields!.mu[0].toFixed(2)} s=${m.fields!.sigma[0].toFixed(2)}`).join(' | '));
}
