// What library conformance mode writes: one grade per standard policy (outputs/grade.ts), then
// conformance.json and an index page over them (outputs/pages/library.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LibraryResult } from '../grade/library.ts';
import type { GradeReport } from '../grade/types.ts';
import { writeGradeOutputs } from './grade.ts';
import { writeJson } from './json.ts';
import { libraryHtml } from './pages/library.ts';

/** The folder a library's reports go in, under `out`. */
export function libraryDir(out: string, name: string): string {
  const dir = join(out, name.replace(/[^A-Za-z0-9._-]+/g, '_'));
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function writeLibraryPolicyReport(dir: string, policyId: string, report: GradeReport): void {
  writeGradeOutputs(report, join(dir, policyId));
}

export function writeLibraryResult(dir: string, result: LibraryResult): void {
  writeJson(join(dir, 'conformance.json'), result);
  writeFileSync(join(dir, 'index.html'), libraryHtml(result));
}
