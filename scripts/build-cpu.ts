// Builds the CPU trainer's WebAssembly module: writes the shared constants (src/cpu/as/generated.ts) from the
// TypeScript contract, then compiles src/cpu/as/trainer.ts with AssemblyScript (npm `assemblyscript`) to
// src/cpu/trainer.wasm, 128-bit SIMD on. Runs before `npm start`, `npm run build` and `npm test` (and after
// `npm ci`); skips the compile when the module is newer than every source.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asContractSource } from '../src/cpu/contract';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const asDir = join(root, 'src/cpu/as');
const generated = join(asDir, 'generated.ts');
const output = join(root, 'src/cpu/trainer.wasm');

const source = asContractSource();
if (!existsSync(generated) || readFileSync(generated, 'utf8') !== source) writeFileSync(generated, source);

const inputs = [...readdirSync(asDir).map((f) => join(asDir, f)), join(root, 'scripts/build-cpu.ts')];
const newest = Math.max(...inputs.map((f) => statSync(f).mtimeMs));
if (existsSync(output) && statSync(output).mtimeMs >= newest && !process.argv.includes('--force')) {
  process.exit(0);
}

// The compiler's API, typed here by hand: its own declarations redeclare standard library types for the whole
// program (AssemblyScript's Array#at returns T, not T | undefined), so the module is loaded by a computed name.
interface Asc {
  createMemoryStream: () => { toString: () => string };
  main: (argv: string[], options: { stderr: { toString: () => string } }) => Promise<{ error: Error | null }>;
}
const ascModule = 'assemblyscript/asc';
const { default: asc } = (await import(ascModule)) as { default: Asc };
const stderr = asc.createMemoryStream();
const { error } = await asc.main(
  [
    join(asDir, 'trainer.ts'),
    '--outFile',
    output,
    '--optimizeLevel',
    '3',
    '--shrinkLevel',
    '0',
    '--runtime',
    'stub',
    '--noAssert',
    '--enable',
    'simd',
    '--initialMemory',
    '16',
    // AS112: v128 parameters of functions exported between this module's own files (none crosses to the host).
    '--disableWarning',
    '112',
  ],
  { stderr },
);
if (error) {
  console.error(stderr.toString());
  console.error(`build-cpu: ${error.message}`);
  process.exit(1);
}
console.log(`build-cpu: ${output.slice(root.length + 1)} (${statSync(output).size} bytes)`);
