// The grade as JUnit XML for CI systems: one test case per probe and engine, failing with the
// findings it produced, in error where the engine gave no verdict. Every value goes through
// xmlText, so the file is well-formed XML whatever a target or an engine said.
import type { GradeReport } from '../grade/types.ts';
import { xmlText } from './text.ts';

export function junitXml(r: GradeReport): string {
  const cases: string[] = [];
  let failures = 0;
  let errors = 0;
  for (const p of r.probes) {
    for (const e of r.engines) {
      const o = p.results[e.id];
      const found = r.findings.filter((f) => f.probe === p.id && f.engines.includes(e.id));
      let body = '';
      if (found.length) {
        failures++;
        body = found
          .map((f) => `<failure type="${xmlText(f.category)}" message="${xmlText(`[${f.severity}] ${f.title}: ${f.detail}`)}">${xmlText(f.fix)}</failure>`)
          .join('');
      } else if (o && (o.outcome === 'error' || o.outcome === 'network-error')) {
        errors++;
        body = `<error message="${xmlText(o.reason ?? o.outcome)}"/>`;
      }
      cases.push(`<testcase classname="cors-conformance.${xmlText(e.id)}" name="${xmlText(p.id)}">${body}</testcase>`);
    }
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="cors-conformance grade" tests="${cases.length}" failures="${failures}" errors="${errors}">\n${cases.join('\n')}\n</testsuite>\n`;
}
