// The grade's page (index.html next to grade.json): the verdict, the paths, the root causes,
// the findings with their evidence, and every probe per engine. One `html` template: every
// value from the target, the policy, the document or an engine is escaped where it lands.
import { cookiePolicyLines } from '../../grade/probes/cookie-policy.ts';
import type { Endpoint } from '../../grade/input/endpoints.ts';
import type { Finding, GradeReport, ProbeObservation } from '../../grade/types.ts';
import { cookiePolicyQuestion, failingOn, signedInLine } from '../grade-words.ts';
import { html, htmlDocument, type SafeHtml } from '../html.ts';

function cell(o: ProbeObservation | undefined): string {
  if (!o) return '–';
  return `${o.outcome}${o.preflight ? ' · preflight' : ''}${o.status !== null ? ` · ${o.status}` : ''}`;
}

function search(r: GradeReport): SafeHtml {
  const s = r.search;
  if (!s) return html`<p>The origin search was off: the fixed battery alone.</p>`;
  return html`<h2>Origin search</h2><p>${s.candidates} candidate origins (${s.collapsed} more collapsed into allowed origins) for ${r.endpoints.length} path(s): ${s.screened} candidate × path pairs screened over HTTP with ${s.requests} requests in ${s.ms.screen} ms (${s.perSecond} per second); ${s.flagged} flagged by the spec model, ${s.unreachable} of them no browser can send; ${s.probed} tried in the browsers${s.sampled ? html` (${s.sampled})` : ''}, ${s.confirmed} confirmed readable. Generating took ${s.ms.generate} ms, the browsers ${s.ms.confirm} ms.</p>`;
}

function configuration(r: GradeReport): SafeHtml | string {
  const k = r.configuration;
  if (!k) return '';
  return html`<h2>The fix as ${k.name}'s configuration</h2>${k.chosenBy === 'server-headers' ? html`<p>The target's headers name it; choose another with <code>--framework</code>.</p>` : ''}${k.blocks.map(
    (b) =>
      html`<h3>For ${b.paths.join(', ')}</h3><p>Fixes ${b.causes.map((i, n) => html`${n ? ', ' : ''}<code>${r.causes[i]?.category ?? ''}</code>`)}.</p>${b.snippet ? html`<pre>${b.snippet}</pre>` : ''}${b.caveats.length ? html`<ul>${b.caveats.map((c) => html`<li>${c}</li>`)}</ul>` : ''}`,
  )}`;
}

export function gradeHtml(r: GradeReport): string {
  const engines = r.engines.map((e) => e.id);
  const signedIn = signedInLine(r);
  const cause = (c: GradeReport['causes'][number]) =>
    html`<tr class="sev-${c.severity}"><td>${c.severity}</td><td><strong>${c.title}</strong><br><code>${c.category}</code>${c.imitates.length ? html`<br>imitating ${c.imitates.join(', ')}` : ''}<br>on ${c.paths.join(', ')}</td><td>${c.summary}</td><td>${c.fix}</td></tr>`;
  const finding = (f: Finding) =>
    html`<tr class="sev-${f.severity}"><td>${f.severity}</td><td>${f.category}</td><td><code>${f.path}</code></td><td>${f.origin}${f.credentialed ? ' (credentialed)' : ''}</td><td>${f.engines.join(', ') || 'no browser'}</td><td>${f.detail}<details><summary>evidence</summary><pre>${JSON.stringify(f.evidence, null, 1)}</pre></details></td><td>${f.fix}</td></tr>`;
  const endpoint = (e: Endpoint) =>
    html`<tr><td><code>${e.path}</code></td><td>${e.source} <code>${e.declared}</code></td><td>${e.methods.join(', ')}</td><td><code>${e.entry ?? 'top level'}</code></td><td>${e.rules.origins.join(', ')}</td><td>${String(e.rules.credentials)}</td><td>${e.rules.requestHeaders.join(', ')}</td><td>${failingOn(r, e.path)}</td></tr>`;
  const probe = (p: GradeReport['probes'][number]) =>
    html`<tr><td><code>${p.id}</code><br>${p.description}</td><td>${p.expect}</td>${engines.map((e) => html`<td>${cell(p.results[e])}</td>`)}</tr>`;
  const page = html`<html lang="en"><meta charset="utf-8"><title>CORS grade: ${r.verdict} — ${r.target}</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2rem;max-width:90rem}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem;vertical-align:top;text-align:left}
.sev-high td:first-child{background:#fdd}.sev-medium td:first-child{background:#fed}.sev-low td:first-child{background:#ffd}pre{white-space:pre-wrap;font-size:12px}</style>
<h1>CORS grade: ${r.verdict.toUpperCase()}</h1>
<p>Target <code>${r.target}</code>, fetched by the browsers as <code>${r.browserTarget}</code>. ${r.startedAt} – ${r.finishedAt}.</p>
<p>Engines: ${r.engines.map((e, i) => html`${i ? '; ' : ''}${e.name} ${e.version} (${e.driver})`)}</p>
${signedIn ? html`<p>${signedIn}</p>` : ''}
${
  r.cookiePolicy
    ? html`<h2>Cookie policy, measured</h2><p>${cookiePolicyQuestion(r) ?? ''}:</p><ul>${cookiePolicyLines(r.cookiePolicy).map((l) => html`<li>${l}</li>`)}</ul>`
    : ''
}
<h2>Paths (${r.endpoints.length})</h2>
<table><thead><tr><th>path</th><th>declared</th><th>methods</th><th>rules of</th><th>origins</th><th>credentials</th><th>request headers</th><th>findings</th></tr></thead><tbody>${r.endpoints.map(endpoint)}</tbody></table>
<h2>Root causes (${r.causes.length})</h2>
${r.causes.length ? html`<table><thead><tr><th>severity</th><th>cause</th><th>what was seen</th><th>fix</th></tr></thead><tbody>${r.causes.map(cause)}</tbody></table>` : html`<p>None.</p>`}
${configuration(r)}
${search(r)}
<h2>Findings: the evidence (${r.findings.length})</h2>
${r.findings.length ? html`<table><thead><tr><th>severity</th><th>category</th><th>path</th><th>origin</th><th>engines</th><th>what the browser did</th><th>fix</th></tr></thead><tbody>${r.findings.map(finding)}</tbody></table>` : html`<p>None.</p>`}
${r.errors.length ? html`<h2>Probes without a verdict (${r.errors.length})</h2><ul>${r.errors.map((e) => html`<li>${e}</li>`)}</ul>` : ''}
<h2>Probes (${r.probes.length})</h2>
<table><thead><tr><th>probe</th><th>expected</th>${engines.map((e) => html`<th>${e}</th>`)}</tr></thead><tbody>${r.probes.map(probe)}</tbody></table>
<h2>Policy</h2><pre>${JSON.stringify(r.policy, null, 2)}</pre>
<h2>Notes</h2><ul>${r.notes.map((n) => html`<li>${n}</li>`)}</ul>
</html>`;
  return htmlDocument(page);
}
