// What a grading writes: grade.json (the whole record), index.html (for people), a JUnit
// file for CI systems, and a terminal summary.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gradeSchemaErrors } from '../model/schemas.ts';
import { cookiePolicyLines } from '../grade/probes/cookie-policy.ts';
import { CROSS_SITE_ORIGIN, SAME_SITE_ORIGIN } from '../model/virtual-origins.ts';
import type { Endpoint } from '../grade/input/endpoints.ts';
import { failsGrade } from '../grade/judge/findings.ts';
import type { Finding, GradeReport, ProbeObservation } from '../grade/types.ts';

/** The signed-in session, names only: the values are never written. */
export function signedInLine(r: GradeReport): string | null {
  const { cookies, requestHeaders } = r.signedIn;
  const parts = [
    ...(cookies.length ? [`cookie(s) ${cookies.join(', ')} (--cookie)`] : []),
    ...(requestHeaders.length ? [`${requestHeaders.join(', ')} for the intended callers (--request-header)`] : []),
  ];
  return parts.length ? `signed in: ${parts.join('; ')}; values redacted` : null;
}

/** What the measured cookie policy answers. */
export function cookiePolicyQuestion(r: GradeReport): string | null {
  const p = r.cookiePolicy;
  if (!p) return null;
  return `whether the target received ${p.session ? "the user's session cookie" : 'the test cookie'} ${p.cookies.join(', ')} on a credentialed GET from a page on the target itself, on its site (${SAME_SITE_ORIGIN}) and on another site (${CROSS_SITE_ORIGIN})`;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function terminalSummary(r: GradeReport): string {
  const lines = [
    `cors-conformance grade: ${r.verdict.toUpperCase()}  target ${r.target}`,
    `engines: ${r.engines.map((e) => `${e.id} ${e.version}`).join(', ')}; ${r.probes.length} probes each`,
  ];
  if (r.certificate === 'not-checked') lines.push("certificate verification: OFF (--insecure): the target's certificate was not checked");
  lines.push(
    `${r.endpoints.length} path(s): ${r.endpoints.slice(0, 8).map(endpointLine).join('; ')}${r.endpoints.length > 8 ? `; and ${r.endpoints.length - 8} more in grade.json` : ''}`,
  );
  const signedIn = signedInLine(r);
  if (signedIn) lines.push(signedIn);
  const question = cookiePolicyQuestion(r);
  if (r.cookiePolicy && question) lines.push(`cookie policy, measured: ${question}:`, ...cookiePolicyLines(r.cookiePolicy).map((l) => `  ${l}`));
  if (r.search) {
    const s = r.search;
    lines.push(
      `origin search: ${s.candidates} candidates, ${s.screened} candidate × path pairs over ${r.endpoints.length} path(s) screened in ${s.ms.screen} ms (${s.perSecond}/s); ${s.flagged} flagged, ${s.probed} tried in the browsers, ${s.confirmed} confirmed${s.unreachable ? `, ${s.unreachable} no browser can send` : ''}${s.sampled ? ` (${s.sampled})` : ''}`,
    );
  } else lines.push('origin search: off (the fixed battery alone)');
  if (!r.causes.length) lines.push('no findings');
  else lines.push(`${r.causes.length} root cause(s), from ${r.findings.length} finding(s):`);
  for (const c of r.causes) {
    lines.push(`  [${c.severity}] ${c.category}: ${c.title}. ${c.summary}`);
    lines.push(`         fix: ${c.fix}`);
  }
  if (r.findings.length) lines.push('findings (the evidence):');
  for (const f of r.findings.slice(0, 40)) {
    lines.push(
      `  [${f.severity}] ${f.category} on ${f.path}: ${f.origin}${f.credentialed ? ' (credentialed)' : ''} ${f.engines.length ? `in ${f.engines.join(', ')}` : 'without a browser'} — ${f.detail} (${f.probe})`,
    );
  }
  if (r.findings.length > 40) lines.push(`  … and ${r.findings.length - 40} more in grade.json`);
  if (r.errors.length) {
    lines.push(`${r.errors.length} probe(s) gave no verdict:`);
    for (const e of r.errors.slice(0, 10)) lines.push(`  ${e}`);
  }
  return lines.join('\n');
}

/** How many findings that fail the grade are on `path`. */
export function failingOn(r: GradeReport, path: string): number {
  return r.findings.filter((f) => f.path === path && failsGrade(f.severity)).length;
}

/** A path, its methods and where its rules come from, in one line. */
export function endpointLine(e: Endpoint): string {
  const declared = e.declared !== e.path ? `, ${e.source === 'openapi' ? 'OpenAPI' : 'policy'} ${e.declared}` : e.source === 'openapi' ? ', OpenAPI' : '';
  return `${e.path} (${e.methods.join(', ') || 'no intended method'}${declared}; rules of ${e.entry ?? 'the top level'})`;
}

function cell(o: ProbeObservation | undefined): string {
  if (!o) return '–';
  return `${o.outcome}${o.preflight ? ' · preflight' : ''}${o.status !== null ? ` · ${o.status}` : ''}`;
}

function search(r: GradeReport): string {
  const s = r.search;
  if (!s) return '<p>The origin search was off: the fixed battery alone.</p>';
  return `<h2>Origin search</h2><p>${s.candidates} candidate origins (${s.collapsed} more collapsed into allowed origins) for ${r.endpoints.length} path(s): ${s.screened} candidate × path pairs screened over HTTP with ${s.requests} requests in ${s.ms.screen} ms (${s.perSecond} per second); ${s.flagged} flagged by the spec model, ${s.unreachable} of them no browser can send; ${s.probed} tried in the browsers${s.sampled ? ` (${esc(s.sampled)})` : ''}, ${s.confirmed} confirmed readable. Generating took ${s.ms.generate} ms, the browsers ${s.ms.confirm} ms.</p>`;
}

export function gradeHtml(r: GradeReport): string {
  const engines = r.engines.map((e) => e.id);
  const signedIn = signedInLine(r);
  const cause = (c: GradeReport['causes'][number]) =>
    `<tr class="sev-${c.severity}"><td>${c.severity}</td><td><strong>${esc(c.title)}</strong><br><code>${esc(c.category)}</code>${c.imitates.length ? `<br>imitating ${esc(c.imitates.join(', '))}` : ''}<br>on ${esc(c.paths.join(', '))}</td><td>${esc(c.summary)}</td><td>${esc(c.fix)}</td></tr>`;
  const finding = (f: Finding) =>
    `<tr class="sev-${f.severity}"><td>${f.severity}</td><td>${esc(f.category)}</td><td><code>${esc(f.path)}</code></td><td>${esc(f.origin)}${f.credentialed ? ' (credentialed)' : ''}</td><td>${esc(f.engines.join(', ') || 'no browser')}</td><td>${esc(f.detail)}<details><summary>evidence</summary><pre>${esc(JSON.stringify(f.evidence, null, 1))}</pre></details></td><td>${esc(f.fix)}</td></tr>`;
  const endpoint = (e: Endpoint) =>
    `<tr><td><code>${esc(e.path)}</code></td><td>${esc(e.source)} <code>${esc(e.declared)}</code></td><td>${esc(e.methods.join(', '))}</td><td><code>${esc(e.entry ?? 'top level')}</code></td><td>${esc(e.rules.origins.join(', '))}</td><td>${e.rules.credentials}</td><td>${esc(e.rules.requestHeaders.join(', '))}</td><td>${failingOn(r, e.path)}</td></tr>`;
  const probe = (p: GradeReport['probes'][number]) =>
    `<tr><td><code>${esc(p.id)}</code><br>${esc(p.description)}</td><td>${p.expect}</td>${engines.map((e) => `<td>${esc(cell(p.results[e]))}</td>`).join('')}</tr>`;
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>CORS grade: ${esc(r.verdict)} — ${esc(r.target)}</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2rem;max-width:90rem}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem;vertical-align:top;text-align:left}
.sev-high td:first-child{background:#fdd}.sev-medium td:first-child{background:#fed}.sev-low td:first-child{background:#ffd}pre{white-space:pre-wrap;font-size:12px}</style>
<h1>CORS grade: ${esc(r.verdict.toUpperCase())}</h1>
<p>Target <code>${esc(r.target)}</code>, fetched by the browsers as <code>${esc(r.browserTarget)}</code>. ${esc(r.startedAt)} – ${esc(r.finishedAt)}.</p>
<p>Engines: ${r.engines.map((e) => `${esc(e.name)} ${esc(e.version)} (${esc(e.driver)})`).join('; ')}</p>
${signedIn ? `<p>${esc(signedIn)}</p>` : ''}
${
  r.cookiePolicy
    ? `<h2>Cookie policy, measured</h2><p>${esc(cookiePolicyQuestion(r) ?? '')}:</p><ul>${cookiePolicyLines(r.cookiePolicy)
        .map((l) => `<li>${esc(l)}</li>`)
        .join('')}</ul>`
    : ''
}
<h2>Paths (${r.endpoints.length})</h2>
<table><thead><tr><th>path</th><th>declared</th><th>methods</th><th>rules of</th><th>origins</th><th>credentials</th><th>request headers</th><th>findings</th></tr></thead><tbody>${r.endpoints.map(endpoint).join('')}</tbody></table>
<h2>Root causes (${r.causes.length})</h2>
${r.causes.length ? `<table><thead><tr><th>severity</th><th>cause</th><th>what was seen</th><th>fix</th></tr></thead><tbody>${r.causes.map(cause).join('')}</tbody></table>` : '<p>None.</p>'}
${search(r)}
<h2>Findings: the evidence (${r.findings.length})</h2>
${r.findings.length ? `<table><thead><tr><th>severity</th><th>category</th><th>path</th><th>origin</th><th>engines</th><th>what the browser did</th><th>fix</th></tr></thead><tbody>${r.findings.map(finding).join('')}</tbody></table>` : '<p>None.</p>'}
${r.errors.length ? `<h2>Probes without a verdict (${r.errors.length})</h2><ul>${r.errors.map((e) => `<li>${esc(e)}</li>`).join('')}</ul>` : ''}
<h2>Probes (${r.probes.length})</h2>
<table><thead><tr><th>probe</th><th>expected</th>${engines.map((e) => `<th>${e}</th>`).join('')}</tr></thead><tbody>${r.probes.map(probe).join('')}</tbody></table>
<h2>Policy</h2><pre>${esc(JSON.stringify(r.policy, null, 2))}</pre>
<h2>Notes</h2><ul>${r.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>
</html>`;
}

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
          .map((f) => `<failure type="${esc(f.category)}" message="${esc(`[${f.severity}] ${f.title}: ${f.detail}`)}">${esc(f.fix)}</failure>`)
          .join('');
      } else if (o && (o.outcome === 'error' || o.outcome === 'network-error')) {
        errors++;
        body = `<error message="${esc(o.reason ?? o.outcome)}"/>`;
      }
      cases.push(`<testcase classname="cors-conformance.${e.id}" name="${esc(p.id)}">${body}</testcase>`);
    }
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="cors-conformance grade" tests="${cases.length}" failures="${failures}" errors="${errors}">\n${cases.join('\n')}\n</testsuite>\n`;
}

export function writeGradeOutputs(r: GradeReport, outDir: string, junitFile?: string): { json: string; html: string } {
  mkdirSync(outDir, { recursive: true });
  const json = join(outDir, 'grade.json');
  const html = join(outDir, 'index.html');
  writeFileSync(json, JSON.stringify(r, null, 1));
  const invalid = gradeSchemaErrors(JSON.parse(JSON.stringify(r)));
  if (invalid.length) console.error(`cors-conformance: ERROR ${json} does not match schemas/grade.schema.json:\n  ${invalid.join('\n  ')}`);
  writeFileSync(html, gradeHtml(r));
  if (junitFile) writeFileSync(junitFile, junitXml(r));
  return { json, html };
}
