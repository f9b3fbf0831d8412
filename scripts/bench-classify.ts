// npm run bench:classify [-- --backend webgpu|wasm|cpu] [--steps N]
// The classification trainer's speed on the default lesson (CE, DUL-style, ALUM on 20 %-flipped moons): steps/s
// of training alone, and the time of one page frame (metrics, fields over a 48² grid, the latest mining).
// webgpu: tfjs-backend-webgpu on Dawn (SwiftShader where no GPU driver), the page's backend.
import { parseArgs } from 'node:util';
import { CLASS_LESSONS } from '../src/app/classify/lessons';
import { makeClassData } from '../src/core/classify/data';
import { ClassifyEngine } from '../src/core/classify/engine';
import { useNodeBackend, type NodeBackend } from '../src/platform/node';

const { values } = parseArgs({
  options: { backend: { type: 'string', default: 'webgpu' }, steps: { type: 'string', default: '50' } },
});
const backend = await useNodeBackend(values.backend as NodeBackend);
const steps = Number(values.steps);
const lesson = CLASS_LESSONS[0];
const engine = new ClassifyEngine(makeClassData(lesson.config.data), lesson.config.models, lesson.config.train);
const time = async (f: () => unknown) => {
  const t = performance.now();
  await f();
  return (performance.now() - t) / 1000;
};
// Warm-up: the first steps and frame compile every kernel.
const warmStep = await time(async () => (engine.run(5), await engine.frame(false)));
const warmFrame = await time(() => engine.frame(true, 48));
const train = await time(async () => {
  engine.run(steps);
  await engine.frame(false); // waits for the queued work
});
const frames = 3;
const frame = await time(async () => {
  for (let i = 0; i < frames; i++) await engine.frame(true, 48);
});
engine.dispose();
console.log(
  `${lesson.id} (${lesson.config.models.length} models, batch ${lesson.config.train.batchSize}) on ${backend}: warm-up ${warmStep.toFixed(1)} s + first frame ${warmFrame.toFixed(1)} s; ${(steps / train).toFixed(1)} steps/s training alone (${steps} steps); one page frame ${((1000 * frame) / frames).toFixed(0)} ms`,
);
process.exit(0);
