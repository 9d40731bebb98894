// The probe runtime as the browser gets it: probe/runtime.ts and the initiator modules it
// imports (probe/initiators/), bundled once per process into one self-contained script
// (esbuild), served by the proxy as /__cc/probe.js.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

// The sources in a clone; in an installed package, the same modules compiled (dist/probe/).
const RUNTIME = ['runtime.ts', 'runtime.js'].map((f) => fileURLToPath(new URL(f, import.meta.url))).find((f) => existsSync(f));

let bundled: string | null = null;

export function probeRuntimeSource(): string {
  if (bundled === null) {
    if (!RUNTIME) throw new Error(`the probe runtime is missing beside ${fileURLToPath(import.meta.url)}`);
    const out = buildSync({
      entryPoints: [RUNTIME],
      bundle: true,
      write: false,
      format: 'iife',
      target: 'es2020',
      logLevel: 'silent',
    });
    const file = out.outputFiles[0];
    if (!file) throw new Error('esbuild produced no probe runtime');
    bundled = file.text;
  }
  return bundled;
}
