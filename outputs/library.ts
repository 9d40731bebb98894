// What library conformance mode writes: one grade per standard policy (outputs/grade.ts), then
// conformance.json and an index page over them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LibraryResult } from '../grade/library.ts';
import type { GradeReport } from '../grade/types.ts';
import { writeGradeOutputs } from './grade.ts';

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
  writeFileSync(join(dir, 'conformance.json'), JSON.stringify(result, null, 1));
  const rows = result.policies
    .map(
      (p) =>
        `<tr><td>${p.id}</td><td>${p.description}</td><td>${p.verdict}</td><td>${p.findings.map((f) => `${f.severity} ${f.category} (${f.origin}; ${f.engines.join(', ')})`).join('<br>') || '–'}</td><td><a href="${p.id}/index.html">details</a></td></tr>`,
    )
    .join('');
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><meta charset="utf-8"><title>${result.library}: CORS conformance</title><h1>${result.library}: ${result.conforms ? 'conforms' : 'does not conform'}</h1><table border="1" cellpadding="4"><tr><th>policy</th><th></th><th>verdict</th><th>findings</th><th></th></tr>${rows}</table>`,
  );
}
