// Each topic in plain words with this run's numbers and example rows; the initiators topic
// adds what the standards say each API does beside what each engine was seen to do.
import { caseTable } from './cells.ts';
import { el, externalLink, fmt, h, headRow, prose } from './dom.ts';
import { engineName, type Report } from './report.ts';
import { NO_FILTERS, serialize } from './state.ts';

/** What the standards say for each way of making a request (oracle/initiators.ts). */
function standardInitiatorTable(report: Report): HTMLTableElement {
  const tri = (v: boolean | null, yes: string, no: string): string => (v === null ? '–' : v ? yes : no);
  return h(
    'table',
    { class: 'cases initiators', id: 'initiator-standard' },
    h('caption', { text: 'What the standards say: the request each API makes by default, and what a failed CORS check looks like to the page' }),
    headRow(['API', 'Mode · credentials', 'Cookies to other origins', 'Readable', 'Preflight', 'A failed CORS check', 'Section']),
    h(
      'tbody',
      {},
      report.view.initiatorStandard.map((row) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, h('code', { text: row.api })),
          h('td', { text: `${row.mode} · ${row.credentials}` }),
          h('td', { text: row.sendsCookiesCrossOrigin ? 'sent by default' : 'only when the page asks' }),
          h('td', { text: tri(row.needsCrossoriginToRead, 'only with crossorigin and CORS headers', 'with CORS headers') }),
          h('td', { text: row.canPreflight ? 'can be preflighted' : 'never' }),
          h('td', {}, prose(row.corsFailure)),
          h('td', {}, externalLink(row.anchor)),
        ),
      ),
    ),
  );
}

/** A load topic's table (report/loads.ts): per loader, what the spec loads and blocks, and per
 *  engine what loaded, which rule stopped what both blocked, and what explains the rest. */
function loadTable(report: Report, topic: string): HTMLTableElement | null {
  const table = report.view.loads.find((t) => t.topic === topic);
  if (!table) return null;
  const counts = (list: Array<[string, number]>): string => list.map(([what, n]) => `${what} (${fmt(n)})`).join(', ');
  return h(
    'table',
    { class: 'cases loads', id: `load-table-${topic}` },
    h('caption', {
      text: 'Per loader: what the spec loads and blocks, and per engine what loaded, which rule stopped what was blocked, and what explains a difference',
    }),
    headRow(['Loader', 'The spec', ...report.engines.map((e) => engineName(report, e))]),
    h(
      'tbody',
      {},
      table.rows.map((row) =>
        h(
          'tr',
          { 'data-loader': row.label },
          h('th', { scope: 'row' }, h('code', { text: row.label }), h('br'), h('span', { class: 'muted', text: `${fmt(row.cases)} cases` })),
          h('td', { text: `loads ${fmt(row.specLoads)}, blocks ${fmt(row.specBlocks)}` }),
          report.engines.map((e) => {
            const f = row.engines[e];
            if (!f) return h('td', { text: 'not run' });
            return h(
              'td',
              {},
              `loaded ${fmt(f.loaded)}, blocked ${fmt(f.blocked)}${f.errors ? `, ${fmt(f.errors)} errors` : ''}; ${fmt(f.agrees)} of ${fmt(f.cases)} agree with the spec`,
              f.stoppedBy.length ? [h('br'), `stopped by: ${counts(f.stoppedBy)}`] : null,
              f.differs.length ? [h('br'), 'differs: ', f.differs.map(([id, n], k) => [k ? ', ' : '', h('code', { text: id }), ` (${fmt(n)})`])] : null,
            );
          }),
        ),
      ),
    ),
  );
}

/** The initiators topic's table (report/initiators.ts): per form, the request it makes and
 *  what each engine did with cookies, readability and failures. */
function initiatorTable(report: Report): HTMLTableElement | null {
  if (!report.view.initiators.length) return null;
  const yesNo = (v: boolean | null): string => (v === null ? '–' : v ? 'sent' : 'not sent');
  return h(
    'table',
    { class: 'cases initiators', id: 'initiator-table' },
    h('caption', {
      text: 'Each initiator as measured: the cookie to a same-site / cross-site target, loads the page could read, and a failure as the page saw it',
    }),
    headRow(['Initiator', 'Mode · credentials', ...report.engines.map((e) => engineName(report, e))]),
    h(
      'tbody',
      {},
      report.view.initiators.map((row) =>
        h(
          'tr',
          { 'data-initiator': row.label },
          h('th', { scope: 'row' }, h('code', { text: row.label }), h('br'), h('span', { class: 'muted', text: `${fmt(row.cases)} cases` })),
          h('td', { text: `${row.mode} · ${row.credentials}` }),
          report.engines.map((e) => {
            const f = row.engines[e];
            if (!f) return h('td', { text: 'not run' });
            return h(
              'td',
              {},
              f.cookieSameSite === null && f.cookieCrossSite === null
                ? 'cookie not measured'
                : `cookie: same-site ${yesNo(f.cookieSameSite)}, cross-site ${yesNo(f.cookieCrossSite)}`,
              h('br'),
              f.contentReadable.of ? `readable ${f.contentReadable.readable} of ${f.contentReadable.of} loads` : 'no content test',
              h('br'),
              `${fmt(f.agrees)} of ${fmt(f.cases)} agree with the spec${f.errors ? `, ${f.errors} errors` : ''}`,
              f.failures.length ? [h('br'), 'blocked: ', f.failures.map((x, k) => [k ? ' | ' : '', h('code', { text: x })])] : null,
            );
          }),
        ),
      ),
    ),
  );
}

export function renderTopics(report: Report): void {
  const root = el('topics-body');
  for (const t of report.view.topics) {
    const link = h(
      'a',
      { href: serialize({ ...NO_FILTERS, topic: t.id, case: '' }), 'data-topic': t.id },
      `Show the ${fmt(t.cases)} ${t.id} rows in the matrix`,
    );
    root.append(
      h(
        'section',
        { class: 'topic', id: `topic-${t.id}`, 'aria-labelledby': `topic-h-${t.id}` },
        h('h3', { id: `topic-h-${t.id}` }, t.title, ' ', h('span', { class: 'muted', text: `(${t.id})` })),
        t.paragraphs.map((p) => h('p', {}, prose(p))),
        h(
          'p',
          { class: 'muted' },
          'Read: ',
          t.anchors.map((a, k) => [k ? ', ' : '', externalLink(a)]),
        ),
        t.cases
          ? [
              h(
                'p',
                { class: 'stats', 'data-topic-count': String(t.cases) },
                `${fmt(t.cases)} cases measured: the spec allows ${fmt(t.specAllowed)} and blocks ${fmt(t.specBlocked)}; ` +
                  `${fmt(t.specPreflight)} need a preflight. ${fmt(t.divergent)} rows where an engine does not simply agree with the spec, ` +
                  `${fmt(t.enginesDisagree)} where the engines disagree with each other. `,
                link,
              ),
              caseTable(report, t.examples, 'Examples from this run'),
              t.id === 'initiators' ? [standardInitiatorTable(report), initiatorTable(report)] : null,
              loadTable(report, t.id),
            ]
          : h('p', { class: 'muted', text: 'No case of this topic in this run.' }),
      ),
    );
  }
}
