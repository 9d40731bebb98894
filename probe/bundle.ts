// The probe runtime as the browser gets it: probe/runtime.ts compiled once per process to
// one self-contained script (esbuild), served by the proxy as /__cc/probe.js.
import { readFileSync } from 'node:fs';
import { transformSync } from 'esbuild';

let bundled: string | null = null;

export function probeRuntimeSource(): string {
  bundled ??= transformSync(readFileSync(new URL('runtime.ts', import.meta.url), 'utf8'), { loader: 'ts', format: 'iife', target: 'es2020' }).code;
  return bundled;
}
