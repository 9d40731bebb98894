// Library mode's index page (conformance/<library>/index.html): each standard policy, its
// verdict and findings, and a link to its grade. The library's name comes from its adapter and
// the findings from the servers it started: all of it goes in escaped, through `html`.
import type { LibraryResult } from '../../grade/library.ts';
import { href, html, htmlDocument } from '../html.ts';

export function libraryHtml(result: LibraryResult): string {
  const rows = result.policies.map(
    (p) =>
      html`<tr><td>${p.id}</td><td>${p.description}</td><td>${p.verdict}</td><td>${p.findings.map((f, i) => html`${i ? html`<br>` : ''}${f.severity} ${f.category} (${f.origin}; ${f.engines.join(', ')})`)}${p.findings.length ? '' : '–'}</td><td><a href="${href(`${p.id}/index.html`)}">details</a></td></tr>`,
  );
  return htmlDocument(
    html`<meta charset="utf-8"><title>${result.library}: CORS conformance</title><h1>${result.library}: ${result.conforms ? 'conforms' : 'does not conform'}</h1><table border="1" cellpadding="4"><tr><th>policy</th><th></th><th>verdict</th><th>findings</th><th></th></tr>${rows}</table>`,
  );
}
