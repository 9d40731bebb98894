// The explanation's page (index.html next to explanation.json, `explain --out`): the request as
// the page made it (and, from a capture, what was read, where the origin came from and what was
// left out), per engine what crossed the wire and what the browser said, the Fetch standard's
// steps, and the smallest fix with the framework's configuration. One `html` template: every
// value from the server, the capture or an engine is escaped where it lands.
import type { EngineExplanation, Explanation } from '../../explain/explain.ts';
import type { Header } from '../../model/case.ts';
import { CAPTURE_FORMATS, CAPTURE_SHAPES, changeLine } from '../explain-words.ts';
import { href, html, htmlDocument, type SafeHtml } from '../html.ts';

const headerRows = (hs: readonly Header[], mark: string): SafeHtml[] =>
  hs.map(([n, v]) => html`<tr><td>${mark}</td><td><code>${n}</code></td><td><code>${v}</code></td></tr>`);

function capture(x: Explanation): SafeHtml | string {
  const c = x.capture;
  if (!c) return '';
  return html`<h2>From the capture</h2>
<p>Read from ${CAPTURE_FORMATS[c.format]}${c.shape ? html`, as ${CAPTURE_SHAPES[c.shape]} writes it` : ''}${c.entry ? html` (entry ${c.entry.index} of ${c.entry.of})` : ''}; the page's origin from ${c.originFrom === '--origin' ? '--origin' : html`its <code>${c.originFrom}</code>`}.${c.recorded === 'used' ? ' No browser ran it: the server did not answer, so the spec model explains it over the responses the HAR recorded.' : ''}</p>
${c.leftOut.length ? html`<p>Left out, as not set by the page:</p><ul>${c.leftOut.map((l) => html`<li><code>${l.name}</code>: ${l.why}</li>`)}</ul>` : ''}
${c.notes.length ? html`<ul>${c.notes.map((n) => html`<li>${n}</li>`)}</ul>` : ''}`;
}

function engine(e: EngineExplanation): SafeHtml {
  return html`<section class="engine ${e.outcome}"><h3>${e.engine.name} ${e.engine.version}: ${e.outcome.toUpperCase()}</h3>
<p>${e.preflight.sent ? html`Preflight sent, asking for <code>${e.preflight.method ?? '?'}</code>${e.preflight.headers ? html` with <code>${e.preflight.headers}</code>` : ''}.` : 'No preflight sent.'}</p>
${e.exchanges.map(
  (x) =>
    html`<table><caption><code>${x.method} ${x.url}</code> → ${x.status ?? 'no response'}</caption><tbody>${headerRows(x.requestHeaders, '>')}${headerRows(x.responseHeaders, '<')}</tbody></table>`,
)}
${e.readable ? html`<p>The page could read status ${e.readable.status ?? '–'} and the headers ${e.readable.headers.map(([n]) => n).join(', ') || 'none'}.</p>` : e.pageError ? html`<p>The page saw: <code>${e.pageError}</code></p>` : ''}
<p>The browser said: ${e.browserMessage ? html`<q>${e.browserMessage}</q>` : e.outcome === 'allowed' ? 'nothing (allowed)' : 'no console message was captured'}</p>
${e.divergence ? html`<p>The standard says otherwise; a known divergence explains it: <code>${e.divergence.id}</code> (${e.divergence.title}).</p>` : ''}</section>`;
}

function fix(x: Explanation): SafeHtml {
  const f = x.fix;
  const server =
    f.server?.length === 0 && x.spec.outcome === 'allowed'
      ? html`<p>No change needed: the standard allows this request as the server answers it.</p>`
      : f.server
        ? html`<p>The smallest change on the server that makes it work:</p><ul>${f.server.map((c) => html`<li><code>${changeLine(c)}</code></li>`)}</ul>`
        : html`<p>${f.why ?? 'No response header change makes this request work.'}</p>`;
  const c = x.config;
  const config = c
    ? html`<h3>In ${c.name}${c.chosenBy === 'server-headers' ? " (the server's headers name it; choose another with --framework)" : ''}</h3>${c.snippet ? html`<pre>${c.snippet}</pre>` : ''}${c.caveats.length ? html`<ul>${c.caveats.map((n) => html`<li>${n}</li>`)}</ul>` : ''}`
    : '';
  const request = f.request.length ? html`<p>Or change the request:</p><ul>${f.request.map((r) => html`<li>${r}</li>`)}</ul>` : '';
  const repro = x.repro
    ? html`<p>Repro written to <code>${x.repro.dir}</code> (${x.repro.files.join(', ')}): <code>cd ${x.repro.dir} &amp;&amp; ${x.repro.command}</code></p>`
    : '';
  return html`<h2>The fix</h2>${server}${config}${request}${repro}`;
}

export function explainHtml(x: Explanation): string {
  const r = x.request;
  const recorded = x.capture?.recorded === 'used';
  const page = html`<html lang="en"><meta charset="utf-8"><title>explain: ${r.method} ${r.url} from ${r.origin}</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2rem;max-width:70rem}table{border-collapse:collapse;width:100%;margin:.5rem 0}td{border:1px solid #ccc;padding:.2rem .4rem;vertical-align:top}caption{text-align:left;font-weight:600}
.engine{border-left:4px solid #999;padding-left:1rem;margin:1rem 0}.engine.allowed{border-color:#2a2}.engine.blocked{border-color:#c22}pre{background:#f6f6f6;padding:.5rem;white-space:pre-wrap}</style>
<h1>${x.works ? 'Allowed' : 'Blocked'}: <code>${r.method}</code> <a href="${href(r.url)}">${r.url}</a></h1>
<p>From a page on <code>${r.origin}</code>, credentials <code>${r.credentials}</code>${r.headers.length ? html`, with ${r.headers.map(([n], i) => html`${i ? ', ' : ''}<code>${n}</code>`)}` : ''}${r.body !== null ? html`, and a body of ${r.body.length} characters` : ''}.
${recorded ? '' : html`The browsers fetched <code>${r.browserUrl}</code>; the local proxy forwarded it to the server and recorded what crossed the wire.`}</p>
${capture(x)}
<h2>What each engine did</h2>
${x.engines.map(engine)}
${x.enginesDisagree ? html`<p>The engines disagree.</p>` : ''}
${
  recorded
    ? html`<h2>The server's recorded answers</h2>${(
        [
          ['preflight (OPTIONS)', x.responses.preflight],
          ['actual request', x.responses.actual],
        ] as const
      ).map(
        ([what, rec]) =>
          html`<table><caption>${what}: ${rec ? rec.status : 'no response (the browser blocked it, or it was never sent)'}</caption><tbody>${rec ? headerRows(rec.headers, '<') : ''}</tbody></table>`,
      )}`
    : ''
}
<h2>The Fetch standard: ${x.spec.outcome.toUpperCase()}${x.spec.preflight ? ' (with a preflight)' : ''}</h2>
<ol>${x.spec.steps.map((s) => html`<li>${s.decision} <a href="${href(s.anchor)}">${s.anchor}</a></li>`)}</ol>
${fix(x)}
<p>Took ${(x.ms / 1000).toFixed(1)} s.</p>
</html>`;
  return htmlDocument(page);
}
