// What each browser message means: every distinct console message an engine gave for a block
// in the run, normalised (URLs, origins and status codes stand as placeholders, so one message
// is one row), with the step of the Fetch standard that fails in those cases and the cases
// that show it. A developer who searches for their console line finds its cause and the fix.
import type { CaseRecord, EngineId, EngineResult, ResultsFile } from '../model/results.ts';
import { ENGINE_IDS } from '../model/results.ts';
import { href, html, htmlDocument } from '../outputs/html.ts';

export interface MessageRow {
  engine: EngineId;
  /** The message with URLs, origins and status codes as <url>, <origin>, <status>. */
  message: string;
  /** One message as the browser wrote it, for the reader to recognise. */
  example: string;
  cases: string[];
  /** The spec model's deciding steps in these cases, most frequent first, with their counts. */
  steps: Array<{ decision: string; anchor: string; count: number }>;
  /** Cases the standard allows, which the engine blocks: known divergences, by id. */
  divergences: string[];
}

export interface MessageTable {
  rows: MessageRow[];
  /** Per engine: blocked cases, and how many of them carry the browser's own message. */
  coverage: Record<EngineId, { blocked: number; withMessage: number }>;
}

/** The browser's own words, when the result holds more than the page's TypeError. */
export function browserMessage(r: EngineResult): string | null {
  if (r.outcome !== 'blocked' || !r.reason) return null;
  if (r.pageError !== undefined && r.reason === r.pageError) return null;
  if (/^TypeError\b/.test(r.reason)) return null;
  return r.reason;
}

/** One row per message: the parts that name this request stand as placeholders. */
export function normaliseMessage(line: string): string {
  return (
    line
      .replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"`)‘’]*[^\s'"`).,‘’]/gi, (url) => (/^[a-z]+:\/\/[^/]+$/i.test(url) ? '<origin>' : '<url>'))
      .replace(/(['‘])null(['’])/g, '$1<origin>$2')
      .replace(/\bOrigin null is not allowed/g, 'Origin <origin> is not allowed')
      .replace(/\b(Status code:?|status code|HTTP status code)\s*\d{3}\b/gi, '$1 <status>')
      // The header, method or value of this request, where a message names one.
      .replace(/\b(Request header field|header) '?[!#$%&*+.^_`|~0-9A-Za-z-]+'? is not allowed/g, '$1 <header> is not allowed')
      .replace(/\bMethod [!#$%&'*+.^_`|~0-9A-Za-z-]+ is not allowed/g, 'Method <method> is not allowed')
      .replace(/\b(has a value|contains multiple values|in the response is|does not match) (['‘])[^'’]*(['’])/g, '$1 $2<value>$3')
      .replace(/\bcontains the invalid value '.*?'(\.|$)/g, "contains the invalid value '<value>'$1")
      .replace(/\s+/g, ' ')
      .trim()
  );
}

function decidingStep(c: CaseRecord): { decision: string; anchor: string } | null {
  if (c.spec?.outcome !== 'blocked') return null;
  const last = c.spec.steps.at(-1);
  return last ? { decision: last.decision, anchor: last.anchor } : null;
}

export function messageTable(r: ResultsFile): MessageTable {
  type Building = MessageRow & { stepCounts: Map<string, { decision: string; anchor: string; count: number }> };
  const rows = new Map<string, Building>();
  const coverage = Object.fromEntries(ENGINE_IDS.map((e) => [e, { blocked: 0, withMessage: 0 }])) as MessageTable['coverage'];
  for (const c of r.cases) {
    for (const engine of ENGINE_IDS) {
      const res = c.results[engine];
      if (res?.outcome !== 'blocked') continue;
      coverage[engine].blocked++;
      const line = browserMessage(res);
      if (!line) continue;
      coverage[engine].withMessage++;
      const message = normaliseMessage(line);
      const key = `${engine}\n${message}`;
      const row: Building = rows.get(key) ?? { engine, message, example: line, cases: [], steps: [], divergences: [], stepCounts: new Map() };
      row.cases.push(c.id);
      const step = decidingStep(c);
      if (step) {
        const s = row.stepCounts.get(step.decision) ?? { ...step, count: 0 };
        s.count++;
        row.stepCounts.set(step.decision, s);
      } else {
        const d = c.agreement?.[engine]?.divergence;
        if (d && !row.divergences.includes(d)) row.divergences.push(d);
      }
      rows.set(key, row);
    }
  }
  const out = [...rows.values()].map(({ stepCounts, ...row }) => ({ ...row, steps: [...stepCounts.values()].sort((a, b) => b.count - a.count) }));
  out.sort((a, b) => ENGINE_IDS.indexOf(a.engine) - ENGINE_IDS.indexOf(b.engine) || b.cases.length - a.cases.length);
  return { rows: out, coverage };
}

/** The message page: messages.html, next to the report's index.html. Messages come from the
 *  engines and cases from a results file: every value goes in through `html`. */
export function messagesHtml(r: ResultsFile): string {
  const t = messageTable(r);
  const row = (x: MessageRow) =>
    html`<tr><td><code>${x.message}</code><details><summary>as written</summary><code>${x.example}</code></details></td><td>${
      x.steps.length
        ? x.steps.map((s, i) => html`${i ? html`<br>` : ''}${s.decision} <a href="${href(s.anchor)}">${s.anchor.replace(/^.*#/, '#')}</a> (${s.count})`)
        : '–'
    }${x.divergences.length ? html`<br>The standard allows these; known divergence: ${x.divergences.join(', ')}` : ''}</td><td>${x.cases.length}: ${x.cases
      .slice(0, 12)
      .map((id, i) => html`${i ? ' ' : ''}<code>${id}</code>`)}${x.cases.length > 12 ? ' …' : ''}</td></tr>`;
  const section = (engine: EngineId) => {
    const info = r.engines.find((e) => e.id === engine);
    const rows = t.rows.filter((x) => x.engine === engine);
    const cov = t.coverage[engine];
    const pct = cov.blocked ? ((100 * cov.withMessage) / cov.blocked).toFixed(1) : '–';
    return html`<section id="${engine}"><h2>${info ? `${info.name} ${info.version}` : engine}</h2>
<p>${cov.withMessage} of the ${cov.blocked} cases this engine blocked carry its own message (${pct}%); ${rows.length} distinct messages.</p>
${rows.length ? html`<table><thead><tr><th>message</th><th>the step of the standard that fails</th><th>cases</th></tr></thead><tbody>${rows.map((x, i) => html`${i ? '\n' : ''}${row(x)}`)}</tbody></table>` : html`<p>No message was captured for this engine.</p>`}</section>`;
  };
  const page = html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>CORS console messages, engine by engine</title>
<style>body{font:14px/1.45 system-ui,sans-serif;margin:2rem;max-width:100rem}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.35rem;vertical-align:top;text-align:left}code{font-size:12.5px;overflow-wrap:anywhere}</style></head>
<body><h1>What each browser's CORS message means</h1>
<p>Every distinct console message an engine gave for a request it blocked in this run, with URLs, origins and status codes as placeholders. Each row names the step of the Fetch standard that fails in its cases (from the spec model) and the cases that show it. <a href="index.html">Back to the report</a>.</p>
<nav>${ENGINE_IDS.map((e, i) => html`${i ? ' · ' : ''}<a href="#${e}">${e}</a>`)}</nav>
${ENGINE_IDS.filter((e) => r.engines.some((x) => x.id === e)).map((e, i) => html`${i ? '\n' : ''}${section(e)}`)}
</body></html>
`;
  return htmlDocument(page);
}
