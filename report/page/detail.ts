// A case's detail, in a dialog: the request, the response recipes, each engine's outcome
// beside the spec model's, the model's reasoning, each engine's own words, and the fetch() and
// curl lines that reproduce it. The record comes from the case's detail file.
import type { ResponseRecipe } from '../../model/case.ts';
import type { CaseRecord, EngineId, EngineResult } from '../../model/results.ts';
import { engineCell, pfText, STATUS } from './cells.ts';
import type { CaseDetail } from './data.ts';
import { dl, el, externalLink, fragment, h, type Kid } from './dom.ts';
import { type CaseRow, caseDetail, engineName, type Report } from './report.ts';
import { current, serialize, setState } from './state.ts';

function headerList(headers: ReadonlyArray<readonly [string, string]>): HTMLElement {
  if (!headers.length) return h('p', { class: 'muted', text: '(no headers)' });
  const counts = new Map<string, number>();
  for (const [n] of headers) counts.set(n.toLowerCase(), (counts.get(n.toLowerCase()) ?? 0) + 1);
  return h(
    'ol',
    { class: 'headers' },
    headers.map(([n, v]) => {
      const k = counts.get(n.toLowerCase()) ?? 1;
      return h('li', {}, h('code', { text: `${n}: ${v}` }), k > 1 ? h('span', { class: 'badge', text: `repeated ×${k}` }) : null);
    }),
  );
}

function recipeBlock(recipe: ResponseRecipe | null, what: string): HTMLElement {
  if (!recipe) return h('p', {}, `No ${what} handling: the server answers 404 with no CORS headers.`);
  const r = recipe.redirect;
  return h(
    'div',
    {},
    h('p', {}, 'Status ', h('strong', { text: String(recipe.status) })),
    headerList(recipe.headers),
    recipe.body !== undefined ? h('p', {}, 'Body: ', h('code', { text: JSON.stringify(recipe.body) })) : null,
    r
      ? h(
          'div',
          { class: 'redirect' },
          h(
            'p',
            {},
            '→ Redirects to the same path on ',
            h('code', { text: r.to }),
            r.userinfo ? [' with userinfo ', h('code', { text: r.userinfo })] : null,
            '. The next hop answers:',
          ),
          h('h5', { text: 'Next hop, preflight' }),
          recipeBlock(r.next.preflight, 'preflight'),
          h('h5', { text: 'Next hop, actual' }),
          recipeBlock(r.next.actual, 'actual'),
        )
      : null,
  );
}

function copyBlock(label: string, text: string): HTMLElement {
  const pre = h('pre', { class: 'copy', tabindex: '0' }, h('code', { text }));
  const status = h('span', { class: 'copy-status', role: 'status' });
  const btn = h('button', { type: 'button' }, `Copy ${label}`);
  btn.addEventListener('click', () => {
    const done = (): void => {
      status.textContent = 'Copied.';
      setTimeout(() => {
        status.textContent = '';
      }, 2000);
    };
    const fallback = (): void => {
      const ta = h('textarea', {}, text);
      document.body.append(ta);
      ta.select();
      try {
        document.execCommand('copy');
        done();
      } catch {
        status.textContent = 'Select the text and copy it.';
      }
      ta.remove();
    };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, fallback);
    else fallback();
  });
  return h('div', { class: 'copy-block' }, pre, btn, status);
}

const val = (v: string | number | boolean | null | undefined): string =>
  v === null || v === undefined ? '–' : typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v);

/** One row of the outcomes table: a label, the spec's value, and each engine's. */
interface OutcomeRow {
  label: string;
  spec: string;
  engine: (r: EngineResult, c: CaseRecord, e: EngineId) => string;
}

