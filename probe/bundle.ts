// The probe runtime as the browser gets it: probe/runtime.ts and the initiator modules it
// imports (probe/initiators/), bundled once per process into one self-contained script
// (esbuild), served by the proxy as /__cc/probe.js.
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

let bundled: string | null = null;

export function probeRuntimeSource(): string {
  if (bundled === null) {
    const out = buildSync({
      entryPoints: [fileURLToPath(new URL('runtime.ts', import.meta.url))],
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