function outcomeRows(c: CaseRecord): OutcomeRow[] {
  const spec = c.spec;
  const rows: Array<OutcomeRow | null> = [
    { label: 'Outcome', spec: spec ? spec.outcome : '–', engine: (r) => r.outcome },
    { label: 'Preflight sent', spec: spec ? val(spec.preflight) : '–', engine: (r) => val(r.preflight) },
    { label: 'Status the page read', spec: '', engine: (r) => val(r.status) },
    { label: 'Response type', spec: '', engine: (r) => val(r.type) },
    c.request.initiator
      ? {
          label: 'Content readable (canvas, error, cssRules)',
          spec: spec && spec.contentReadable !== undefined ? val(spec.contentReadable) : '',
          engine: (r) => val(r.contentReadable),
        }
      : null,
    c.request.initiator ? { label: 'What the page saw', spec: '', engine: (r) => val(r.signal) } : null,
    {
      label: 'Readable headers',
      spec: spec?.readable ? spec.readable.join(', ') || '(none)' : '',
      engine: (r) => (r.readable ? r.readable.map(([n, v]) => `${n}: ${v}`).join('; ') || '(none)' : '–'),
    },
    {
      label: 'Verdict',
      spec: '',
      engine: (_r, cr, e) => {
        const a = cr.agreement?.[e];
        if (!a) return '–';
        return (
          `${STATUS[a.status].sym} ${a.status}` +
          (a.differences.length ? ` (differs in ${a.differences.join(', ')})` : '') +
          (a.divergence ? ` · ${a.divergence}` : '') +
          (a.withEngines === false ? ' · engines disagree' : '')
        );
      },
    },
    { label: 'Server saw Origin', spec: '', engine: (r) => val(r.server?.origin) },
    { label: 'Preflight Access-Control-Request-Method', spec: '', engine: (r) => val(r.server?.preflightRequestMethod) },
    { label: 'Preflight Access-Control-Request-Headers', spec: '', engine: (r) => val(r.server?.preflightRequestHeaders) },
    { label: 'Cookie sent', spec: '', engine: (r) => val(r.server?.cookieSent) },
    { label: 'Requests the server saw', spec: '', engine: (r) => val(r.server?.requests) },
    { label: 'Prior requests', spec: '', engine: (r) => (r.prior ? r.prior.map((p) => `${p.outcome} · ${pfText(p.preflight)}`).join('; ') : '–') },
    { label: 'Elapsed', spec: '', engine: (r) => (r.elapsedMs === undefined ? '–' : `${r.elapsedMs} ms`) },
  ];
  return rows.filter((r) => r !== null);
}

function renderDetail(report: Report, row: CaseRow, { record: c, reproduce: rep }: CaseDetail): Kid[] {
  const req = c.request;
  const engines = report.engines.flatMap((e) => {
    const r = c.results[e];
    return r ? [{ e, r }] : [];
  });
  return [
    h('h2', { id: 'detail-title', text: c.title }),
    h(
      'p',
      {},
      h('code', { text: c.id }),
      ' · topic ',
      h('strong', { text: c.group }),
      ' · ',
      h('a', { href: serialize({ ...current(), case: c.id }), text: 'link to this case' }),
    ),

    h('h3', { text: 'Request' }),
    dl([
      ['Page', [h('code', { text: req.page.origin }), req.page.opaque ? ` inside a ${req.page.opaque} (opaque origin: Origin: null)` : '']],
      ['Initiator', h('code', { text: row.initiator.label })],
      ['URL', h('code', { text: req.url })],
      ['Method', h('code', { text: req.method })],
      ['Credentials', h('code', { text: req.credentials })],
      ['Mode', h('code', { text: req.mode })],
      ['Redirect', h('code', { text: req.redirect ?? 'follow' })],
      req.body !== undefined && req.body !== null ? ['Body', h('code', { text: JSON.stringify(req.body) })] : null,
      req.withCookie ? ['Cookie', 'set on the target host before the run'] : null,
      req.readHeaders?.length ? ['Reads headers', h('code', { text: req.readHeaders.join(', ') })] : null,
      req.prior?.length
        ? [
            'Prior requests',
            h(
              'ol',
              {},
              req.prior.map((p) =>
                h('li', {
                  text:
                    (p.method ?? req.method) +
                    (p.headers ? ` with ${p.headers.map(([n, v]) => `${n}: ${v}`).join(', ')}` : '') +
                    (p.credentials ? `, credentials ${p.credentials}` : '') +
                    `, then wait ${p.waitMs} ms`,
                }),
              ),
            ),
          ]
        : null,
    ]),
    h('h4', { text: 'Request headers set by the page' }),
    headerList(req.headers),

    h('h3', { text: 'Response recipes' }),
    h(
      'div',
      { class: 'recipes' },
      h('section', {}, h('h4', { text: 'Preflight (OPTIONS with Access-Control-Request-Method)' }), recipeBlock(c.response.preflight, 'preflight')),
      h('section', {}, h('h4', { text: 'Actual response' }), recipeBlock(c.response.actual, 'actual')),
    ),

    h('h3', { text: 'Outcomes' }),
    h(
      'table',
      { class: 'outcomes' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col', text: '' }),
          h('th', { scope: 'col', text: 'Spec' }),
          engines.map(({ e }) => h('th', { scope: 'col', text: engineName(report, e) })),
        ),
      ),
      h(
        'tbody',
        {},
        outcomeRows(c).map((o) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row', text: o.label }),
            h('td', { text: o.spec }),
            engines.map(({ e, r }) => (o.label === 'Outcome' ? engineCell(row, e) : h('td', { text: o.engine(r, c, e) }))),
          ),
        ),
      ),
    ),

    h('h3', { text: 'The spec model’s reasoning' }),
    c.spec
      ? [
          h('p', { class: 'spec-reason', text: c.spec.reason }),
          h(
            'ol',
            { class: 'steps' },
            c.spec.steps.map((s) => h('li', {}, `${s.decision} `, externalLink(s.anchor))),
          ),
        ]
      : h('p', { text: 'This case has no spec expectation.' }),

    h('h3', { text: 'Each engine in its own words' }),
    engines.map(({ e, r }) => [
      h('h4', { text: engineName(report, e) }),
      r.reason ? h('p', {}, 'Reason: ', h('code', { class: 'reason', text: r.reason })) : h('p', { class: 'muted', text: 'No rejection: the fetch resolved.' }),
      r.console?.length
        ? [
            h('p', { text: 'Console:' }),
            h(
              'ul',
              { class: 'console' },
              r.console.map((l) => h('li', {}, h('code', { text: l }))),
            ),
          ]
        : null,
    ]),

    h('h3', { text: 'Reproduce' }),
    h('p', {}, 'The page ran:'),
    copyBlock('fetch()', rep.fetch),
    h(
      'p',
      {},
      'Ask the fixture server for the same response through the run’s proxy (it gives the fixture its virtual hosts; replace ',
      h('code', { text: '<proxy-port>' }),
      ')',
      rep.curl.length > 1 ? '; the first line is the preflight' : '',
      ':',
    ),
    copyBlock('curl', rep.curl.join('\n')),
  ];
}

function dialog(): HTMLDialogElement {
  return el('detail', HTMLDialogElement);
}

/** The case whose detail the dialog shows or is loading. */
let showing = '';

export function openDetail(report: Report, id: string): void {
  const body = el('detail-body');
  const row = report.byId.get(id);
  showing = id;
  if (!row) {
    body.replaceChildren(
      h('h2', { id: 'detail-title', text: 'No such case' }),
      h('p', {}, 'There is no case ', h('code', { text: id }), ' in this results file.'),
    );
  } else {
    body.replaceChildren(h('h2', { id: 'detail-title', text: row.title }), h('p', { class: 'muted', text: 'Loading the case…' }));
    const start = performance.now();
    caseDetail(report, row).then(
      (detail) => {
        if (showing !== id) return;
        body.replaceChildren(fragment(renderDetail(report, row, detail)));
        // For scripts/measure-report-load.ts: how long the case's file and its detail took.
        performance.measure('cc-detail', { start });
      },
      (err: unknown) => {
        if (showing === id)
          body.replaceChildren(
            h('h2', { id: 'detail-title', text: row.title }),
            h('p', { class: 'warn', text: `The case’s detail could not load: ${err instanceof Error ? err.message : String(err)}` }),
          );
      },
    );
  }
  if (!dialog().open) dialog().showModal();
  el('detail-close').focus();
}

export function closeDetail(): void {
  showing = '';
  if (dialog().open) dialog().close();
}

export function initDetail(): void {
  el('detail-close').addEventListener('click', () => dialog().close());
  dialog().addEventListener('close', () => {
    showing = '';
    if (current().case) setState({ case: '' });
  });
  document.addEventListener('click', (ev) => {
    const clicked = ev.target instanceof HTMLElement ? ev.target : null;
    const a = clicked?.closest('a[data-case]');
    const row = clicked?.closest('tr[data-case]');
    const target = a ?? (row && !clicked?.closest('a') ? row : null);
    if (!(target instanceof HTMLElement) || target.dataset.case === undefined) return;
    ev.preventDefault();
    setState({ case: target.dataset.case }, true);
  });
  document.addEventListener('keydown', (ev) => {
    const row = ev.target instanceof HTMLElement ? ev.target.closest('tr[data-case]') : null;
    if (row instanceof HTMLElement && row.dataset.case !== undefined && (ev.key === 'Enter' || ev.key === ' ')) {
      ev.preventDefault();
      setState({ case: row.dataset.case }, true);
    }
  });
}
